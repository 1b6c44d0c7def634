"""Saving a participant's answers: one row per question, refused when finished, stale or foreign."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from standortbestimmung.models import Answer, AnswerOption, Assessment, Participant, Question


class AnswerProblem(Exception):
    """An answer that was not saved; the message says why, status is the HTTP status that says so."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class BadAnswer(AnswerProblem):
    """A posted answer that does not fit the questionnaire (a tampered or outdated form)."""


class AnswerRefused(AnswerProblem):
    """An answer that must not be written (finished assessment, revoked link)."""


class StaleAnswer(AnswerProblem):
    """The answer was changed elsewhere (another tab) after the page showing it was loaded."""

    status = 409


@dataclass(frozen=True)
class AnswerNote:
    """What a participant adds to an answer: how sure they are ("" not said) and a short note or link."""

    confidence: str = ""
    evidence: str = ""

    def __bool__(self) -> bool:
        return bool(self.confidence or self.evidence)


@dataclass(frozen=True)
class AnswerState:
    """A saved answer as a step page shows it again."""

    option_id: int | None  # None: "weiß nicht"
    revision: int
    confidence: str
    evidence: str


@dataclass(frozen=True)
class SavedAnswers:
    answers: list[Answer]  # the rows of the saved questions, as they are now
    changed: bool  # whether anything was written (saving the answer that is there writes nothing)
    kept: tuple[Question, ...] = ()  # with keep_newer: questions changed elsewhere, left as they are


# No savepoint of its own inside a caller's transaction (two statements fewer per autosave): a refusal rolls back
# the caller's transaction or savepoint with it (respondent.services.answer_save, the one caller, has one).
@transaction.atomic(savepoint=False)
def answers_save(
    *,
    participant: Participant,
    answers: dict[Question, AnswerOption | None],
    seen_revisions: dict[int, int] | None = None,
    keep_newer: bool = False,
    notes: dict[int, AnswerNote] | None = None,
) -> SavedAnswers:
    """Saves answers (None = "weiß nicht"); idempotent, one row per participant and question.

    seen_revisions (question id -> the revision the page showed, 0 for unanswered) turns a write over a newer
    answer into StaleAnswer instead of a silent overwrite. Saving the answer that is already there is fine.
    With keep_newer, such an answer is left as it is and listed in `kept`, and the others are saved.
    notes (question id -> confidence and note) replace what the answer had; a question without an entry keeps
    its note. A note comes with its answer: a non-empty note to a question not answered in the same call is
    refused (BadAnswer), an empty one ignored.
    """
    notes = notes or {}
    # The participant row is the lock: saves of one participant happen one after the other.
    participant = Participant.objects.select_for_update().select_related("assessment").get(pk=participant.pk)
    if participant.finished_at is not None or not participant.assessment.is_open:
        raise AnswerRefused(_("This assessment is finished; its answers can no longer be changed."))
    existing = {
        a.question_id: a for a in Answer.objects.filter(participant=participant, question__in=answers)
    }
    kept = []
    answered_here = {q.pk for q in answers}
    if any(note for qid, note in notes.items() if qid not in answered_here):
        raise BadAnswer(_("Please choose an answer first: the note is saved together with it."))
    for question, option in answers.items():
        if option is not None and option.question_id != question.pk:
            raise BadAnswer(_("The chosen answer does not belong to this question."))
        current = existing.get(question.pk)
        if seen_revisions and question.pk in seen_revisions and current is not None:
            unchanged = current.option_id == (option.pk if option else None) and _note_of(
                current, notes.get(question.pk)
            ) == _note_of(current, None)
            if current.revision != seen_revisions[question.pk] and not unchanged:
                if not keep_newer:
                    raise StaleAnswer(
                        _(
                            "This answer was changed meanwhile, in another tab or window. The answer saved "
                            "there is shown now; choose again to change it."
                        )
                    )
                kept.append(question)
    saved, changed = [], False
    for question, option in answers.items():
        answer = existing.get(question.pk)
        if question in kept:
            saved.append(answer)
            continue
        note = notes.get(question.pk) or AnswerNote()
        if answer is None:
            answer = Answer.objects.create(
                participant=participant,
                question=question,
                option=option,
                confidence=note.confidence,
                evidence=note.evidence,
            )
            changed = True
        elif answer.option_id != (option.pk if option else None) or _note_of(
            answer, notes.get(question.pk)
        ) != _note_of(answer, None):
            answer.option = option
            answer.confidence, answer.evidence = _note_of(answer, notes.get(question.pk))
            answer.revision += 1
            answer.save(update_fields=["option", "confidence", "evidence", "revision", "updated_at"])
            changed = True
        saved.append(answer)
    if changed:  # saving what is already there changes nothing, not even the time of the last change
        Assessment.objects.filter(pk=participant.assessment_id).update(updated_at=timezone.now())
    return SavedAnswers(saved, changed, tuple(kept))


def _note_of(answer: Answer, note: AnswerNote | None) -> tuple[str, str]:
    """The confidence and note the answer has after saving: the posted ones, else the ones it had."""
    return (note.confidence, note.evidence) if note is not None else (answer.confidence, answer.evidence)


def participant_answers(*, participant: Participant) -> dict[int, tuple[int | None, int]]:
    """Question id -> (chosen option id or None for "weiß nicht", revision) of everything answered."""
    rows = Answer.objects.filter(participant=participant).values_list("question_id", "option_id", "revision")
    return {qid: (oid, revision) for qid, oid, revision in rows}


def participant_answer_count(*, participant: Participant) -> int:
    """How many questions the participant answered ("weiß nicht" included)."""
    return Answer.objects.filter(participant=participant).count()


def participant_answer_states(*, participant: Participant) -> dict[int, AnswerState]:
    """Question id -> the saved answer with its revision, confidence and note (for the step page)."""
    rows = Answer.objects.filter(participant=participant).values_list(
        "question_id", "option_id", "revision", "confidence", "evidence"
    )
    return {qid: AnswerState(oid, revision, sure, note) for qid, oid, revision, sure, note in rows}
