from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from roadmap import planning
from roadmap.models import Catalogue, Roadmap, RoadmapItem
from roadmap.planning import FieldGoal, Fixed, MeasureSpec, Quarter
from standortbestimmung.models import Assessment, Question
from standortbestimmung.scoring import FIELD_ORDER, FieldCode, Level
from standortbestimmung.services import assessment_levels, previous_assessment


class StaleRoadmap(ValidationError):
    """The roadmap changed since the page was loaded (another tab, another person)."""


def catalogue_problems_all() -> list[str]:
    """Problems of every non-draft catalogue, checked against every question code that exists."""
    question_codes = set(Question.objects.values_list("code", flat=True))
    problems = []
    for catalogue in Catalogue.objects.exclude(status=Catalogue.Status.DRAFT).prefetch_related("measures"):
        specs = [m.spec() for m in catalogue.measures.all()]
        problems += [f"v{catalogue.number}: {p}" for p in planning.catalogue_problems(specs, question_codes)]
    return problems


def current_catalogue() -> Catalogue | None:
    return Catalogue.objects.filter(status=Catalogue.Status.PUBLISHED).order_by("-number").first()


_specs_cache: dict[int, list[MeasureSpec]] = {}


def catalogue_specs(catalogue: Catalogue) -> list[MeasureSpec]:
    """The measures of a catalogue as the planner sees them; cached, a published catalogue never changes."""
    if catalogue.status == Catalogue.Status.DRAFT:
        return [m.spec() for m in catalogue.measures.all()]
    if catalogue.pk not in _specs_cache:
        _specs_cache[catalogue.pk] = [m.spec() for m in catalogue.measures.all()]
    return _specs_cache[catalogue.pk]


def clear_cache() -> None:
    _specs_cache.clear()


def default_targets(profile) -> dict[str, int]:
    """The next level of every field (Commit stays Commit; a field that cannot be assessed aims at Adopt)."""
    return {r.field.value: int((r.level or Level.UNAWARE).next or Level.COMMIT) for r in profile.fields}


def roadmap_get_or_create(*, assessment: Assessment, today: date | None = None) -> Roadmap:
    """The assessment's roadmap; the first call plans it with default settings."""
    existing = Roadmap.objects.filter(assessment=assessment).select_related("catalogue").first()
    if existing:
        return existing
    catalogue = current_catalogue()
    if catalogue is None:
        raise ValidationError(_("There is no published measures catalogue."))
    profile, _answers = assessment_levels(assessment=assessment)
    start = Quarter.after(today or timezone.localdate())
    with transaction.atomic():
        roadmap, created = Roadmap.objects.get_or_create(
            assessment=assessment,
            defaults={
                "catalogue": catalogue,
                "start_year": start.year,
                "start_quarter": start.number,
                "targets": default_targets(profile),
            },
        )
        if created:
            _carry_over(roadmap)
            _replan(roadmap)
    return roadmap


@transaction.atomic
def roadmap_follow_answers(*, assessment: Assessment) -> None:
    """After the answers changed: re-plan around the kept items. Without a consultant the targets follow the
    new levels too; a consultant's targets stay, raised where a field now stands above them."""
    roadmap = (
        Roadmap.objects.select_for_update().filter(assessment=assessment).select_related("catalogue").first()
    )
    if roadmap is None:
        return
    profile, _answers = assessment_levels(assessment=assessment)
    if assessment.owner_id is None:
        roadmap.targets = default_targets(profile)
    else:
        current = {r.field.value: int(r.level or Level.UNAWARE) for r in profile.fields}
        roadmap.targets = {
            code: max(int(level), current.get(code, 1)) for code, level in roadmap.targets.items()
        }
    _replan(roadmap)
    roadmap.revision += 1
    roadmap.save()


def _carry_over(roadmap: Roadmap) -> None:
    """A re-assessment's roadmap starts from the previous one: what was done stays done, what was under way
    continues in the first quarter, so the quarterly review picks up where it left off."""
    previous = previous_assessment(roadmap.assessment)
    previous_roadmap = Roadmap.objects.filter(assessment=previous).first() if previous else None
    if previous_roadmap is None:
        return
    carried = previous_roadmap.items.filter(
        status__in=[RoadmapItem.Status.DONE, RoadmapItem.Status.IN_PROGRESS]
    ).select_related("measure")
    measures = {m.code: m for m in roadmap.catalogue.measures.all()}
    for item in carried:
        measure = measures.get(item.measure.code) if item.measure_id else None
        if item.measure_id and measure is None:
            continue  # the measure is not in this roadmap's catalogue
        done = item.status == RoadmapItem.Status.DONE
        RoadmapItem.objects.create(
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
        )


