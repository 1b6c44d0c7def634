"""The segments of a workshop in the database: its business units and roles, who belongs where, and the
participants as the pure segments module takes them.

Called by the user actions of the pages above (defining the segments, inviting, a participant's own choice),
inside their transaction.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from standortbestimmung import segments
from standortbestimmung.models import (
    MAX_GROUP_SIZE,
    SEGMENT_NAME_LENGTH,
    Answer,
    Assessment,
    Participant,
    Segment,
    ValidatedAnswer,
)
from standortbestimmung.result import AssessmentResult, previous_assessment

MAX_SEGMENTS = 20  # per dimension: more would make the heatmap unreadable and each group tiny


@dataclass(frozen=True)
class Definition:
    """The segments of an assessment as the consultant names them, in their order."""

    units: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    min_group_size: int = segments.MIN_PARTICIPANTS


def segment_names(lines: str) -> tuple[str, ...]:
    """Names typed one per line: stripped, blank lines dropped; refused when too long, too many or twice."""
    names = tuple(line.strip() for line in lines.splitlines() if line.strip())
    for name in names:
        if len(name) > SEGMENT_NAME_LENGTH:
            raise ValidationError(
                _("A name may have at most %(n)s characters: “%(name)s…”.")
                % {"n": SEGMENT_NAME_LENGTH, "name": name[:30]}
            )
        if any(ord(ch) < 32 for ch in name):
            raise ValidationError(_("Please remove control characters."))
    if len(names) > MAX_SEGMENTS:
        raise ValidationError(_("At most %(n)s names, please.") % {"n": MAX_SEGMENTS})
    folded = [name.casefold() for name in names]
    if twice := sorted({name for name, key in zip(names, folded, strict=True) if folded.count(key) > 1}):
        raise ValidationError(_("Each name only once, please: %(names)s.") % {"names": ", ".join(twice)})
    return names


def definition_of(assessment: Assessment | None) -> Definition:
    """The segments an assessment has (empty for None)."""
    if assessment is None:
        return Definition()
    rows = list(assessment.segments.order_by("position", "pk").values_list("dimension", "name"))
    return Definition(
        units=tuple(name for dimension, name in rows if dimension == Segment.Dimension.UNIT),
        roles=tuple(name for dimension, name in rows if dimension == Segment.Dimension.ROLE),
        min_group_size=assessment.min_group_size,
    )


def carried_definition(assessment: Assessment) -> Definition:
    """What a new assessment of the client starts with: the previous assessment's segments (or none)."""
    return definition_of(previous_assessment(assessment))


def segments_define(*, assessment: Assessment, definition: Definition) -> list[str]:
    """Makes the assessment's units and roles exactly these, in this order; returns the names removed.

    A segment that keeps its name keeps its participants (and a unit its targets); a removed one leaves its
    participants without a unit or role. Call it inside the action's transaction.
    """
    if assessment.kind != Assessment.Kind.WORKSHOP:
        raise ValidationError(_("Only a workshop has business units and roles."))
    if not 2 <= definition.min_group_size <= MAX_GROUP_SIZE:
        raise ValidationError(_("The minimum group size must be 2 to %(n)s.") % {"n": MAX_GROUP_SIZE})
    removed = []
    for dimension, names in [
        (Segment.Dimension.UNIT, definition.units),
        (Segment.Dimension.ROLE, definition.roles),
    ]:
        names = segment_names("\n".join(names))
        existing = {s.name: s for s in assessment.segments.filter(dimension=dimension)}
        gone = [s for name, s in existing.items() if name not in names]
        removed += [s.name for s in gone]
        Segment.objects.filter(pk__in=[s.pk for s in gone]).delete()
        for position, name in enumerate(names):
            segment = existing.get(name)
            if segment is None:
                Segment.objects.create(
                    assessment=assessment, dimension=dimension, name=name, position=position
                )
            elif segment.position != position:
                segment.position = position
                segment.save(update_fields=["position", "updated_at"])
    if assessment.min_group_size != definition.min_group_size:
        assessment.min_group_size = definition.min_group_size
        assessment.save(update_fields=["min_group_size", "updated_at"])
    return removed


