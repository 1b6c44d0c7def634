"""What a consultant does in the workspace: each function one action, done completely in one transaction,
the roadmap included."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from market.counting import counting
from market.tasks import refresh_after_commit
from outreach.models import Lead, Mail
from outreach.services import mail_pending, mail_requeue, participant_mail_queue
from roadmap.models import Report
from roadmap.services import roadmap_create, roadmap_follow
from standortbestimmung import access, grouping
from standortbestimmung.access import PersonalLink
from standortbestimmung.grouping import Definition
from standortbestimmung.models import (
    AnswerOption,
    Assessment,
    Client,
    ConsensusAnswer,
    Participant,
    Question,
    QuestionnaireVersion,
    Segment,
    ValidatedAnswer,
)
from standortbestimmung.result import assessment_result

# What the benchmark sees of a client's assessments; a change of one of them moves the benchmark.
PROFILE = {"industry", "size", "region", "benchmark_consent"}


@transaction.atomic
def client_save(*, client: Client, changed: Iterable[str] = ()) -> Client:
    """Saves a new or changed client (changed: the names of the changed fields); when its consent, sector, size
    or region change and its assessments count (or counted), the benchmark follows in the background."""
    changed = set(changed)
    counted = client.pk is not None and counting(client.assessments.all())
    if "benchmark_consent" in changed or client.pk is None:
        client.benchmark_consent_at = timezone.now() if client.benchmark_consent else None
    client.save()
    if changed & PROFILE and (counted or counting(client.assessments.all())):
        refresh_after_commit()
    return client


@transaction.atomic
def workshop_start(
    *,
    client: Client,
    version: QuestionnaireVersion,
    language: str = "de",
    segments: Definition | None = None,
) -> Assessment:
    """A new assessment of a client, answered by invited participants, with its roadmap planned already.

    segments: its business units, roles and minimum group size; None carries over the previous assessment's.
    """
    assessment = Assessment.objects.create(
        version=version,
        client=client,
        owner=client.owner,
        organisation=client.name,
        kind=Assessment.Kind.WORKSHOP,
        language=language,
    )
    grouping.segments_define(
        assessment=assessment, definition=segments or grouping.carried_definition(assessment)
    )
    roadmap_create(result=assessment_result(assessment))
    return assessment


@transaction.atomic
def segments_update(*, assessment: Assessment, segments: Definition) -> list[str]:
    """Makes the workshop's units and roles these lists (matched by name: kept, reordered, added, removed);
    returns the removed names, whose participants keep their answers but belong to none of them any more.
    The company's result does not change."""
    return grouping.segments_define(assessment=assessment, definition=segments)


@transaction.atomic
def assessment_claim(*, client: Client, token: str) -> Assessment:
    """Moves an anonymous self-assessment into a client, found by its personal link (or the link's secret);
    from now on the consultant's targets steer its roadmap."""
    token = token.strip().rstrip("/").rsplit("/", 1)[-1]
    participant = access.participant_by_token(token)
    if participant is None:
        raise access.UnknownLink(_("No self-assessment was found for this link."))
    return _self_assessment_move(assessment_id=participant.assessment_id, client=client)


