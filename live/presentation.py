"""What the three live screens show, read from the database in a few queries: the open questions, who is in
the room, how many answered, and (once shown) the distribution. Also the QR code of the join address."""

from dataclasses import dataclass, field

import segno
from django.db.models import Count, Q
from django.utils import timezone

from live import phases
from live.models import LiveMember, LiveSession
from live.phases import Phase
from live.tally import Bar, Segment, bars, stacked
from standortbestimmung import scoring
from standortbestimmung.forms import DONT_KNOW
from standortbestimmung.models import Answer, AnswerOption, ConsensusAnswer, Field, Question
from standortbestimmung.questionnaire import questionnaire_of
from standortbestimmung.scoring import Level, QuestionSpread


@dataclass(frozen=True)
class QuestionRow:
    """One open question as a screen shows it."""

    question: Question
    answered: int  # people in the room who answered it
    spread: QuestionSpread | None  # the room's distribution, only once shown
    bars: list[Bar]
    has_consensus: bool
    consensus: Level | None
    chosen: str = ""  # the viewer's own answer: "" none, "dk" don't know, else the option's id
    revision: int = 0  # the revision of the viewer's own answer (0: none yet)

    @property
    def options(self) -> list[tuple[AnswerOption, Bar | None]]:
        """The four options from Unaware to Commit, each with its bar once the results are shown."""
        by_level = {bar.level: bar for bar in self.bars}
        return [(option, by_level.get(Level(option.level))) for option in self.question.options.all()]

    @property
    def dont_know(self) -> Bar | None:
        return self.bars[-1] if self.bars else None

    @property
    def segments(self) -> list[Segment]:
        return stacked(self.bars)


@dataclass(frozen=True)
class Person:
    name: str
    answered: bool  # answered every open question


@dataclass(frozen=True)
class Room:
    session: LiveSession
    phase: Phase
    field: Field | None  # the field of what is open
    rows: list[QuestionRow]
    people: int
    answered: int  # people who answered every open question
    seconds_left: int | None
    version: str
    names: list[Person] = field(default_factory=list)  # for the consultant only

    @property
    def single(self) -> bool:
        return len(self.rows) == 1

    @property
    def shown(self) -> bool:
        return self.phase == Phase.REVEALED

    @property
    def accepts_votes(self) -> bool:
        return phases.accepts_votes(self.phase)

    @property
    def everyone_answered(self) -> bool:
        return self.people > 0 and self.answered == self.people


def _members(session: LiveSession):
    return LiveMember.objects.filter(session=session, participant__revoked_at__isnull=True)


def screen_version(session: LiveSession, *, counts: bool) -> str:
    """The version of what a screen shows (with the room's counts for presenter and control): two queries."""
    phase = session.phase()
    if not counts:
        return phases.screen_version(revision=session.revision, phase=phase)
    counts = _members(session).aggregate(  # one query: people in the room and their answers to what is open
        people=Count("pk", distinct=True),
        answers=Count(
            "participant__answers",
            filter=Q(participant__answers__question_id__in=session.open_question_ids()),
        ),
    )
    return phases.screen_version(
        revision=session.revision, phase=phase, people=counts["people"], answers=counts["answers"]
    )


def room_of(session: LiveSession, *, viewer=None, with_names: bool = False, counts: bool = True) -> Room:
    """Everything a screen shows of the session; viewer (a participant) adds their own answers."""
    now = timezone.now()
    phase = session.phase(now)
    questions = session.open_questions()
    question_ids = [q.pk for q in questions]
    members = list(_members(session).values_list("participant_id", "participant__name"))
    member_ids = {pid for pid, _name in members}
    rows = Answer.objects.filter(participant_id__in=member_ids, question_id__in=question_ids).values_list(
        "participant_id", "question_id", "option_id", "revision"
    )
    questionnaire = questionnaire_of(session.assessment)
    given: dict[int, list] = {qid: [] for qid in question_ids}
    per_person: dict[int, int] = {}
    own: dict[int, tuple[int | None, int]] = {}
    for pid, qid, oid, revision in rows:
        given[qid].append(questionnaire.level_of(oid))
        per_person[pid] = per_person.get(pid, 0) + 1
        if viewer is not None and pid == viewer.pk:
            own[qid] = (oid, revision)
    if viewer is not None and viewer.pk not in member_ids and question_ids:  # their own, even if not counted
        own = {
            qid: (oid, rev)
            for qid, oid, rev in Answer.objects.filter(
                participant=viewer, question_id__in=question_ids
            ).values_list("question_id", "option_id", "revision")
        }
    shown = phase == Phase.REVEALED
    consensus = (
        dict(
            ConsensusAnswer.objects.filter(
                assessment_id=session.assessment_id, question_id__in=question_ids
            ).values_list("question_id", "option__level")
        )
        if shown
        else {}
    )
    question_rows = []
    for question in questions:
        spread = scoring.question_spread(question.code, given[question.pk]) if shown else None
        has_consensus = question.pk in consensus
        level = Level(consensus[question.pk]) if consensus.get(question.pk) else None
        option_id, revision = own.get(question.pk, ("", 0))
        question_rows.append(
            QuestionRow(
                question=question,
                answered=len(given[question.pk]),
                spread=spread,
                bars=bars(spread, level, has_consensus) if spread else [],
                has_consensus=has_consensus,
                consensus=level,
                chosen=DONT_KNOW if option_id is None else str(option_id),
                revision=revision,
            )
        )
    answered = sum(1 for pid in member_ids if question_ids and per_person.get(pid, 0) == len(question_ids))
    field_id = session.field_id or (questions[0].field_id if questions else None)
    return Room(
        session=session,
        phase=phase,
        field=next((f for f in questionnaire.fields if f.pk == field_id), None),
        rows=question_rows,
        people=len(member_ids),
        answered=answered,
        seconds_left=phases.seconds_left(session.timer_ends_at, now)
        if phase in {Phase.VOTING, Phase.LOCKED}
        else None,
        version=phases.screen_version(
            revision=session.revision,
            phase=phase,
            people=len(member_ids) if counts else 0,
            answers=len(rows) if counts else 0,
        ),
        names=[
            Person(name, bool(question_ids) and per_person.get(pid, 0) == len(question_ids))
            for pid, name in members
        ]
        if with_names
        else [],
    )


def qr_svg(url: str) -> str:
    """The QR code of url as inline SVG (presentation attributes only, so a strict CSP allows it)."""
    return segno.make(url, error="m").svg_inline(
        scale=1, border=2, dark="#000", light="#fff", omitsize=True, svgclass="qr-code", lineclass=None
    )
