"""What happens in a live workshop: each function one action of the consultant or of a person in the room,
done completely in one transaction.

Every change of what the screens show raises the session's revision. The consultant's actions carry the
revision their page showed, so a second tab that acted on an older state is refused (LiveStale) instead of
undoing what the first one did. Votes are ordinary answers of the workshop's participants (respondent's
answer_save, with the roadmap following), and the consensus is the workspace's consensus: the group result,
roadmap and report of the workshop are simply those of its assessment.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from live import phases
from live.codes import code_new
from live.models import LiveMember, LiveSession
from live.phases import Phase, Status
from respondent.services import answer_save
from standortbestimmung import access
from standortbestimmung.answering import AnswerRefused, BadAnswer, SavedAnswers
from standortbestimmung.models import AnswerOption, Assessment, Field, Participant, Question
from workspace.services import consensus_set


class LiveStale(ValidationError):
    """The session changed since the consultant's page was loaded (another tab acted first)."""


class VoteClosed(AnswerRefused):
    """A vote on a question that is not open now (not opened, locked by the timer, shown, paused, ended)."""

    status = 409


class JoinRefused(ValidationError):
    """Joining is not possible: the session has ended, or a name is needed."""


@transaction.atomic
def live_start(*, assessment: Assessment, allow_anonymous: bool = False) -> LiveSession:
    """Starts the live session of a workshop with a fresh join code; an open one is returned as it is."""
    if assessment.kind != Assessment.Kind.WORKSHOP:
        raise ValidationError(_("Only a workshop can be run live."))
    Assessment.objects.select_for_update().filter(pk=assessment.pk).first()  # two tabs start one session
    running = LiveSession.objects.filter(assessment=assessment).exclude(status=Status.ENDED).first()
    if running is not None:
        return running
    for _attempt in range(10):
        code = code_new()
        if LiveSession.objects.filter(code=code).exists():
            continue
        try:
            with transaction.atomic():
                return LiveSession.objects.create(
                    assessment=assessment, code=code, allow_anonymous=allow_anonymous
                )
        except IntegrityError:  # the same code was taken this very moment
            continue
    raise ValidationError(_("No free join code was found. Please try again."))


def _locked(session: LiveSession, revision: int | None) -> LiveSession:
    """The session's row, locked for this transaction; refused if it moved on or ended meanwhile."""
    locked = LiveSession.objects.select_for_update().select_related("assessment").get(pk=session.pk)
    if revision is not None and locked.revision != revision:
        raise LiveStale(
            _(
                "The live session was changed meanwhile (in another tab or window). Its current state is shown."
            )
        )
    if locked.status == Status.ENDED:
        raise ValidationError(_("This live session has ended."))
    return locked


def _save(session: LiveSession, *fields: str) -> LiveSession:
    session.revision += 1
    session.save(update_fields=[*fields, "revision"])
    return session


def _needs_item(session: LiveSession) -> None:
    if not session.has_item:
        raise ValidationError(_("Open a question or a field first."))


@transaction.atomic
def live_open(
    *, session: LiveSession, revision: int, question: Question | None = None, field: Field | None = None
) -> LiveSession:
    """Opens one question or a whole field for votes (results hidden, no timer); a pause ends with it."""
    session = _locked(session, revision)
    if (question is None) == (field is None):
        raise ValidationError(_("Choose one question or one field."))
    version_id = (question.field if question else field).version_id
    if version_id != session.assessment.version_id:
        raise ValidationError(_("The question is not part of this workshop's questionnaire."))
    session.question, session.field = question, field
    session.revealed, session.timer_ends_at, session.status = False, None, Status.RUNNING
    return _save(session, "question", "field", "revealed", "timer_ends_at", "status")


@transaction.atomic
def live_timer_start(*, session: LiveSession, revision: int, seconds: int) -> LiveSession:
    """Starts a countdown shown on every screen; votes close when it reaches zero."""
    session = _locked(session, revision)
    if not phases.valid_timer(seconds):
        raise ValidationError(
            _("A timer runs between %(min)s and %(max)s seconds.")
            % {"min": phases.TIMER_MIN_SECONDS, "max": phases.TIMER_MAX_SECONDS}
        )
    _needs_item(session)
    if session.phase() not in {Phase.VOTING, Phase.LOCKED}:
        raise ValidationError(_("The timer runs only while votes are open."))
    session.timer_ends_at = timezone.now() + timedelta(seconds=seconds)
    return _save(session, "timer_ends_at")


@transaction.atomic
def live_timer_stop(*, session: LiveSession, revision: int) -> LiveSession:
    """Stops the countdown: votes stay open without a time limit (also after the timer ran out)."""
    session = _locked(session, revision)
    session.timer_ends_at = None
    return _save(session, "timer_ends_at")


