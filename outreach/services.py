"""Mails, contact requests and share links as the actions of the respondent's and the consultant's pages use
them (inside those actions' transactions), and the one action of outreach's own pages: withdrawing consent.

A mail is a row (what to send to whom, and how it went) and a task that sends it: queued together in the
caller's transaction, so either both exist or neither, and nothing is sent from the request itself.
"""

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from outreach import reminders
from outreach.access import lead_recipients
from outreach.models import Lead, Mail
from outreach.tasks import mail_send
from roadmap.services import roadmap_follow
from standortbestimmung.models import Assessment, Participant
from standortbestimmung.result import assessment_result

logger = logging.getLogger(__name__)


def mail_queue(
    *,
    kind: str,
    to: str,
    language: str,
    assessment: Assessment | None = None,
    participant: Participant | None = None,
    lead: Lead | None = None,
) -> Mail:
    """Records a mail and queues its sending, in the caller's transaction."""
    mail = Mail.objects.create(
        kind=kind, to=to, language=language, assessment=assessment, participant=participant, lead=lead
    )
    mail_send.enqueue(mail_id=mail.pk)
    return mail


def mail_requeue(*, mail: Mail) -> bool:
    """Queues a failed mail once more, with fresh attempts (and, for an invitation, a fresh link); False when
    it had not failed."""
    requeued = Mail.objects.filter(pk=mail.pk, status=Mail.Status.FAILED).update(
        status=Mail.Status.QUEUED, attempts=0, error=""
    )
    if requeued:
        mail_send.enqueue(mail_id=mail.pk)
    return bool(requeued)


def participant_mail_queue(*, participant: Participant, kind: str) -> Mail:
    """An invitation or a reminder to a participant, with a personal link made when it is sent."""
    return mail_queue(
        kind=kind,
        to=participant.email,
        language=participant.mail_language,
        assessment=participant.assessment,
        participant=participant,
    )


def mail_pending(participant: Participant) -> bool:
    """Whether a mail to the participant is still on its way (then another would only race it)."""
    return participant.mails.filter(status=Mail.Status.QUEUED).exists()


def all_finished_announce(*, assessment: Assessment) -> Mail | None:
    """Tells the consultant once when every active participant of a workshop has finished (again after a new
    participant was invited and finished too)."""
    owner = assessment.owner
    if assessment.kind != Assessment.Kind.WORKSHOP or owner is None or not owner.email:
        return None
    active = assessment.participants.filter(revoked_at__isnull=True).aggregate(
        total=Count("pk"), open=Count("pk", filter=Q(finished_at__isnull=True)), newest=Max("created_at")
    )
    if not active["total"] or active["open"]:
        return None
    if assessment.mails.filter(kind=Mail.Kind.ALL_FINISHED, created_at__gte=active["newest"]).exists():
        return None
    return mail_queue(
        kind=Mail.Kind.ALL_FINISHED, to=owner.email, language=assessment.language, assessment=assessment
    )


def lead_announce(*, lead: Lead) -> None:
    """A new contact request: a notice to every lead recipient, a confirmation (with the withdrawal link) to
    the person who asked."""
    recipients = lead_recipients()
    if not recipients:
        logger.warning(
            "lead without recipients lead=%s: set CONSULTANT_EMAIL or mark a lead recipient", lead.pk
        )
    for address in recipients:
        mail_queue(
            kind=Mail.Kind.LEAD_NOTICE,
            to=address,
            language=settings.LANGUAGE_CODE,
            assessment=lead.assessment,
            lead=lead,
        )
    mail_queue(
        kind=Mail.Kind.LEAD_CONFIRMATION,
        to=lead.email,
        language=lead.language,
        assessment=lead.assessment,
        lead=lead,
    )


def lead_release(*, lead: Lead) -> None:
    """Ends what a request gave the consultant (call inside the action's transaction): the contact details
    and the mails about it are erased, and an assessment that became a client's through it leaves the
    consultant again (its roadmap then follows the levels)."""
    if lead.is_withdrawn:
        return
    assessment = Assessment.objects.select_for_update().get(pk=lead.assessment_id)
    if lead.status == Lead.Status.CONVERTED and lead.client_id and assessment.client_id == lead.client_id:
        assessment.client, assessment.owner = None, None
        assessment.save(update_fields=["client", "owner", "updated_at"])
        roadmap_follow(result=assessment_result(assessment))
    lead.mails.all().delete()
    Lead.objects.filter(pk=lead.pk).update(
        status=Lead.Status.WITHDRAWN,
        withdrawn_at=timezone.now(),
        name="",
        email="",
        phone="",
        organisation="",
        message="",
        withdraw_token_hash="",
    )


@transaction.atomic
def lead_withdraw(*, lead: Lead) -> None:
    """The person who asked withdraws their consent (the link in the confirmation mail)."""
    lead_release(lead=Lead.objects.select_for_update().get(pk=lead.pk))


def reminders_queue(*, now: datetime | None = None) -> int:
    """Queues the automatic reminders that are due (REMINDER_AFTER_DAYS after the last mail, at most
    REMINDERS_MAX): for invited participants of open workshops who have not finished; returns how many."""
    if settings.REMINDER_AFTER_DAYS <= 0:
        return 0
    now = now or timezone.now()
    candidates = (
        Participant.objects.select_related("assessment")
        .filter(
            assessment__kind=Assessment.Kind.WORKSHOP,
            assessment__status=Assessment.Status.OPEN,
            revoked_at__isnull=True,
            finished_at__isnull=True,
        )
        .exclude(email="")
        .annotate(
            last_sent=Max(
                "mails__sent_at",
                filter=Q(
                    mails__kind__in=[Mail.Kind.INVITATION, Mail.Kind.REMINDER], mails__status=Mail.Status.SENT
                ),
            ),
            reminders=Count(
                "mails", filter=Q(mails__kind=Mail.Kind.REMINDER, mails__status=Mail.Status.SENT)
            ),
            pending=Count("mails", filter=Q(mails__status=Mail.Status.QUEUED)),
        )
        .filter(pending=0)
    )
    queued = 0
    for participant in candidates:
        due = reminders.reminder_due(
            last_mail_at=participant.last_sent,
            reminders_sent=participant.reminders,
            now=now,
            after_days=settings.REMINDER_AFTER_DAYS,
            max_reminders=settings.REMINDERS_MAX,
        )
        if due:
            with transaction.atomic():
                participant_mail_queue(participant=participant, kind=Mail.Kind.REMINDER)
            queued += 1
    return queued