def participant_place(*, participant: Participant, unit: Segment | None, role: Segment | None) -> bool:
    """Puts the participant into a unit and a role of their assessment (None: none); True when it changed."""
    for segment, dimension in [(unit, Segment.Dimension.UNIT), (role, Segment.Dimension.ROLE)]:
        if segment is not None and (
            segment.assessment_id != participant.assessment_id or segment.dimension != dimension
        ):
            raise ValidationError(_("This business unit or role does not belong to the assessment."))
    unit_id, role_id = (unit.pk if unit else None), (role.pk if role else None)
    if (participant.unit_id, participant.role_id) == (unit_id, role_id):
        return False
    participant.unit_id, participant.role_id, participant.placed_at = unit_id, role_id, timezone.now()
    participant.save(update_fields=["unit", "role", "placed_at"])
    return True


# --- reading ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    """What one participant added to one answer: how sure they are, and a note or link."""

    participant: int
    confidence: segments.Confidence | None
    evidence: str


@dataclass(frozen=True)
class Groups:
    """A workshop's segments and its active participants as the segments module takes them."""

    units: list[Segment]
    roles: list[Segment]
    participants: list[segments.Participant]
    validated: frozenset[str]  # codes of the questions whose group answer was checked in the workshop
    min_group_size: int
    notes: dict[str, list[Note]]  # question code -> the notes and confidence given to it, in answer order

    @property
    def defined(self) -> bool:
        return bool(self.units or self.roles)

    def definition(self) -> Definition:
        return Definition(
            units=tuple(s.name for s in self.units),
            roles=tuple(s.name for s in self.roles),
            min_group_size=self.min_group_size,
        )


def groups_of(result: AssessmentResult) -> Groups:
    """The segments, each active participant's unit, role, answers and confidence, the validated questions
    (4 queries, however many participants)."""
    assessment = result.assessment
    all_segments = list(assessment.segments.order_by("dimension", "position", "pk"))
    names = {s.pk: s.name for s in all_segments}
    confidence, notes = _notes_of(result)
    placed = {
        pk: (unit_id, role_id)
        for pk, unit_id, role_id in assessment.participants.filter(revoked_at__isnull=True).values_list(
            "pk", "unit_id", "role_id"
        )
    }
    participants = [
        segments.Participant(
            id=pid,
            unit=names.get(placed.get(pid, (None, None))[0]),
            role=names.get(placed.get(pid, (None, None))[1]),
            answers=answers,
            confidence=confidence.get(pid, {}),
        )
        for pid, answers in result.per_participant.items()
    ]
    return Groups(
        units=[s for s in all_segments if s.dimension == Segment.Dimension.UNIT],
        roles=[s for s in all_segments if s.dimension == Segment.Dimension.ROLE],
        participants=participants,
        validated=validated_of(result),
        min_group_size=assessment.min_group_size,
        notes=notes,
    )


def answering_participants(result: AssessmentResult) -> list[segments.Participant]:
    """The participants of a result with their answers and confidence, without units or roles (1 query)."""
    confidence, _notes = _notes_of(result)
    return [
        segments.Participant(
            id=pid, unit=None, role=None, answers=answers, confidence=confidence.get(pid, {})
        )
        for pid, answers in result.per_participant.items()
    ]


def validated_of(result: AssessmentResult) -> frozenset[str]:
    """Codes of the questions whose group answer the workshop checked (1 query)."""
    questions = result.questionnaire.questions
    rows = ValidatedAnswer.objects.filter(assessment=result.assessment).values_list("question_id", flat=True)
    return frozenset(questions[qid].code for qid in rows)


def _notes_of(
    result: AssessmentResult,
) -> tuple[dict[int, dict[str, segments.Confidence]], dict[str, list[Note]]]:
    """Participant id -> question code -> how sure, and question code -> the notes, of the result's participants."""
    questions = result.questionnaire.questions
    confidence: dict[int, dict[str, segments.Confidence]] = {}
    notes: dict[str, list[Note]] = {}
    rows = (
        Answer.objects.filter(participant__in=list(result.per_participant))
        .exclude(confidence="", evidence="")
        .order_by("participant__created_at", "participant_id")
        .values_list("participant_id", "question_id", "confidence", "evidence")
    )
    for pid, qid, value, evidence in rows:
        code = questions[qid].code
        sure = segments.Confidence(value) if value else None
        if sure is not None:
            confidence.setdefault(pid, {})[code] = sure
        notes.setdefault(code, []).append(Note(pid, sure, evidence))
    return confidence, notes


def segmentation(groups: Groups, structure, dimension: segments.Dimension) -> segments.Segmentation:
    """The results of every unit (or role) of the workshop, in the consultant's order."""
    order: Sequence[Segment] = groups.units if dimension == segments.Dimension.UNIT else groups.roles
    return segments.segment_results(
        structure,
        groups.participants,
        dimension,
        order=[s.name for s in order],
        min_participants=groups.min_group_size,
    )