@transaction.atomic
def live_reveal(*, session: LiveSession, revision: int) -> LiveSession:
    """Shows the distribution of the votes on every screen; votes are closed from now on."""
    session = _locked(session, revision)
    _needs_item(session)
    session.revealed, session.timer_ends_at, session.status = True, None, Status.RUNNING
    return _save(session, "revealed", "timer_ends_at", "status")


@transaction.atomic
def live_reopen(*, session: LiveSession, revision: int) -> LiveSession:
    """Opens the current question or field again: results hidden, everybody may change their vote."""
    session = _locked(session, revision)
    _needs_item(session)
    session.revealed, session.timer_ends_at, session.status = False, None, Status.RUNNING
    return _save(session, "revealed", "timer_ends_at", "status")


@transaction.atomic
def live_consensus(
    *,
    session: LiveSession,
    revision: int,
    question: Question,
    option: AnswerOption | None,
    clear: bool = False,
) -> LiveSession:
    """Sets (or clears) the room's consensus on a shown question: the workshop's consensus, roadmap included."""
    session = _locked(session, revision)
    if not session.revealed or question.pk not in session.open_question_ids():
        raise ValidationError(_("A consensus is set on a question whose results are shown."))
    consensus_set(assessment=session.assessment, question=question, option=option, clear=clear)
    return _save(session)


@transaction.atomic
def live_pause(*, session: LiveSession, revision: int, paused: bool) -> LiveSession:
    """Pauses the session (every screen shows a break, votes are closed, the timer stops) or continues it."""
    session = _locked(session, revision)
    session.status = Status.PAUSED if paused else Status.RUNNING
    session.timer_ends_at = None
    return _save(session, "status", "timer_ends_at")


@transaction.atomic
def live_anonymous_set(*, session: LiveSession, revision: int, allow: bool) -> LiveSession:
    """Allows people to join without a name, or asks everyone who joins from now on for one."""
    session = _locked(session, revision)
    session.allow_anonymous = allow
    return _save(session, "allow_anonymous")


@transaction.atomic
def live_end(*, session: LiveSession, revision: int, share_result: bool = False) -> LiveSession:
    """Ends the session: the join code stops working, phones say thank you (and link the group result if the
    consultant shares it). The answers stay the workshop's answers."""
    session = _locked(session, revision)
    session.status, session.timer_ends_at, session.ended_at = Status.ENDED, None, timezone.now()
    session.result_shared = share_result
    return _save(session, "status", "timer_ends_at", "ended_at", "result_shared")


@transaction.atomic
def live_join(*, session: LiveSession, name: str = "", participant: Participant | None = None) -> Participant:
    """Lets someone in the room join: a new participant of the workshop (with a name unless anonymous voting
    is allowed), or the participant this browser already is. Nobody learns a secret: the new participant's
    link is never shown, the browser's session is what identifies them."""
    session = LiveSession.objects.select_related("assessment").get(pk=session.pk)
    if not phases.is_open(session.status):
        raise JoinRefused(_("This live workshop has ended."))
    if participant is not None and (
        participant.assessment_id != session.assessment_id or participant.revoked_at is not None
    ):
        participant = None
    if participant is None:
        name = name.strip()
        if not name and not session.allow_anonymous:
            raise JoinRefused(_("Please enter your name."))
        participant = access.participant_add(assessment=session.assessment, name=name).participant
    LiveMember.objects.get_or_create(session=session, participant=participant)
    return participant


@transaction.atomic
def live_vote(
    *,
    session: LiveSession,
    participant: Participant,
    answers: dict[Question, AnswerOption | None],
    seen_revisions: dict[int, int] | None = None,
) -> SavedAnswers:
    """A person in the room votes on the open question(s): saved as their answer to the workshop.

    Refused with nothing written when the question is not open now, the timer ran out, the results are shown,
    the session pauses or has ended, or the answer is not one of the question's options.
    """
    session = LiveSession.objects.select_for_update().select_related("assessment").get(pk=session.pk)
    if not phases.accepts_votes(session.phase()):
        raise VoteClosed(_("Votes on this question are closed."))
    if not answers:
        raise BadAnswer(_("Please choose an answer."))
    open_ids = session.open_question_ids()
    if any(question.pk not in open_ids for question in answers):
        raise VoteClosed(_("This question is not open for votes now."))
    if not LiveMember.objects.filter(
        session=session, participant=participant, participant__revoked_at__isnull=True
    ).exists():
        raise AnswerRefused(_("Please join the live workshop first."))
    return answer_save(participant=participant, answers=answers, seen_revisions=seen_revisions)
