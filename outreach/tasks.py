"""Sending mails in the background worker: one task per mail, given its id (never a secret)."""

import logging

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from cjm_assess.background import retry_later
from outreach import mails
from outreach.models import Mail

logger = logging.getLogger(__name__)


@task()
def mail_send(mail_id: int, attempt: int = 1) -> str:
    """Composes and sends one queued mail. A failure retries after 1, 5 and 30 minutes; after the last attempt
    the mail is marked failed (the consultant's page offers to retry) and the task fails (the admin lists it)."""
    mail = (
        Mail.objects.select_related("participant__assessment__owner", "assessment__owner", "lead__assessment")
        .filter(pk=mail_id, status=Mail.Status.QUEUED)
        .first()
    )
    if mail is None:
        return "nothing to send"  # sent, cancelled or deleted meanwhile
    try:
        composed = mails.compose(mail)
        if composed is None:
            Mail.objects.filter(pk=mail_id).update(status=Mail.Status.CANCELLED, attempts=attempt)
            return "cancelled"
        composed.message.send()  # outside any transaction: a slow mail server holds no lock
    except Exception as error:  # whatever broke (server, network, template), the mail must not get lost
        Mail.objects.filter(pk=mail_id).update(
            attempts=attempt, error=f"{type(error).__name__}: {error}"[:300]
        )
        if retry_later(mail_send, attempt=attempt, mail_id=mail_id):
            logger.warning("mail attempt failed mail=%s kind=%s attempt=%s", mail_id, mail.kind, attempt)
            return "retrying"
        Mail.objects.filter(pk=mail_id).update(status=Mail.Status.FAILED)
        logger.error("mail failed mail=%s kind=%s attempts=%s", mail_id, mail.kind, attempt)
        raise
    with transaction.atomic():
        composed.commit()
        Mail.objects.filter(pk=mail_id).update(
            status=Mail.Status.SENT, sent_at=timezone.now(), attempts=attempt, error=""
        )
    logger.info("mail sent mail=%s kind=%s attempt=%s", mail_id, mail.kind, attempt)
    return "sent"
