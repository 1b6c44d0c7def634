"""The admin site asks for the second factor too, and has no login form of its own: one way in for everyone."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse


class AdminSite(admin.AdminSite):
    def has_permission(self, request):
        """Staff with both factors (the middleware sends everyone else to enter the second one first)."""
        return super().has_permission(request) and request.user.is_verified()

    def login(self, request, extra_context=None):
        """The app's own sign-in (password, then the second factor), which returns to the admin."""
        return redirect_to_login(request.GET.get("next") or reverse("admin:index", current_app=self.name))
