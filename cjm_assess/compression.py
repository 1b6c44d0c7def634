"""Compression of the HTML pages (static files come compressed from WhiteNoise)."""

from django.middleware.gzip import GZipMiddleware


class HtmlGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, for HTML responses only.

    BREACH, the attack on secrets in compressed responses, needs a secret that repeats across many responses
    next to text the attacker controls. Our HTML carries two kinds of secrets: the CSRF token, which Django
    masks anew in every response, and a personal link's secret, which is made new for the one response that
    shows it. Django also pads every compressed response with random bytes ("Heal the BREACH"), and the
    session cookie is SameSite=Lax, so other sites cannot fire requests with it in bulk. Other responses stay
    as they are: a PDF is compressed already and keeps its strong ETag (a gzipped response's ETag turns weak).
    """

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)
