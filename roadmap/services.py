"""Everything that changes a roadmap: plan it for an assessment, follow new answers, and the consultant's edits.

The user actions of other apps (finishing an assessment, settling a consensus, claiming) call roadmap_follow
inside their own transaction, so the plan never lags behind the answers it is built from.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from roadmap import planning
from roadmap.measures import catalogue_specs, current_catalogue
from roadmap.models import ProgressEntry, Roadmap, RoadmapItem
from roadmap.quarters import Quarter
from roadmap.tasks import prerender_after_commit
from standortbestimmung.grouping import groups_of, segmentation
from standortbestimmung.models import Assessment, Segment
from standortbestimmung.result import AssessmentResult, assessment_result, previous_assessment
from standortbestimmung.scoring import FIELD_ORDER, FieldCode, Level, Profile
from standortbestimmung.segments import Dimension


class StaleRoadmap(ValidationError):
    """The roadmap changed since the page was loaded (another tab, another person)."""


def default_targets(profile: Profile) -> dict[str, int]:
    """The next level of every field (Commit stays Commit; a field that cannot be assessed aims at Adopt)."""
    return {r.field.value: int((r.level or Level.UNAWARE).next or Level.COMMIT) for r in profile.fields}


def roadmap_create(*, result: AssessmentResult, today: date | None = None) -> Roadmap | None:
    """Plans the roadmap of a new assessment with default settings (None while no catalogue is published).

    A re-assessment's roadmap starts from the previous one: what was done stays done, what was under way
    continues in the first quarter, so the quarterly review picks up where it left off.
    """
    catalogue = current_catalogue()
    if catalogue is None:
        return None
    start = Quarter.after(today or timezone.localdate())
    roadmap = Roadmap.objects.create(
        assessment=result.assessment,
        catalogue=catalogue,
        start_year=start.year,
        start_quarter=start.number,
        targets=default_targets(result.profile),
    )
    _carry_over(roadmap)
    _replan(roadmap, result)
    prerender_after_commit(result.assessment)
    return roadmap


def roadmap_follow(*, result: AssessmentResult) -> Roadmap | None:
    """After the answers changed: re-plan around the kept items (plan it first if there is none yet).

    Until a consultant chose the targets, they follow the new levels (one level up); chosen targets stay,
    raised where a field now stands above them. Call it inside the transaction that changed the answers.
    """
    assessment = result.assessment
    roadmap = Roadmap.objects.select_for_update().filter(assessment=assessment).first()
    if roadmap is None:
        return roadmap_create(result=result)
    if not roadmap.targets_chosen:
        roadmap.targets = default_targets(result.profile)
    else:
        current = {r.field.value: int(r.level or Level.UNAWARE) for r in result.profile.fields}
        roadmap.targets = {
            code: max(int(level), current.get(code, 1)) for code, level in roadmap.targets.items()
        }
    _replan(roadmap, result)
    _changed(roadmap, "targets")
    return roadmap


def _carry_over(roadmap: Roadmap) -> None:
    previous = previous_assessment(roadmap.assessment)
    previous_roadmap = Roadmap.objects.filter(assessment=previous).first() if previous else None
    if previous_roadmap is None:
        return
    carried = previous_roadmap.items.filter(
        status__in=[RoadmapItem.Status.DONE, RoadmapItem.Status.IN_PROGRESS]
    ).select_related("measure")
    measures = {m.code: m for m in roadmap.catalogue.measures.all()}
    for item in carried.prefetch_related("progress_entries"):
        measure = measures.get(item.measure.code) if item.measure_id else None
        if item.measure_id and measure is None:
            continue  # the measure is not in this roadmap's catalogue
        done = item.status == RoadmapItem.Status.DONE
        copy = RoadmapItem.objects.create(
            roadmap=roadmap,
            measure=measure,
            title=item.title,
            description=item.description,
            field=item.field,
            target_level=item.target_level,
            year=item.year if done else roadmap.start_year,
            quarter=item.quarter if done else roadmap.start_quarter,
            status=item.status,
            owner=item.owner,
            note=item.note,
            pinned=True,
            reason=item.reason,
            for_field=item.for_field,
            enables=item.enables,
            progress=item.progress,
        )
        ProgressEntry.objects.bulk_create(
            ProgressEntry(item=copy, percent=entry.percent, recorded_on=entry.recorded_on)
            for entry in item.progress_entries.all()
        )


def _replan(roadmap: Roadmap, result: AssessmentResult) -> None:
    """Replaces every untouched planned item with a fresh plan around the kept ones."""
    kept = [item for item in roadmap.items.select_related("measure") if item.is_kept_on_replan]
    roadmap.items.exclude(pk__in=[item.pk for item in kept]).delete()
    measures = {m.code: m for m in roadmap.catalogue.measures.all()}
    plan = planning.plan(
        goals=roadmap.goals(result.profile),
        measures=catalogue_specs(roadmap.catalogue),
        start=roadmap.start,
        horizon=roadmap.horizon,
        capacity=roadmap.capacity,
        capacity_in_points=roadmap.capacity_in_points,
        fixed=[item.fixed() for item in kept if item.measure_id],
        answers=result.answers,
    )
    RoadmapItem.objects.bulk_create(
        RoadmapItem(
            roadmap=roadmap,
            measure=measures[p.measure.code],
            field=p.measure.field.value,
            target_level=int(p.measure.target_level),
            year=p.quarter.year if p.quarter else None,
            quarter=p.quarter.number if p.quarter else None,
            reason=p.reason.value,
            for_field=p.for_field.value,
            enables=p.enables or "",
            position=i,
        )
        for i, p in enumerate(plan.placements())
    )


def _changed(roadmap: Roadmap, *fields: str) -> None:
    """Saves a change of the plan under a new revision: pages showing the old one can no longer save."""
    roadmap.revision += 1
    roadmap.save(update_fields=["revision", "updated_at", *fields])
    prerender_after_commit(roadmap.assessment)


def _locked(roadmap: Roadmap, expected_revision: int) -> Roadmap:
    locked = Roadmap.objects.select_for_update().select_related("assessment").get(pk=roadmap.pk)
    if locked.revision != expected_revision:
        raise StaleRoadmap(
            _("The roadmap was changed meanwhile (in another tab or by someone else). Please reload.")
        )
    return locked


@transaction.atomic
def roadmap_replan(*, assessment: Assessment, expected_revision: int) -> Roadmap:
    """Plans the roadmap anew around the items edited by hand (plans it first if there is none yet)."""
    roadmap = Roadmap.objects.filter(assessment=assessment).first()
    result = assessment_result(assessment)
    if roadmap is None:
        roadmap = roadmap_create(result=result)
        if roadmap is None:
            raise ValidationError(_("There is no published measures catalogue."))
        return roadmap
    roadmap = _locked(roadmap, expected_revision)
    _replan(roadmap, result)
    _changed(roadmap)
    return roadmap


@transaction.atomic
def roadmap_settings_update(
    *,
    roadmap: Roadmap,
    expected_revision: int,
    targets: dict[str, int],
    start: Quarter,
    horizon: int,
    capacity: int,
    capacity_in_points: bool,
) -> Roadmap:
    """Changes targets and frame of the plan, then re-plans around the items edited by hand."""
    roadmap = _locked(roadmap, expected_revision)
    result = assessment_result(roadmap.assessment)
    for field in result.profile.fields:
        target = targets.get(field.field.value)
        if target is None or target < (field.level or Level.UNAWARE):
            raise ValidationError(
                _("The target of %(field)s must not be below its current level.")
                % {"field": result.questionnaire.field_names()[field.field.value]}
            )
    if not 1 <= horizon <= planning.MAX_HORIZON:
        raise ValidationError(_("The horizon must be 1 to 12 quarters."))
    if capacity < 1:
        raise ValidationError(_("The capacity must be at least 1."))
    roadmap.targets = {code.value: int(targets[code.value]) for code in FIELD_ORDER}
    roadmap.targets_chosen = True
    roadmap.start_year, roadmap.start_quarter = start.year, start.number
    roadmap.horizon, roadmap.capacity, roadmap.capacity_in_points = horizon, capacity, capacity_in_points
    _replan(roadmap, result)
    _changed(
        roadmap,
        "targets",
        "targets_chosen",
        "start_year",
        "start_quarter",
        "horizon",
        "capacity",
        "capacity_in_points",
    )
    return roadmap


@transaction.atomic
def item_update(
    *,
    item: RoadmapItem,
    expected_revision: int,
    when: Quarter | None,
    status: str,
    owner: str,
    note: str,
    progress: int | None = None,
    today: date | None = None,
) -> RoadmapItem:
    """Moves an item or records its review: status, progress (a dated entry per change), owner, note.

    A moved or edited item is pinned against re-planning. Status and progress are kept in step: done is 100 %,
    100 % is done, progress on a planned item means it is in progress, lower progress on a finished item reopens
    it (progress None: unchanged).
    """
    roadmap = _locked(item.roadmap, expected_revision)
    item = RoadmapItem.objects.select_for_update().get(pk=item.pk, roadmap=roadmap)
    status, percent = _settled(status, item.progress if progress is None else progress, item.status)
    moved = item.when != when
    item.year, item.quarter = (when.year, when.number) if when else (None, None)
    item.status, item.owner, item.note = status, owner.strip(), note.strip()
    item.pinned = item.pinned or moved
    if percent != item.progress:
        ProgressEntry.objects.create(item=item, percent=percent, recorded_on=today or timezone.localdate())
        item.progress = percent
    item.save()
    _changed(roadmap)
    return item


def _settled(status: str, percent: int, before: str) -> tuple[str, int]:
    """Status and progress that agree with each other; a finished item is reopened by lowering its progress."""
    Status = RoadmapItem.Status
    if status == Status.DONE:
        if before == Status.DONE and percent < 100:  # its status left as it was, its progress lowered
            return (Status.IN_PROGRESS if percent > 0 else Status.PLANNED), percent
        return status, 100
    if percent == 100:
        if before == Status.DONE or status not in (Status.PLANNED, Status.IN_PROGRESS):
            raise ValidationError(
                _("A measure at %(percent)s %% is finished. To change its status, first lower its progress.")
                % {"percent": 100}
            )
        return Status.DONE, 100
    if percent > 0 and status == Status.PLANNED:
        return Status.IN_PROGRESS, percent
    return status, percent


@transaction.atomic
def item_add_custom(
    *,
    roadmap: Roadmap,
    expected_revision: int,
    title: str,
    description: str,
    field: FieldCode,
    when: Quarter | None,
) -> RoadmapItem:
    """Adds a measure the consultant wrote; it is never touched by re-planning."""
    roadmap = _locked(roadmap, expected_revision)
    item = RoadmapItem.objects.create(
        roadmap=roadmap,
        title=title.strip(),
        description=description.strip(),
        field=field.value,
        target_level=int(Level(roadmap.targets.get(field.value, Level.ADOPT))),
        year=when.year if when else None,
        quarter=when.number if when else None,
        pinned=True,
        position=999,
    )
    _changed(roadmap)
    return item


@transaction.atomic
def unit_targets_update(*, segment: Segment, targets: dict[str, int]) -> Segment:
    """Sets a business unit's target levels (for its own roadmap); refused while the unit has too few answers
    for a result, and for a target below the unit's level."""
    segment = Segment.objects.select_for_update().select_related("assessment").get(pk=segment.pk)
    if segment.dimension != Segment.Dimension.UNIT:
        raise ValidationError(_("Targets are set per business unit, not per role."))
    result = assessment_result(segment.assessment)
    units = segmentation(groups_of(result), result.questionnaire.structure(), Dimension.UNIT)
    unit = next((s for s in units.segments if s.name == segment.name), None)
    if unit is None or unit.profile is None:
        raise ValidationError(
            _("This unit has too few answers for a result of its own, so it has no targets yet.")
        )
    for field in unit.profile.fields:
        target = targets.get(field.field.value)
        if (
            target is None
            or target not in Level._value2member_map_
            or target < (field.level or Level.UNAWARE)
        ):
            raise ValidationError(
                _("The target of %(field)s must not be below its current level.")
                % {"field": result.questionnaire.field_names()[field.field.value]}
            )
    segment.targets = {code.value: int(targets[code.value]) for code in FIELD_ORDER}
    segment.save(update_fields=["targets", "updated_at"])
    return segment
