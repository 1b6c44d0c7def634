"""Mails the app sends, composed from translatable templates in the recipient's language, with the sender,
reply-to and footer from the settings. Names never reach a header unfiltered, and links point at
PUBLIC_BASE_URL, never at the Host of some request. Sending itself is the background worker's job
(outreach.tasks), never a request's.
"""

import unicodedata
from collections.abc import Iterable, Sequence
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

# A display name longer than this is cut: a header line stays readable, and no name can flood it.
NAME_LIMIT = 78
SUBJECT_LIMIT = 150


def header_safe(text: str, limit: int = NAME_LIMIT) -> str:
    """The text as one header-safe line: control, format and line-separator characters become spaces, runs of
    whitespace one space, and at most `limit` characters."""
    spaced = "".join(" " if unicodedata.category(ch)[0] == "C" or ch in "\u2028\u2029" else ch for ch in text)
    return " ".join(spaced.split())[:limit].strip()


def display_address(name: str, email: str) -> str:
    """'Name <email>' for a To or Reply-To header, with the name made header-safe and quoted or encoded as
    needed, so nothing in a name can add a header or another recipient."""
    return formataddr((header_safe(name), email))


def public_url(path: str) -> str:
    """An absolute link to a path of the app at the configured public address (for mails, QR codes, PDFs)."""
    return settings.PUBLIC_BASE_URL + path


def compose(
    template: str,
    context: dict,
    *,
    to: str,
    language: str,
    reply_to: Sequence[str] | None = None,
    attachments: Iterable[tuple[str, bytes, str]] = (),
) -> EmailMultiAlternatives:
    """A mail from templates/mail/<template>_subject.txt, .txt (plain text) and .html, rendered in `language`.

    The sender is DEFAULT_FROM_EMAIL, replies go to `reply_to` or else MAIL_REPLY_TO, and MAIL_FOOTER closes
    both parts. Attachments are (file name, content, MIME type).
    """
    with translation.override(language):
        context = {**context, "footer": settings.MAIL_FOOTER, "language": language}
        subject = header_safe(render_to_string(f"mail/{template}_subject.txt", context), SUBJECT_LIMIT)
        text = render_to_string(f"mail/{template}.txt", context).strip() + "\n"
        html = render_to_string(f"mail/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=list(reply_to or settings.MAIL_REPLY_TO),
        # no out-of-office answers to a machine (RFC 3834)
        headers={"Auto-Submitted": "auto-generated", "Content-Language": language},
    )
    message.attach_alternative(html, "text/html")
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    return message
