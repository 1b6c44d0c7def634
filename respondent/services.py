"""What a respondent does (a self-assessor, or a participant invited to a workshop): each function one action,
done completely in one transaction, the roadmap included."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from market.counting import counting
from market.tasks import refresh_after_commit
from outreach.access import open_lead_of, share_link_make
from outreach.models import Lead, Mail, ShareLink
from outreach.services import all_finished_announce, lead_announce, lead_release, mail_queue
from respondent.forms import consent_text
from roadmap.services import roadmap_follow
from standortbestimmung import access, grouping, scoring
from standortbestimmung.access import PersonalLink
from standortbestimmung.answering import AnswerNote, SavedAnswers, answers_save
from standortbestimmung.models import (
    Answer,
    AnswerOption,
    Assessment,
    ConsensusAnswer,
    Participant,
    Question,
    QuestionnaireVersion,
    Segment,
)
from standortbestimmung.result import assessment_result, counted_participants


@transaction.atomic
def self_assessment_start(
    *,
    version: QuestionnaireVersion,
    organisation: str = "",
    respondent_name: str = "",
    language: str = "de",
    industry: str = "",
    size: str = "",
    region: str = "",
    benchmark_consent: bool = False,
    questions_per_field: int | None = None,
) -> PersonalLink:
    """Starts a self-assessment with one participant; the roadmap is planned when it is finished. Sector, size
    and region are optional; the result counts in the benchmark only with benchmark_consent.
    questions_per_field: the short version of the kiosk."""
    assessment = Assessment.objects.create(
        version=version,
        organisation=organisation.strip(),
        language=language,
        kind=Assessment.Kind.SELF,
        industry=industry,
        size=size,
        region=region,
        benchmark_consent=benchmark_consent,
        benchmark_consent_at=timezone.now() if benchmark_consent else None,
        questions_per_field=questions_per_field,
    )
    return access.participant_add(assessment=assessment, name=respondent_name)


@transaction.atomic
def benchmark_consent_set(*, assessment: Assessment, consent: bool) -> None:
    """Gives or withdraws the self-assessor's consent that the anonymous result counts in the benchmark; the
    benchmark follows in the background (a withdrawn result is in no figure computed after that)."""
    this = Assessment.objects.filter(pk=assessment.pk)
    counted = counting(this)
    this.update(benchmark_consent=consent, benchmark_consent_at=timezone.now() if consent else None)
    if counted or counting(this):
        refresh_after_commit()


@transaction.atomic
def participant_new_link(*, participant: Participant) -> PersonalLink:
    """Replaces the participant's link with a new one; the old link stops working at once."""
    return access.link_replace(participant=participant)


@transaction.atomic
def answer_save(
    *,
    participant: Participant,
    answers: dict[Question, AnswerOption | None],
    seen_revisions: dict[int, int] | None = None,
    keep_newer: bool = False,
    notes: dict[int, AnswerNote] | None = None,
) -> SavedAnswers:
    """Saves answers (with what the participant added: how sure, a note); in a workshop, an answer that moves
    the group's answer re-plans the group's roadmap.

    (A self-assessment's roadmap follows its answers when it is finished.) keep_newer: answers changed in
    another tab since the page was loaded stay as they are (SavedAnswers.kept) instead of refusing all.
    """
    assessment = participant.assessment
    in_workshop = assessment.kind == Assessment.Kind.WORKSHOP
    before = _group_answers(assessment, answers) if in_workshop else None
    saved = answers_save(
        participant=participant,
        answers=answers,
        seen_revisions=seen_revisions,
        keep_newer=keep_newer,
        notes=notes,
    )
    if in_workshop and saved.changed and _group_answers(assessment, answers) != before:
        roadmap_follow(result=assessment_result(assessment))
    return saved


def _group_answers(assessment: Assessment, questions) -> dict[int, object]:
    """The group's answer (consensus, else lower median) to each of these questions: option levels by id."""
    rows = Answer.objects.filter(
        participant__in=counted_participants(assessment), question__in=questions
    ).values_list("question_id", "option__level")
    consensus = dict(
        ConsensusAnswer.objects.filter(assessment=assessment, question__in=questions).values_list(
            "question_id", "option__level"
        )
    )
    given: dict[int, list] = {}
    for qid, level in rows:
        given.setdefault(qid, []).append(level)
    return {
        question.pk: consensus[question.pk]
        if question.pk in consensus
        else scoring.question_spread(question.code, given.get(question.pk, [])).central
        for question in questions
    }


