"""Nobody uses the app signed in with a password alone: a signed-in user without the second factor is sent to
enter it (or, without one yet, to set it up) from every page but these steps themselves and logging out.

This covers the workspace, the admin and every page added later, with no decorator to forget.
"""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRedirect
from django_otp import user_has_device

# The pages a signed-in user reaches before the second factor.
BEFORE_SECOND_FACTOR = {"accounts:verify", "accounts:setup", "logout", "set_language", "healthz"}


def has_second_factor(user) -> bool:
    """True when the user has set up a second factor (an authenticator app or recovery codes)."""
    return user_has_device(user, confirmed=True)


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if request.resolver_match.view_name in BEFORE_SECOND_FACTOR:
            return None
        target = reverse("accounts:verify" if has_second_factor(user) else "accounts:setup")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(target)
        return redirect(target)
