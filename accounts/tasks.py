"""Background work of the sign-in: the password-reset mail."""

from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cjm_assess.background import retry_later


@task()
def password_reset_mail(email: str, language: str, attempt: int = 1) -> int:
    """Sends a link to set a new password to every active account with this address (usually one, often
    none); returns how many mails went out. The link points at PUBLIC_BASE_URL, never at a request's Host."""
    users = list(PasswordResetForm().get_users(email))
    sent = 0
    try:
        with translation.override(language):
            for user in users:
                _mail_for(user).send()
                sent += 1
    except (SMTPException, OSError):
        if retry_later(password_reset_mail, attempt=attempt, email=email, language=language):
            return sent
        raise
    return sent


def _mail_for(user) -> EmailMessage:
    context = {
        "user": user,
        "base_url": settings.PUBLIC_BASE_URL,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),  # in this mail only, never stored
        "footer": settings.MAIL_FOOTER,
    }
    subject = "".join(render_to_string("registration/password_reset_subject.txt", context).splitlines())
    body = render_to_string("registration/password_reset_email.html", context)
    return EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [getattr(user, get_user_model().get_email_field_name())],
        reply_to=settings.MAIL_REPLY_TO or None,
    )
