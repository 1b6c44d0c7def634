"""The text of each kind of mail, composed by the worker from the ids a Mail row holds.

A mail that carries a secret (an invitation's personal link, a confirmation's withdrawal link, a report's
share link) makes a fresh one here and stores only its hash, and only once the mail is out (Composed.commit):
a send that fails leaves every link as it was, and a retry makes a new secret.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from cjm_assess.mail import compose as compose_mail
from cjm_assess.mail import display_address, public_url
from outreach.access import share_link_make
from outreach.models import Lead, Mail
from roadmap.pdf import report_pdf
from standortbestimmung import access
from standortbestimmung.models import Assessment
from standortbestimmung.questionnaire import questionnaire_of
from standortbestimmung.result import assessment_result


@dataclass(frozen=True)
class Composed:
    message: EmailMultiAlternatives
    commit: Callable[
        [], None
    ]  # stores what the sent mail made (a hash), inside the transaction marking it sent


def _nothing() -> None:
    return None


def compose(mail: Mail) -> Composed | None:
    """The mail to send for this row, or None when there is nothing to send any more (a revoked or finished
    participant, a withdrawn request, a deleted recipient)."""
    return COMPOSERS[mail.kind](mail)


def _consultant_name(assessment: Assessment) -> str:
    owner = assessment.owner
    if owner is not None:
        return owner.get_full_name() or owner.username
    return settings.CONSULTANT["name"]


def _participant_mail(mail: Mail, template: str) -> Composed | None:
    """An invitation or a reminder: a new personal link, stored when the mail is out."""
    participant = mail.participant
    if participant is None or participant.revoked_at or participant.finished_at:
        return None
    assessment = participant.assessment
    token, _digest = access.token_new()
    context = {
        "name": participant.name,
        "organisation": assessment.organisation,
        "consultant": _consultant_name(assessment),
        "link": public_url(reverse("respondent:resume", args=[token])),
        "questions": len(questionnaire_of(assessment).questions),
        "valid_until": participant_link_expiry(),
        "started": participant.answers.exists(),
    }
    message = compose_mail(template, context, to=mail.to, language=mail.language)
    return Composed(message, lambda: access.link_replace(participant=participant, token=token))


def participant_link_expiry():
    """The day a link made now stops working."""
    return (timezone.now() + timedelta(days=settings.PERSONAL_LINK_DAYS)).date()


def _invitation(mail: Mail) -> Composed | None:
    return _participant_mail(mail, "invitation")


def _reminder(mail: Mail) -> Composed | None:
    return _participant_mail(mail, "reminder")


def _all_finished(mail: Mail) -> Composed | None:
    assessment = mail.assessment
    if assessment is None:
        return None
    participants = assessment.participants.filter(revoked_at__isnull=True).aggregate(n=Count("pk"))["n"]
    context = {
        "organisation": assessment.organisation,
        "participants": participants,
        "link": public_url(reverse("workspace:assessment", args=[assessment.key])),
    }
    return Composed(compose_mail("all_finished", context, to=mail.to, language=mail.language), _nothing)


def _lead_context(lead: Lead) -> dict:
    profile = assessment_result(lead.assessment).profile
    return {
        "lead": lead,
        "organisation": lead.organisation or lead.assessment.organisation,
        "level": profile.level,
        "short": lead.assessment.is_short,
        "consultant": settings.CONSULTANT["name"],
    }


def _lead_notice(mail: Mail) -> Composed | None:
    lead = mail.lead
    if lead is None or lead.is_withdrawn:
        return None
    context = {**_lead_context(lead), "link": public_url(reverse("workspace:lead", args=[lead.pk]))}
    # the consultant answers the requester directly; the name is made header-safe on the way
    message = compose_mail(
        "lead_notice",
        context,
        to=mail.to,
        language=mail.language,
        reply_to=[display_address(lead.name, lead.email)],
    )
    return Composed(message, _nothing)


def _lead_confirmation(mail: Mail) -> Composed | None:
    lead = mail.lead
    if lead is None or lead.is_withdrawn:
        return None
    token, digest = access.token_new()
    context = {**_lead_context(lead), "withdraw_link": public_url(reverse("outreach:withdraw", args=[token]))}
    message = compose_mail("lead_confirmation", context, to=mail.to, language=mail.language)

    def commit():
        Lead.objects.filter(pk=lead.pk, withdrawn_at__isnull=True).update(withdraw_token_hash=digest)

    return Composed(message, commit)


def _report(mail: Mail) -> Composed | None:
    """The report as a PDF attachment and a read-only share link (for the kiosk: nothing stays on the device)."""
    assessment = mail.assessment
    if assessment is None or assessment.status != Assessment.Status.FINISHED:
        return None
    token, _digest = access.token_new()
    expires = timezone.now() + timedelta(days=settings.SHARE_LINK_DAYS)
    rendered = report_pdf(assessment, mail.language, for_owner=False)
    name = slugify(assessment.organisation)[:60] or "report"
    context = {
        "organisation": assessment.organisation,
        "short": assessment.is_short,
        "link": public_url(reverse("outreach:shared", args=[token])),
        "valid_until": expires.date(),
        "consultant": settings.CONSULTANT,
    }
    message = compose_mail(
        "report",
        context,
        to=mail.to,
        language=mail.language,
        attachments=[(f"CJM-Standortbestimmung-{name}.pdf", rendered.pdf, "application/pdf")],
    )

    return Composed(message, lambda: share_link_make(assessment=assessment, token=token))


COMPOSERS: dict[str, Callable[[Mail], Composed | None]] = {
    Mail.Kind.INVITATION: _invitation,
    Mail.Kind.REMINDER: _reminder,
    Mail.Kind.ALL_FINISHED: _all_finished,
    Mail.Kind.LEAD_NOTICE: _lead_notice,
    Mail.Kind.LEAD_CONFIRMATION: _lead_confirmation,
    Mail.Kind.REPORT: _report,
}
