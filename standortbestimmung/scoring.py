"""The scoring rule of the Standortbestimmung: answers in, levels with reasons out. Pure Python, no ORM.

The rule (also on the methodology page and in the PDF report):

* Every answer is directly a level: option 1 = Unaware … option 4 = Commit. "Weiß nicht" and unanswered
  questions are left out of every count.
* A field is assessable when at least half of its questions, and at least three, have an answer.
* The score of a field is the mean of its answered levels (1.0 to 4.0).
* The level of a field is the highest level L that at least two thirds of the answered questions reach
  (answer >= L). So a level needs broad evidence: one isolated high answer never lifts a field, and all
  answers at L give exactly L.
* The overall level applies the same rule one step up: the highest level that at least two thirds of the
  assessable fields reach; the overall score is the mean of their scores. It is assessable when the fields
  are (at least half of them and at least three).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from fractions import Fraction

from django.utils import translation
from django.utils.translation import gettext, gettext_lazy, ngettext

# A level needs this share of the answers at or above it.
BROAD_EVIDENCE = Fraction(2, 3)
# A field (or the whole profile) needs this share of its questions (fields) answered, and at least MIN_COUNT.
MIN_SHARE = Fraction(1, 2)
MIN_COUNT = 3


class ScoringError(ValueError):
    """Raised for input the rule cannot score honestly (unknown question, impossible level)."""


class Level(IntEnum):
    UNAWARE = 1
    ADOPT = 2
    BUILD = 3
    COMMIT = 4

    @property
    def label(self) -> str:
        return str(LEVEL_LABELS[self])

    @property
    def next(self) -> Level | None:
        return Level(self + 1) if self < Level.COMMIT else None


# The level names are the method's own names; German keeps them, but they stay translatable.
LEVEL_LABELS = {
    Level.UNAWARE: gettext_lazy("Unaware"),
    Level.ADOPT: gettext_lazy("Adopt"),
    Level.BUILD: gettext_lazy("Build"),
    Level.COMMIT: gettext_lazy("Commit"),
}


class FieldCode(StrEnum):
    JOURNEYS = "journeys"
    INSIGHTS = "insights"
    SKILLS = "skills"
    CULTURE = "culture"
    OPERATIONS = "operations"
    TOOLS = "tools"


FIELD_ORDER: tuple[FieldCode, ...] = tuple(FieldCode)


def parse_level(value: object) -> Level | None:
    """Turns 1..4 (or a Level) into a Level and None into "weiß nicht"; anything else is a ScoringError."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScoringError(f"An answer must be a level from 1 to 4 or None, not {value!r}.")
    try:
        return Level(value)
    except ValueError:
        raise ScoringError(f"An answer must be a level from 1 to 4 or None, not {value!r}.") from None


def broad_level(levels: Iterable[Level]) -> Level:
    """The highest level that at least two thirds of the given levels reach (Unaware for none)."""
    levels = list(levels)
    reached = Level.UNAWARE
    for candidate in Level:
        if (
            len(levels)
            and Fraction(sum(1 for lv in levels if lv >= candidate), len(levels)) >= BROAD_EVIDENCE
        ):
            reached = candidate
    return reached


def needed_count(total: int) -> int:
    """How many answers (of total questions) make a field assessable."""
    return max(MIN_COUNT, math.ceil(total * MIN_SHARE))


