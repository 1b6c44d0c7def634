"""A workshop's results per business unit and per role, its perception gaps and how sure its answers are, as
the workshop page and the report show them (from one AssessmentResult and its groups)."""

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from standortbestimmung import segments
from standortbestimmung.grouping import (
    Groups,
    Note,
    answering_participants,
    groups_of,
    segmentation,
    validated_of,
)
from standortbestimmung.result import AssessmentResult
from standortbestimmung.scoring import FIELD_ORDER, Level
from standortbestimmung.segments import Confidence, Dimension, FieldConfidence

QUESTION_GAPS_SHOWN = 8
CONFIDENCE_ORDER = (Confidence.SURE, Confidence.RATHER_SURE, Confidence.GUESS)


@dataclass(frozen=True)
class HeatmapCell:
    field: str  # the field's name
    level: Level | None  # None: not assessable in this segment


@dataclass(frozen=True)
class HeatmapRow:
    name: str
    members: int
    answering: int
    level: Level | None  # the segment's overall level
    cells: tuple[HeatmapCell, ...] | None  # None: too few answers, nothing is shown

    @property
    def suppressed(self) -> bool:
        return self.cells is None


@dataclass(frozen=True)
class Heatmap:
    """One dimension's table: a row per unit (or role), a column per field."""

    dimension: Dimension
    title: str
    rows: tuple[HeatmapRow, ...]
    unassigned: int  # active participants without a unit (or role)
    fields: tuple[str, ...]  # the column headings

    @property
    def slug(self) -> str:
        return self.dimension.value


@dataclass(frozen=True)
class GapLine:
    sentence: str
    levels: int
    dimension: Dimension
    question_code: str | None


@dataclass(frozen=True)
class NoteLine:
    """A participant's note on one answer, for the consultant."""

    name: str
    level: Level | None
    answered: bool
    confidence: str  # the label, "" when not said
    evidence: str


@dataclass(frozen=True)
class QuestionConfidence:
    counts: tuple[int, int, int]  # sure, rather sure, guess
    validated: bool
    notes: tuple[NoteLine, ...] = ()

    @property
    def given(self) -> bool:
        return any(self.counts)

    @property
    def text(self) -> str:
        """How sure the answers were, in words: "a guess" for one answer, "sure 2 · a guess 1" for several."""
        labels = [confidence_label(c) for c in CONFIDENCE_ORDER]
        if sum(self.counts) == 1:
            return labels[self.counts.index(1)]
        return " · ".join(f"{label} {n}" for label, n in zip(labels, self.counts, strict=True) if n)


@dataclass(frozen=True)
class Breakdown:
    groups: Groups
    min_group_size: int
    heatmaps: tuple[Heatmap, ...]  # units, then roles; only the dimensions that have segments
    field_gaps: tuple[GapLine, ...]
    question_gaps: tuple[GapLine, ...]
    confidence: dict[str, FieldConfidence]  # field code -> how much rests on unchecked guesses
    questions: dict[str, QuestionConfidence] = field(default_factory=dict)  # question code -> confidence

    @property
    def defined(self) -> bool:
        return bool(self.heatmaps)

    @property
    def uncertain(self) -> list[str]:
        """Codes of the fields whose result rests on unvalidated guesses, in field order."""
        return [code for code, c in self.confidence.items() if c.low_confidence]


def confidence_label(value: Confidence | str | None) -> str:
    """How sure, in words of the active language ("" when not said)."""
    labels = {
        Confidence.SURE: _("sure"),
        Confidence.RATHER_SURE: _("rather sure"),
        Confidence.GUESS: _("a guess"),
    }
    return labels.get(value, "") if value else ""


def uncertain_fields(result: AssessmentResult) -> list[str]:
    """Codes of the fields whose result rests largely on unvalidated guesses (the result page's radar and
    summary; the workshop page and the report take them from the breakdown)."""
    participants = answering_participants(result)
    # nobody validates a self-assessment: there, every guess counts as unchecked (1 query, 2 for a workshop)
    is_workshop = result.assessment.kind == result.assessment.Kind.WORKSHOP
    validated = validated_of(result) if is_workshop else frozenset()
    confidence = segments.field_confidence(result.questionnaire.structure(), participants, validated)
    return [c.field.value for c in confidence if c.low_confidence]


