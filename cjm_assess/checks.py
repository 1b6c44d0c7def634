"""Checks of the operator's configuration that `manage.py check --deploy` reports."""

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def public_base_url(app_configs, **kwargs):
    """Mails link back to the app; the address must come from the configuration, not from a request."""
    if settings.PUBLIC_BASE_URL.startswith("https://"):
        return []
    return [
        Warning(
            "PUBLIC_BASE_URL is not an https:// address: links in mails (invitations, password resets) "
            "cannot point at the app.",
            hint="Set PUBLIC_BASE_URL to the address users open, e.g. https://cjm.example.org",
            id="cjm.W001",
        )
    ]