def _self_assessment_move(*, assessment_id: int, client: Client) -> Assessment:
    """Moves an anonymous self-assessment into a client (inside the action's transaction); the consultant's
    targets steer its roadmap from now on."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment_id)
    if assessment.kind != Assessment.Kind.SELF or assessment.client_id or assessment.owner_id:
        raise ValidationError(_("This assessment belongs to a client already."))
    this = Assessment.objects.filter(pk=assessment.pk)
    counted = counting(this)  # from now on the client's consent is needed too, and it counts as the client
    assessment.client, assessment.owner = client, client.owner
    assessment.organisation = assessment.organisation or client.name
    assessment.save(update_fields=["client", "owner", "organisation", "updated_at"])
    # a contact request about it that was still open is settled: the company is a client now
    Lead.objects.filter(assessment=assessment, status__in=Lead.OPEN).update(
        status=Lead.Status.CONVERTED, client=client
    )
    roadmap_follow(result=assessment_result(assessment))
    if counted or counting(this):
        refresh_after_commit()
    return assessment


@transaction.atomic
def participant_invite(
    *,
    assessment: Assessment,
    name: str,
    email: str = "",
    unit: Segment | None = None,
    role: Segment | None = None,
    language: str = "",
    by_mail: bool = False,
) -> PersonalLink | None:
    """Adds a participant with a personal link (and their unit and role, if known). Its secret is shown once,
    in the response; or, by_mail, the worker makes the link and mails it (in the participant's language), so
    it is never shown nor stored, and None is returned."""
    if assessment.kind != Assessment.Kind.WORKSHOP:
        raise ValidationError(
            _(
                "A self-assessment has exactly one respondent. To hear more people, start a new assessment "
                "for this client and invite them there."
            )
        )
    if by_mail and not email:
        raise ValidationError(_("An invitation by e-mail needs the participant's e-mail address."))
    link = access.participant_add(assessment=assessment, name=name, email=email, language=language)
    if unit or role:
        grouping.participant_place(participant=link.participant, unit=unit, role=role)
    if by_mail:
        participant_mail_queue(participant=link.participant, kind=Mail.Kind.INVITATION)
        return None
    return link


@transaction.atomic
def participant_place(*, participant: Participant, unit: Segment | None, role: Segment | None) -> bool:
    """The consultant puts a participant into a unit and a role (or none); True when it changed."""
    return grouping.participant_place(participant=participant, unit=unit, role=role)


def _remindable(participant: Participant) -> str | None:
    """Why the participant cannot be reminded now, or None when they can."""
    if not participant.email:
        return _("There is no e-mail address for %(name)s.") % {"name": participant.name}
    if participant.revoked_at:
        return _("The link of %(name)s was revoked.") % {"name": participant.name}
    if participant.finished_at:
        return _("%(name)s has finished already.") % {"name": participant.name}
    if mail_pending(participant):
        return _("An e-mail to %(name)s is on its way already.") % {"name": participant.name}
    return None


@transaction.atomic
def participant_remind(*, participant: Participant) -> Mail:
    """Reminds a participant who has not finished, with a new personal link (the old one stops working when
    the reminder is out)."""
    problem = _remindable(participant)
    if problem:
        raise ValidationError(problem)
    return participant_mail_queue(participant=participant, kind=Mail.Kind.REMINDER)


@transaction.atomic
def participants_remind(*, assessment: Assessment) -> int:
    """Reminds every participant of the workshop who has an e-mail address and has not finished; returns how
    many reminders were queued."""
    queued = 0
    for participant in assessment.participants.filter(revoked_at__isnull=True, finished_at__isnull=True):
        if _remindable(participant) is None:
            participant_mail_queue(participant=participant, kind=Mail.Kind.REMINDER)
            queued += 1
    return queued


@transaction.atomic
def mail_retry(*, mail: Mail) -> None:
    """Sends a mail whose attempts all failed once more (an invitation with a fresh link)."""
    if not mail_requeue(mail=mail):
        raise ValidationError(_("Only an e-mail whose sending failed can be sent again."))


@transaction.atomic
def lead_status_set(*, lead: Lead, status: str, user) -> None:
    """Records where a contact request stands (new, contacted, declined); a client or a withdrawn request
    stays as it is."""
    if status not in {Lead.Status.NEW, Lead.Status.CONTACTED, Lead.Status.DECLINED}:
        raise ValidationError(_("This status cannot be set by hand."))
    if not Lead.objects.filter(pk=lead.pk, status__in=[*Lead.OPEN, Lead.Status.DECLINED]).update(
        status=status, handled_by=user
    ):
        raise ValidationError(_("This request is a client already or was withdrawn."))


@transaction.atomic
def lead_convert(*, lead: Lead, user) -> Client:
    """Turns a contact request into a client of the consultant: the client is made from the request's details
    and the assessment moves into it, as when a self-assessment is taken over with its link."""
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if lead.is_withdrawn:
        raise ValidationError(_("The consent was withdrawn: this request can no longer become a client."))
    if lead.status == Lead.Status.CONVERTED:
        raise ValidationError(_("This request is a client already."))
    notes = "\n".join(
        part
        for part in [
            _("Phone: %(phone)s") % {"phone": lead.phone} if lead.phone else "",
            lead.message,
        ]
        if part
    )
    client = Client.objects.create(
        owner=user,
        name=lead.organisation or lead.assessment.organisation or lead.name,
        contact_name=lead.name,
        contact_email=lead.email,
        notes=notes[:5000],
    )
    _self_assessment_move(assessment_id=lead.assessment_id, client=client)
    Lead.objects.filter(pk=lead.pk).update(status=Lead.Status.CONVERTED, client=client, handled_by=user)
    return client


@transaction.atomic
def lead_delete(*, lead: Lead) -> None:
    """Deletes a contact request with its details and mails; the assessment stays with its respondent (and
    with the client, if it became one)."""
    lead.delete()


@transaction.atomic
def participant_relink(*, participant: Participant) -> PersonalLink:
    """A new link for a participant who lost theirs, or to invite a blocked participant again (their answers
    count again); the old link stops working at once."""
    link = access.link_replace(participant=participant)
    if Participant.objects.filter(pk=participant.pk, revoked_at__isnull=False).update(revoked_at=None):
        participant.revoked_at = None
        roadmap_follow(result=assessment_result(participant.assessment))
    return link


@transaction.atomic
def participant_revoke(*, participant: Participant) -> None:
    """The participant's link stops working; their answers no longer count, so the roadmap follows."""
    revoked = Participant.objects.filter(pk=participant.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        roadmap_follow(result=assessment_result(participant.assessment))


@transaction.atomic
def participant_restore(*, participant: Participant) -> None:
    """Undoes a revocation: the same link works again and the answers count again; the roadmap follows."""
    restored = Participant.objects.filter(pk=participant.pk, revoked_at__isnull=False).update(revoked_at=None)
    if restored:
        roadmap_follow(result=assessment_result(participant.assessment))


@transaction.atomic
def assessment_settings_set(*, assessment: Assessment, title: str, counting: str) -> None:
    """Names the assessment and chooses whose answers make up a workshop's result; the roadmap follows."""
    if counting not in Assessment.Counting.values:
        raise ValidationError(_("Choose whose answers count."))
    changed = counting != assessment.counting
    assessment.title, assessment.counting = title.strip(), counting
    assessment.save(update_fields=["title", "counting", "updated_at"])
    if changed:
        roadmap_follow(result=assessment_result(assessment))


@transaction.atomic
def consensus_set(
    *,
    assessment: Assessment,
    question: Question,
    option: AnswerOption | None,
    clear: bool = False,
    validated: bool | None = None,
) -> None:
    """Sets (or with clear removes) the answer the room agreed on for a question; the roadmap follows.

    validated: whether the group's answer was checked in the workshop (None leaves it as it is).
    """
    if question.field.version_id != assessment.version_id or (option and option.question_id != question.pk):
        raise ValidationError(_("The answer does not belong to this assessment's questionnaire."))
    if clear:
        ConsensusAnswer.objects.filter(assessment=assessment, question=question).delete()
    else:
        ConsensusAnswer.objects.update_or_create(
            assessment=assessment, question=question, defaults={"option": option}
        )
    if validated:
        ValidatedAnswer.objects.get_or_create(assessment=assessment, question=question)
    elif validated is not None:
        ValidatedAnswer.objects.filter(assessment=assessment, question=question).delete()
    roadmap_follow(result=assessment_result(assessment))


@transaction.atomic
def client_delete(*, client: Client) -> None:
    """Deletes a client with every row that belongs to it: assessments, participants, answers, roadmaps,
    cached reports (the foreign keys cascade); the benchmark follows in the background."""
    if counting(client.assessments.all()):
        refresh_after_commit()
    client.delete()


@transaction.atomic
def assessment_delete(*, assessment: Assessment) -> None:
    """Deletes an assessment with its participants, answers, consensus, roadmap and cached reports, and the
    cached reports of its client's other assessments, which may compare with it: nothing of it stays in any
    download (they are rendered anew, without it, when asked for). The benchmark follows in the background."""
    if assessment.client_id:
        Report.objects.filter(assessment__client_id=assessment.client_id).delete()
    if counting(Assessment.objects.filter(pk=assessment.pk)):
        refresh_after_commit()
    assessment.delete()
