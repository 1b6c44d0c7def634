"""Responses every app gives the same way: refusals with a message, and the headers of private pages."""

from functools import wraps

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.html import escape


def bad_request(request, message: str | None = None, status: int = 400) -> HttpResponse:
    """A 4xx with a message in the page's language (a general one without); htmx requests get just the message."""
    if request.htmx and message:
        return HttpResponse(f'<span class="text-danger">{escape(message)}</span>', status=status)
    return render(request, "errors/400.html", {"message": message}, status=status)


def too_many(request) -> HttpResponse:
    """429: a rate limit was reached; the page says to wait."""
    return render(request, "errors/429.html", status=429)


def private(view):
    """Pages of one person: never cached, and no Referer to any other site.

    same-origin rather than no-referrer: with no-referrer Chromium sends "Origin: null" on form posts, which
    the CSRF check must refuse. The secret itself is only ever in the URL of `resume`, which sends no Referer.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    return wrapped
