"""Structured logging: one JSON object per line on stdout, carrying the id of the request it belongs to."""

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# Personal links carry a secret in their path (/r/<token>/), and so do password-reset links
# (/konto/passwort/<uid>/<token>/); Django logs the path of every 4xx response, gunicorn of every request.
_SECRET_PATHS = (
    re.compile(r"(/r/)[^/\s\"'?]+"),
    re.compile(r"(/konto/passwort/[^/\s\"'?]+/)(?!set-password/)[^/\s\"'?]+"),
)


def redact(text: str) -> str:
    """Removes the secrets of personal links and password-reset links from a log line."""
    for pattern in _SECRET_PATHS:
        text = pattern.sub(r"\1[redacted]", text)
    return text


class RequestIdMiddleware:
    """Takes a sane X-Request-ID from the proxy or makes one, and returns it on the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds the request id to a record: from the request being handled, or from the request the record names
    (Django logs a 4xx or 5xx response in `django.request` after the middleware has returned)."""

    def filter(self, record):
        request_id = _request_id.get()
        if request_id == "-":
            request_id = getattr(getattr(record, "request", None), "request_id", "-")
        record.request_id = request_id
        return True


class KeyValueFormatter(logging.Formatter):
    """Formats a record as one line of JSON: time (UTC), level, logger, request id, message."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": redact(record.getMessage()),
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)