@transaction.atomic
def participant_finish(*, participant: Participant) -> None:
    """Marks the participant's answers as complete; a self-assessment is finished with them, and the roadmap
    follows the answers (planned now if there is none yet)."""
    now = timezone.now()
    changed = Participant.objects.filter(pk=participant.pk, finished_at__isnull=True).update(finished_at=now)
    if not changed:
        return  # finished already (another tab): nothing to do
    assessment = participant.assessment
    if assessment.kind == Assessment.Kind.SELF:
        Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.FINISHED, finished_at=now)
        assessment.refresh_from_db()
    roadmap_follow(result=assessment_result(assessment))
    if counting(Assessment.objects.filter(pk=assessment.pk)):
        refresh_after_commit()
    all_finished_announce(assessment=assessment)


@transaction.atomic
def participant_reopen(*, participant: Participant) -> None:
    """Lets the participant change answers again (the result and roadmap follow when they finish again; in a
    workshop that counts finished participants only, their answers stop counting until then; an open
    assessment counts in no benchmark)."""
    reopened = Participant.objects.filter(pk=participant.pk, finished_at__isnull=False).update(
        finished_at=None
    )
    assessment = participant.assessment
    if assessment.kind == Assessment.Kind.SELF:
        if counting(Assessment.objects.filter(pk=assessment.pk)):
            refresh_after_commit()
        Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.OPEN, finished_at=None)
    elif reopened and assessment.counts_finished_only:
        roadmap_follow(result=assessment_result(assessment))


@transaction.atomic
def participant_segment_choose(
    *, participant: Participant, unit: Segment | None, role: Segment | None
) -> bool:
    """The participant says which business unit and role they belong to (while answering); True when it
    changed. Nothing else moves: the company's result does not depend on it."""
    participant = Participant.objects.select_for_update().select_related("assessment").get(pk=participant.pk)
    if participant.finished_at is not None or not participant.assessment.is_open:
        raise ValidationError(_("This assessment is finished; its answers can no longer be changed."))
    return grouping.participant_place(participant=participant, unit=unit, role=role)


def _finished_self_assessment(participant: Participant) -> Assessment:
    """The participant's assessment, locked, if it is a finished self-assessment (what may be shared)."""
    assessment = Assessment.objects.select_for_update().get(pk=participant.assessment_id)
    if assessment.kind != Assessment.Kind.SELF or assessment.status != Assessment.Status.FINISHED:
        raise ValidationError(_("Please finish the assessment first: this shares its result."))
    return assessment


@transaction.atomic
def lead_create(
    *,
    participant: Participant,
    name: str,
    email: str,
    consent: bool,
    phone: str = "",
    organisation: str = "",
    message: str = "",
    language: str = "de",
) -> Lead:
    """A request for a conversation about a finished self-assessment, with the consent that the consultant sees
    it; the worker tells the consultant and sends the person a confirmation with a withdrawal link."""
    if not consent:  # never a request without consent, whatever the caller checked
        raise ValidationError(_("Without your consent the consultant cannot see your assessment."))
    assessment = _finished_self_assessment(participant)
    if assessment.owner_id:
        raise ValidationError(
            _("Your assessment is already with a consultant. Please get in touch with them directly.")
        )
    earlier = open_lead_of(assessment)
    if earlier is not None:
        raise ValidationError(
            _("You asked for a conversation on %(date)s already; the consultant will get in touch with you.")
            % {"date": date_format(timezone.localtime(earlier.created_at), "SHORT_DATE_FORMAT")}
        )
    lead = Lead.objects.create(
        assessment=assessment,
        participant=participant,
        name=name,
        email=email,
        phone=phone,
        organisation=organisation or assessment.organisation,
        message=message,
        language=language,
        consent_at=timezone.now(),
        consent_text=consent_text(settings.CONSULTANT["name"]),
    )
    lead_announce(lead=lead)
    return lead


@transaction.atomic
def lead_withdraw(*, participant: Participant) -> int:
    """Withdraws the consent of the participant's requests from their result page: the consultant no longer
    sees the assessment, and the contact details are erased. Returns how many requests it ended."""
    leads = list(
        Lead.objects.select_for_update().filter(participant=participant).exclude(status=Lead.Status.WITHDRAWN)
    )
    for lead in leads:
        lead_release(lead=lead)
    return len(leads)


@transaction.atomic
def share_link_create(*, participant: Participant) -> tuple[ShareLink, str]:
    """A read-only link to the finished result and its report; the secret is shown once, in the response."""
    return share_link_make(assessment=_finished_self_assessment(participant))


@transaction.atomic
def share_link_revoke(*, link: ShareLink) -> None:
    """The share link stops working at once."""
    ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


@transaction.atomic
def report_send(*, participant: Participant, email: str, language: str) -> Mail:
    """Sends the report (the PDF and a read-only share link) to the address given: on the kiosk the respondent
    takes the result away without downloading anything onto the shared device."""
    assessment = _finished_self_assessment(participant)
    return mail_queue(
        kind=Mail.Kind.REPORT, to=email, language=language, assessment=assessment, participant=participant
    )