def _locked(roadmap: Roadmap, expected_revision: int) -> Roadmap:
    locked = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    if locked.revision != expected_revision:
        raise StaleRoadmap(
            _("The roadmap was changed meanwhile (in another tab or by someone else). Please reload.")
        )
    return locked


def _goals(roadmap: Roadmap, levels=None):
    profile, answers = levels or assessment_levels(assessment=roadmap.assessment)
    goals = []
    for result in profile.fields:
        current = result.level or Level.UNAWARE
        target = Level(roadmap.targets.get(result.field.value, int(current.next or Level.COMMIT)))
        goals.append(FieldGoal(result.field, result.level, max(target, current)))
    return goals, answers


def roadmap_projection(
    roadmap: Roadmap, items: list[RoadmapItem], levels=None
) -> list[dict[FieldCode, Level]]:
    """Projected level per field for each quarter of the roadmap, as its items stand now.

    levels is the (profile, answers) pair of the assessment when the caller has it already.
    """
    goals, answers = _goals(roadmap, levels)
    return planning.projection(
        goals=goals,
        measures=catalogue_specs(roadmap.catalogue),
        items=[_fixed(item) for item in items if item.measure_id],
        start=roadmap.start,
        horizon=roadmap.horizon,
        answers=answers,
    )


def _fixed(item: RoadmapItem) -> Fixed:
    return Fixed(
        code=item.measure.code,
        quarter=item.when if item.status != RoadmapItem.Status.DROPPED else None,
        duration=item.duration,
        done=item.status == RoadmapItem.Status.DONE,
    )


def _replan(roadmap: Roadmap) -> None:
    """Replaces every untouched planned item with a fresh plan around the kept ones."""
    kept = [item for item in roadmap.items.select_related("measure") if item.is_kept_on_replan]
    roadmap.items.exclude(pk__in=[item.pk for item in kept]).delete()
    goals, answers = _goals(roadmap)
    measures = {m.code: m for m in roadmap.catalogue.measures.all()}
    result = planning.plan(
        goals=goals,
        measures=catalogue_specs(roadmap.catalogue),
        start=roadmap.start,
        horizon=roadmap.horizon,
        capacity=roadmap.capacity,
        capacity_in_points=roadmap.capacity_in_points,
        fixed=[_fixed(item) for item in kept if item.measure_id],
        answers=answers,
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
        for i, p in enumerate(result.placements())
    )


@transaction.atomic
def roadmap_replan(*, roadmap: Roadmap, expected_revision: int) -> Roadmap:
    roadmap = _locked(roadmap, expected_revision)
    _replan(roadmap)
    roadmap.revision += 1
    roadmap.save(update_fields=["revision", "updated_at"])
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
    profile, _answers = assessment_levels(assessment=roadmap.assessment)
    for result in profile.fields:
        target = targets.get(result.field.value)
        if target is None or target < (result.level or Level.UNAWARE):
            raise ValidationError(
                _("The target of %(field)s must not be below its current level.")
                % {"field": result.field.value}
            )
    if not 1 <= horizon <= planning.MAX_HORIZON:
        raise ValidationError(_("The horizon must be 1 to 12 quarters."))
    if capacity < 1:
        raise ValidationError(_("The capacity must be at least 1."))
    roadmap.targets = {code.value: int(targets[code.value]) for code in FIELD_ORDER}
    roadmap.start_year, roadmap.start_quarter = start.year, start.number
    roadmap.horizon, roadmap.capacity, roadmap.capacity_in_points = horizon, capacity, capacity_in_points
    _replan(roadmap)
    roadmap.revision += 1
    roadmap.save()
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
) -> RoadmapItem:
    """Moves an item or records its review; a moved or edited item is pinned against re-planning."""
    roadmap = _locked(item.roadmap, expected_revision)
    item = RoadmapItem.objects.select_for_update().get(pk=item.pk, roadmap=roadmap)
    moved = item.when != when
    item.year, item.quarter = (when.year, when.number) if when else (None, None)
    item.status, item.owner, item.note = status, owner.strip(), note.strip()
    item.pinned = item.pinned or moved
    item.save()
    roadmap.revision += 1
    roadmap.save(update_fields=["revision", "updated_at"])
    return item


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
    roadmap.revision += 1
    roadmap.save(update_fields=["revision", "updated_at"])
    return item
