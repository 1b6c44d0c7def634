"""Results per business unit and per role, and where they differ: the perception gaps of a workshop. Pure Python.

* The segments of one dimension (unit or role) partition the participants that have a value for it; the others
  are reported as unassigned, never put into a segment. A blank value counts as no value.
* A segment's result is the group rule applied to its members alone: score(structure, group_answers(...)). The
  workshop's consensus belongs to the whole group and plays no part in a segment.
* A participant has answered when at least one answer is a level; only "weiß nicht" says nothing about the company.
* A segment is shown only when at least min_participants (default 3, never below 2) members have answered;
  otherwise it is suppressed as a whole (too few answers, and one person would be recognisable), never merged.
* A perception gap compares the shown segments of one dimension: per field the highest against the lowest segment
  (by level, then score), per question the highest against the lowest group answer. Largest first.
* A field rests on guesses when guesses to questions the consultant has not validated are more than a third of
  the answers that count for it (all participants' levels to its questions). No confidence given is no guess.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from django.utils import translation
from django.utils.translation import gettext

from standortbestimmung.scoring import (
    FIELD_ORDER,
    FieldCode,
    Level,
    Profile,
    ScoringError,
    group_answers,
    parse_level,
    score,
)

MIN_PARTICIPANTS = 3
# A field is flagged when more than this share of its answers are unvalidated guesses.
GUESS_SHARE = Fraction(1, 3)

Structure = Mapping[FieldCode | str, Sequence[str]]
ParticipantId = int | str


class Dimension(StrEnum):
    UNIT = "unit"  # business unit or key journey
    ROLE = "role"


class Confidence(StrEnum):
    SURE = "sure"
    RATHER_SURE = "rather_sure"
    GUESS = "guess"


@dataclass(frozen=True)
class Participant:
    """One workshop participant: where they belong, what they answered (None = "weiß nicht"), how sure they were."""

    id: ParticipantId
    unit: str | None
    role: str | None
    answers: Mapping[str, Level | None] = dataclasses.field(default_factory=dict, hash=False)
    confidence: Mapping[str, Confidence] = dataclasses.field(default_factory=dict, hash=False)

    def segment(self, dimension: Dimension) -> str | None:
        """The participant's unit or role; None when they have none (blank counts as none)."""
        value = self.unit if dimension == Dimension.UNIT else self.role
        return value if value and value.strip() else None

    @property
    def answered(self) -> bool:
        return any(parse_level(value) is not None for value in self.answers.values())


@dataclass(frozen=True)
class Segment:
    """One unit or role: its members and, when enough of them answered, its result."""

    name: str
    members: tuple[ParticipantId, ...]  # in the order the participants were given
    answering: int  # members with at least one level
    profile: Profile | None  # None: suppressed, too few answers
    answers: Mapping[str, Level | None] = dataclasses.field(default_factory=dict, hash=False)  # group answers

    @property
    def suppressed(self) -> bool:
        return self.profile is None


@dataclass(frozen=True)
class Segmentation:
    """All segments of one dimension, in the consultant's order, and who belongs to none of them."""

    dimension: Dimension
    min_participants: int
    structure: tuple[tuple[FieldCode, tuple[str, ...]], ...]
    segments: tuple[Segment, ...]
    unassigned: tuple[ParticipantId, ...]  # participants without a value for the dimension

    @property
    def shown(self) -> tuple[Segment, ...]:
        return tuple(s for s in self.segments if not s.suppressed)


def profile_of(structure: Structure, participants: Iterable[Participant]) -> Profile:
    """The group rule applied to these participants' answers (lower median per question, no consensus)."""
    return score(structure, group_answers(p.answers for p in participants))


def segment_results(
    structure: Structure,
    participants: Sequence[Participant],
    dimension: Dimension | str,
    *,
    order: Sequence[str] = (),
    min_participants: int = MIN_PARTICIPANTS,
) -> Segmentation:
    """The result of every unit (or role): the segments named in order first, then the others by name."""
    dimension = Dimension(dimension)
    if min_participants < 2:
        raise ValueError(f"min_participants must be at least 2, not {min_participants}.")
    if len(set(order)) != len(order):
        raise ValueError("A segment is named twice in the order.")
    counts = Counter(p.id for p in participants)
    if twice := sorted(str(pid) for pid, n in counts.items() if n > 1):
        raise ValueError(f"Participant ids given twice: {', '.join(twice)}.")
    known = {code for codes in structure.values() for code in codes}
    if unknown := sorted({code for p in participants for code in p.answers} - known):
        raise ScoringError(f"Answers to unknown questions: {', '.join(unknown)}.")

    members: dict[str, list[Participant]] = {name: [] for name in order}
    unassigned = []
    for p in participants:
        name = p.segment(dimension)
        if name is None:
            unassigned.append(p.id)
        else:
            members.setdefault(name, []).append(p)
    rest = sorted(set(members) - set(order), key=lambda name: (name.casefold(), name))
    segments = []
    for name in [*order, *rest]:
        group = members[name]
        answering = sum(1 for p in group if p.answered)
        ids = tuple(p.id for p in group)
        if answering < min_participants:
            segments.append(Segment(name, ids, answering, None))
            continue
        answers = group_answers(p.answers for p in group)
        segments.append(Segment(name, ids, answering, score(structure, answers), answers))
    frozen_structure = tuple((FieldCode(f), tuple(codes)) for f, codes in structure.items())
    return Segmentation(dimension, min_participants, frozen_structure, tuple(segments), tuple(unassigned))


