"""The admin with our site (a module of its own: an AppConfig module must not import models)."""

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    default_site = "accounts.admin_site.AdminSite"
