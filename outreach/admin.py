from django.contrib import admin
from django_tasks_db import admin as tasks_admin  # registers the task admin; we replace it just below
from django_tasks_db.models import DBTaskResult

from outreach.models import Lead, Mail, ShareLink


class ReadOnly(admin.ModelAdmin):
    """Rows written by the app's actions only: the admin shows them and can delete them, not edit them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Lead)
class LeadAdmin(ReadOnly):
    list_display = ["created_at", "name", "organisation", "status", "client"]
    list_filter = ["status"]
    search_fields = ["name", "email", "organisation"]
    exclude = ["withdraw_token_hash"]


@admin.register(Mail)
class MailAdmin(ReadOnly):
    list_display = ["created_at", "kind", "to", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to"]


@admin.register(ShareLink)
class ShareLinkAdmin(ReadOnly):
    list_display = ["created_at", "assessment", "expires_at", "revoked_at"]
    exclude = ["token_hash"]


class TaskResultAdmin(tasks_admin.DBTaskResultAdmin):
    """django-tasks-db's read-only list of background tasks, for every staff member (not only superusers):
    whoever runs the installation sees failed tasks, filtered by status, with their tracebacks."""

    list_filter = ["status", "queue_name"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff


admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)