def segment_breakdown(result: AssessmentResult, names: dict[int, str] | None = None) -> Breakdown:
    """Heatmaps, perception gaps and confidence of an assessment (names: participant id -> name, for notes)."""
    groups = groups_of(result)
    questionnaire = result.questionnaire
    structure = questionnaire.structure()
    field_names = questionnaire.field_names()
    questions = {q.code: q for q in questionnaire.questions.values()}
    heatmaps, field_gaps, question_gaps = [], [], []
    for dimension, defined, title in [
        (Dimension.UNIT, groups.units, _("Business units")),
        (Dimension.ROLE, groups.roles, _("Roles")),
    ]:
        if not defined:
            continue
        seg = segmentation(groups, structure, dimension)
        heatmaps.append(_heatmap(seg, title, field_names))
        field_gaps += [
            (gap, GapLine(segments.gap_sentence(gap, field_names[gap.field]), gap.levels, dimension, None))
            for gap in segments.field_gaps(seg)
        ]
        question_gaps += [
            (
                gap,
                GapLine(
                    segments.gap_sentence(gap, questions[gap.question].text),
                    gap.levels,
                    dimension,
                    gap.question,
                ),
            )
            for gap in segments.question_gaps(seg)
        ]
    field_gaps.sort(key=lambda pair: (-pair[0].levels, -pair[0].score_gap, FIELD_ORDER.index(pair[0].field)))
    question_gaps.sort(
        key=lambda pair: (
            -pair[0].levels,
            FIELD_ORDER.index(pair[0].field),
            questions[pair[0].question].position,
        )
    )
    confidence = {
        c.field.value: c for c in segments.field_confidence(structure, groups.participants, groups.validated)
    }
    return Breakdown(
        groups=groups,
        min_group_size=groups.min_group_size,
        heatmaps=tuple(heatmaps),
        field_gaps=tuple(line for _gap, line in field_gaps),
        question_gaps=tuple(line for _gap, line in question_gaps[:QUESTION_GAPS_SHOWN]),
        confidence=confidence,
        questions=_question_confidence(result, groups, names or {}),
    )


def _heatmap(seg: segments.Segmentation, title: str, field_names: dict[str, str]) -> Heatmap:
    rows = []
    for segment, row in zip(seg.segments, segments.heatmap(seg), strict=True):
        cells = None
        if row.cells is not None:
            cells = tuple(HeatmapCell(field_names[c.field], c.level) for c in row.cells)
        level = segment.profile.level if segment.profile else None
        rows.append(HeatmapRow(segment.name, len(segment.members), segment.answering, level, cells))
    return Heatmap(
        dimension=seg.dimension,
        title=title,
        rows=tuple(rows),
        unassigned=len(seg.unassigned),
        fields=tuple(field_names[code] for code in FIELD_ORDER),
    )


def _question_confidence(
    result: AssessmentResult, groups: Groups, names: dict[int, str]
) -> dict[str, QuestionConfidence]:
    shown = {}
    for code in (q.code for q in result.questionnaire.questions.values()):
        notes: list[Note] = groups.notes.get(code, [])
        counts = Counter(n.confidence for n in notes if n.confidence is not None)
        lines = tuple(
            NoteLine(
                name=names.get(n.participant, ""),
                level=result.per_participant.get(n.participant, {}).get(code),
                answered=code in result.per_participant.get(n.participant, {}),
                confidence=confidence_label(n.confidence),
                evidence=n.evidence,
            )
            for n in notes
            if n.evidence
        )
        shown[code] = QuestionConfidence(
            counts=tuple(counts[c] for c in CONFIDENCE_ORDER), validated=code in groups.validated, notes=lines
        )
    return shown
