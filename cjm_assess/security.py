"""Security events: one log line each, in UTC, with user and IP; never a token, an e-mail or an answer."""

import logging

from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

logger = logging.getLogger("cjm.security")


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "-") if request is not None else "-"


def security_event(request, event: str, **fields) -> None:
    """Logs event (e.g. "foreign_object", "rate_limited") with the user, the IP and harmless extra fields."""
    user = getattr(request, "user", None)
    who = f"user={user.pk}" if user is not None and user.is_authenticated else "user=-"
    extra = " ".join(f"{k}={v}" for k, v in sorted(fields.items()))
    logger.warning("security %s %s ip=%s %s", event, who, client_ip(request), extra)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # The username is not logged: people type their password into it by mistake.
    security_event(request, "login_failed")
