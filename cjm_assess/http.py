"""Responses every app gives the same way: refusals with a message, and the headers of private pages."""

from functools import wraps

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.html import escape

# Pages and downloads of one person: no cache anywhere (a proxy, the browser's disk, the back button).
PRIVATE_CACHE_CONTROL = "private, no-store"


def bad_request(request, message: str | None = None, status: int = 400) -> HttpResponse:
    """A 4xx with a message in the page's language (a general one without); htmx requests get just the message."""
    if getattr(request, "htmx", False) and message:
        return HttpResponse(f'<span class="text-danger">{escape(message)}</span>', status=status)
    return render(request, "errors/400.html", {"message": message}, status=status)


def too_many(request, message: str | None = None) -> HttpResponse:
    """429: a rate limit was reached; the page says what to wait for (by default: an hour)."""
    return render(request, "errors/429.html", {"message": message}, status=429)


def private(view):
    """Pages of one person: never cached, and no Referer to any other site.

    same-origin rather than no-referrer: with no-referrer Chromium sends "Origin: null" on form posts, which
    the CSRF check must refuse. The secret itself is only ever in the URL of `resume`, which sends no Referer.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = PRIVATE_CACHE_CONTROL
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    return wrapped


class PrivatePagesMiddleware:
    """Every response to a signed-in user (consultant pages, their downloads, the admin) is private, no-store."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = PRIVATE_CACHE_CONTROL
        return response