@dataclass(frozen=True)
class FieldResult:
    """The result of one field, with everything needed to explain it."""

    field: FieldCode
    questions: int
    answered: int
    dont_know: int
    unanswered: int
    score: float | None
    level: Level | None
    support: int  # answered questions at the field's level or above
    next_level: Level | None
    missing_for_next: int  # how many more answers must reach next_level to lift the field
    holding_back: tuple[str, ...]  # answered questions below next_level, lowest answers first

    @property
    def assessable(self) -> bool:
        return self.level is not None

    @property
    def needed(self) -> int:
        return needed_count(self.questions)

    @property
    def holding_back_most(self) -> tuple[str, ...]:
        """The questions that hold the field back most: as many of the lowest as must rise for the next level."""
        return self.holding_back[: max(self.missing_for_next, 0)]

    def explanation(self, lang: str | None = None) -> str:
        """One or two sentences on why the field has its level, in lang (default: the active language)."""
        with translation.override(lang or translation.get_language()):
            if not self.assessable:
                return gettext(
                    "Not assessable: %(answered)s of %(questions)s questions answered, at least %(needed)s "
                    "are needed for a reliable level."
                ) % {"answered": self.answered, "questions": self.questions, "needed": self.needed}
            if self.level == Level.UNAWARE:
                text = self._why_not_higher()
            else:
                text = ngettext(
                    "%(level)s, because %(support)s of %(answered)s answered practice is at %(level)s or higher.",
                    "%(level)s, because %(support)s of %(answered)s answered practices are at %(level)s or "
                    "higher.",
                    self.answered,
                ) % {"level": self.level.label, "support": self.support, "answered": self.answered}
            if self.next_level is None:
                return text
            more = ngettext(
                "For %(next)s, %(missing)s more practice would have to reach %(next)s.",
                "For %(next)s, %(missing)s more practices would have to reach %(next)s.",
                self.missing_for_next,
            ) % {"next": self.next_level.label, "missing": self.missing_for_next}
            return f"{text} {more}"

    def _why_not_higher(self) -> str:
        """For the lowest level, which every answer reaches: what is missing for the next one."""
        values = {
            "level": self.level.label,
            "next": self.next_level.label,
            "reaching": self.answered - len(self.holding_back),
            "answered": self.answered,
        }
        if values["reaching"] == 0:
            return (
                ngettext(
                    "%(level)s, because the answered practice does not reach %(next)s yet.",
                    "%(level)s, because none of the %(answered)s answered practices reaches %(next)s yet.",
                    self.answered,
                )
                % values
            )
        return (
            ngettext(
                "%(level)s, because only %(reaching)s of %(answered)s answered practice reaches %(next)s; a level "
                "needs at least two thirds of them.",
                "%(level)s, because only %(reaching)s of %(answered)s answered practices reach %(next)s; a level "
                "needs at least two thirds of them.",
                self.answered,
            )
            % values
        )

    def explanations(self) -> dict[str, str]:
        """The explanation in German and in English."""
        return {"de": self.explanation("de"), "en": self.explanation("en")}


@dataclass(frozen=True)
class Profile:
    """The result of a whole assessment: one FieldResult per field plus the overall level."""

    fields: tuple[FieldResult, ...]
    level: Level | None
    score: float | None

    @property
    def assessable(self) -> bool:
        return self.level is not None

    def field(self, code: FieldCode | str) -> FieldResult:
        """The result of the field with this code."""
        for result in self.fields:
            if result.field == code:
                return result
        raise KeyError(code)

    def ranked(self) -> list[FieldResult]:
        """Assessable fields from weakest to strongest (score, then field order): the weakest is the lever."""
        assessable = [r for r in self.fields if r.assessable]
        return sorted(assessable, key=lambda r: (r.level, r.score, FIELD_ORDER.index(r.field)))


