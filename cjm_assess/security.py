"""The client's address, security events and the limit on request bodies.

The address of the client is derived here and nowhere else: django-axes (failed logins), every rate limit and
the security log use client_ip. Security events are one log line each, in UTC, with user and address; never a
token, an e-mail or an answer.
"""

import logging

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.utils.translation import gettext as _
from ipware import get_client_ip

from cjm_assess.http import bad_request

logger = logging.getLogger("cjm.security")


def client_ip(request) -> str:
    """The address of the client, seen through TRUSTED_PROXIES reverse proxies.

    Each proxy appends the address it was connected from to X-Forwarded-For, so with N proxies the client is
    the N-th entry from the right; whatever stands further left came from the client and may be forged. With
    no proxy (0) the header is ignored. A request that did not pass all proxies counts by its REMOTE_ADDR.
    """
    if request is None:
        return "-"
    remote = request.META.get("REMOTE_ADDR") or "-"
    proxies = settings.TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    # ipware counts the proxies listed in the header after the client; the last proxy's address is REMOTE_ADDR.
    address, _routable = get_client_ip(
        request,
        proxy_count=proxies - 1,
        request_header_order=["HTTP_X_FORWARDED_FOR"],
        strict=False,
    )
    return address or remote


def axes_client_ip(request) -> str | None:
    """client_ip for django-axes, which keeps it in an IP address column: None where a request has no address
    (a test client's force_login), which PostgreSQL would refuse as "-"."""
    address = client_ip(request)
    return None if address == "-" else address


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


class RequestBodyLimitMiddleware:
    """Refuses a request body larger than REQUEST_MAX_BYTES with 413 before anything reads it.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE counts form fields only, not file parts, and the CSRF check reads the
    whole body before it can refuse a wrong token; so the declared length is checked first (in process_view,
    which runs before the CSRF middleware's: list this middleware above it). No page takes files
    (DATA_UPLOAD_MAX_NUMBER_FILES = 0), so a file part within the limit is refused with 400 as soon as the
    parser meets it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads nothing of a body without a valid length
        if length > settings.REQUEST_MAX_BYTES:
            security_event(request, "body_too_large", bytes=length)
            return bad_request(request, _("The request is too large."), status=413)
        return None