# --- heatmap -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One segment's level and score in one field; both None when the field is not assessable there."""

    field: FieldCode
    level: Level | None
    score: float | None


@dataclass(frozen=True)
class HeatmapRow:
    """A segment's row of the heatmap; a suppressed segment has no cells at all."""

    segment: str
    cells: tuple[Cell, ...] | None

    @property
    def suppressed(self) -> bool:
        return self.cells is None


def heatmap(segmentation: Segmentation) -> tuple[HeatmapRow, ...]:
    """Segment × field: one row per segment in the segmentation's order, the six fields in FIELD_ORDER."""
    rows = []
    for segment in segmentation.segments:
        if segment.profile is None:
            rows.append(HeatmapRow(segment.name, None))
            continue
        results = {r.field: r for r in segment.profile.fields if r.assessable}
        cells = tuple(
            Cell(code, results[code].level, results[code].score)
            if code in results
            else Cell(code, None, None)
            for code in FIELD_ORDER
        )
        rows.append(HeatmapRow(segment.name, cells))
    return tuple(rows)


# --- perception gaps ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    """Where segments see the company differently: the highest and the lowest segment of a field or question."""

    dimension: Dimension
    field: FieldCode
    question: str | None  # None: the whole field
    high: str
    high_level: Level
    low: str
    low_level: Level
    score_gap: float = 0.0  # field gaps: the high segment's score minus the low one's

    @property
    def levels(self) -> int:
        return self.high_level - self.low_level


def field_gaps(segmentation: Segmentation, *, min_levels: int = 1) -> tuple[Gap, ...]:
    """Per field, the highest against the lowest shown segment; at least min_levels apart, largest first."""
    gaps = []
    for code, _questions in segmentation.structure:
        rated = [
            ((r.level, r.score), segment.name)
            for segment in segmentation.shown
            for r in segment.profile.fields
            if r.field == code and r.assessable
        ]
        if len(rated) >= 2:
            ((high_level, high_score), high), ((low_level, low_score), low) = _high_and_low(rated)
            score_gap = round(high_score - low_score, 2)
            gaps.append(Gap(segmentation.dimension, code, None, high, high_level, low, low_level, score_gap))
    gaps = [g for g in gaps if g.levels >= min_levels]
    return tuple(sorted(gaps, key=lambda g: (-g.levels, -g.score_gap, FIELD_ORDER.index(g.field))))


def question_gaps(segmentation: Segmentation, *, min_levels: int = 1) -> tuple[Gap, ...]:
    """Per question, the highest against the lowest shown segment's group answer; largest first."""
    gaps, position = [], {}
    for code, questions in segmentation.structure:
        for i, question in enumerate(questions):
            position[question] = i
            rated = [
                (segment.answers[question], segment.name)
                for segment in segmentation.shown
                if segment.answers.get(question) is not None
            ]
            if len(rated) >= 2:
                (high_level, high), (low_level, low) = _high_and_low(rated)
                gaps.append(Gap(segmentation.dimension, code, question, high, high_level, low, low_level))
    gaps = [g for g in gaps if g.levels >= min_levels]
    return tuple(sorted(gaps, key=lambda g: (-g.levels, FIELD_ORDER.index(g.field), position[g.question])))


def _high_and_low(rated: list[tuple]) -> tuple[tuple, tuple]:
    # rated holds (value, segment name) in segment order; max and min keep the first of equals, so a tie goes
    # to the earlier segment and the result never depends on the order of the participants.
    high = max(rated, key=lambda pair: pair[0])
    low = min((pair for pair in rated if pair is not high), key=lambda pair: pair[0])
    return high, low


def gap_sentence(gap: Gap, subject: str, lang: str | None = None) -> str:
    """The gap as a sentence; subject is the field's name (or the question's text) in the same language."""
    with translation.override(lang or translation.get_language()):
        values = {
            "high": gap.high,
            "high_level": gap.high_level.label,
            "low": gap.low,
            "low_level": gap.low_level.label,
            "subject": subject,
        }
        if gap.question is None:
            return gettext("%(high)s sees %(high_level)s, %(low)s %(low_level)s in %(subject)s.") % values
        return gettext("%(high)s answers %(high_level)s, %(low)s %(low_level)s to “%(subject)s”.") % values


# --- confidence --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldConfidence:
    """How much of a field's evidence are guesses that nobody has checked."""

    field: FieldCode
    answers: int  # the participants' levels to the field's questions ("weiß nicht" left out)
    guesses: int  # of those, marked as a guess
    unchecked_guesses: int  # of those, to questions the consultant has not validated

    @property
    def low_confidence(self) -> bool:
        return self.answers > 0 and Fraction(self.unchecked_guesses, self.answers) > GUESS_SHARE


def field_confidence(
    structure: Structure, participants: Iterable[Participant], validated: Collection[str] = ()
) -> tuple[FieldConfidence, ...]:
    """Per field (in the structure's order), whether its result rests on unvalidated guesses."""
    participants = list(participants)
    result = []
    for code, questions in structure.items():
        answers = guesses = unchecked = 0
        for p in participants:
            for question in questions:
                if parse_level(p.answers.get(question)) is None:
                    continue
                answers += 1
                if p.confidence.get(question) == Confidence.GUESS:
                    guesses += 1
                    unchecked += question not in validated
        result.append(FieldConfidence(FieldCode(code), answers, guesses, unchecked))
    return tuple(result)