def score_field(
    field: FieldCode | str, questions: Sequence[str], answers: Mapping[str, object]
) -> FieldResult:
    """Scores one field from its question codes (in order) and the answers given to them."""
    field = FieldCode(field)
    order = {code: i for i, code in enumerate(questions)}
    given = {code: parse_level(answers[code]) for code in questions if code in answers}
    answered = {code: lv for code, lv in given.items() if lv is not None}
    counts = {
        "field": field,
        "questions": len(questions),
        "answered": len(answered),
        "dont_know": len(given) - len(answered),
        "unanswered": len(questions) - len(given),
        "score": _mean(answered.values()),
    }
    if len(answered) < needed_count(len(questions)):
        return FieldResult(
            **counts, level=None, support=0, next_level=None, missing_for_next=0, holding_back=()
        )
    level = broad_level(answered.values())
    next_level = level.next
    missing, holding_back = 0, ()
    if next_level is not None:
        reaching = sum(1 for lv in answered.values() if lv >= next_level)
        missing = math.ceil(len(answered) * BROAD_EVIDENCE) - reaching
        below = [code for code, lv in answered.items() if lv < next_level]
        holding_back = tuple(sorted(below, key=lambda c: (answered[c], order[c])))
    return FieldResult(
        **counts,
        level=level,
        support=sum(1 for lv in answered.values() if lv >= level),
        next_level=next_level,
        missing_for_next=missing,
        holding_back=holding_back,
    )


def score(questionnaire: Mapping[FieldCode | str, Sequence[str]], answers: Mapping[str, object]) -> Profile:
    """Scores a whole assessment.

    questionnaire maps each field code to its question codes in order; answers maps question codes to a level
    (1..4) or None for "weiß nicht". A question without an entry in answers is unanswered.
    """
    known = {code for codes in questionnaire.values() for code in codes}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise ScoringError(f"Answers to unknown questions: {', '.join(unknown)}.")
    fields = tuple(score_field(field, codes, answers) for field, codes in questionnaire.items())
    assessable = [r for r in fields if r.assessable]
    if len(assessable) < needed_count(len(fields)):
        return Profile(fields, None, None)
    return Profile(fields, broad_level(r.level for r in assessable), _mean(r.score for r in assessable))


def _mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return round(sum(values) / len(values), 2) if values else None


# --- several participants -------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionSpread:
    """How a group answered one question: counts per level, the central answer and how far apart they are."""

    question: str
    counts: tuple[int, int, int, int]  # participants at Unaware, Adopt, Build, Commit
    dont_know: int
    central: Level | None  # the lower median of the answers; None when nobody chose a level
    spread: int  # highest minus lowest answer, 0 (agreement) to 3 (Unaware next to Commit)
    deviation: float  # mean absolute distance from the median, to rank questions with the same spread

    @property
    def answered(self) -> int:
        return sum(self.counts)

    @property
    def chosen_levels(self) -> tuple[tuple[Level, int], ...]:
        """(level, how many chose it) for each level somebody chose, lowest first."""
        return tuple((level, n) for level, n in zip(Level, self.counts, strict=True) if n)


def question_spread(question: str, answers: Iterable[object]) -> QuestionSpread:
    """The distribution of a group's answers to one question (None = "weiß nicht")."""
    given = [parse_level(a) for a in answers]
    levels = sorted(lv for lv in given if lv is not None)
    counts = tuple(sum(1 for lv in levels if lv == level) for level in Level)
    if not levels:
        return QuestionSpread(question, counts, len(given), None, 0, 0.0)
    central = levels[(len(levels) - 1) // 2]
    deviation = round(sum(abs(lv - central) for lv in levels) / len(levels), 3)
    return QuestionSpread(
        question, counts, len(given) - len(levels), central, levels[-1] - levels[0], deviation
    )


def group_answers(
    per_participant: Iterable[Mapping[str, object]], consensus: Mapping[str, object] | None = None
) -> dict[str, Level | None]:
    """The answers a group's result is scored from: the consensus where one was set, else the lower median.

    The lower median keeps the rule's caution: a level needs the middle of the room, not its most optimistic
    member. A question only "weiß nicht"-answered by everyone counts as "weiß nicht".
    """
    per_participant = list(per_participant)
    codes = {code for answers in per_participant for code in answers} | set(consensus or {})
    result: dict[str, Level | None] = {}
    for code in sorted(codes):
        if consensus and code in consensus:
            result[code] = parse_level(consensus[code])
            continue
        result[code] = question_spread(code, [a[code] for a in per_participant if code in a]).central
    return result
