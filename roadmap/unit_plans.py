"""A business unit's roadmap: the planner run for one unit's levels and targets, in the frame of the company's
roadmap (first quarter, horizon, capacity), with what the company has done or started counted as done.

Computed when it is shown, never stored. The company's roadmap stays the one plan that is edited, reviewed
every quarter and reported; a unit's plan shows what that unit would need to reach its own targets, so the
consultant can take measures from it into the company's plan or hand it to the unit.
"""

from dataclasses import dataclass

from roadmap import planning
from roadmap.measures import catalogue_specs
from roadmap.models import Roadmap, RoadmapItem
from roadmap.planning import FieldGoal
from roadmap.presentation import ProjectionRow, QuarterView, _focus, field_outlook, reason_text
from roadmap.services import default_targets
from standortbestimmung.grouping import Groups, segmentation
from standortbestimmung.models import Segment
from standortbestimmung.result import AssessmentResult
from standortbestimmung.scoring import Level, Profile
from standortbestimmung.segments import Dimension


@dataclass(frozen=True)
class UnitPlan:
    """What a page shows of a unit's roadmap; quarters and projection are empty while the unit has too few
    answers for a result of its own."""

    roadmap: Roadmap  # the company's, whose frame the unit's plan uses
    segment: Segment
    profile: Profile | None  # None: too few answers in the unit
    answering: int
    min_group_size: int
    targets: dict[str, int]
    quarters: list[QuarterView]
    later: QuarterView
    projection: list[ProjectionRow]

    @property
    def shown(self) -> bool:
        return self.profile is not None


def unit_profile(result: AssessmentResult, groups: Groups, segment: Segment):
    """The unit's segment result (members, answering, profile and group answers; profile None when too few)."""
    seg = segmentation(groups, result.questionnaire.structure(), Dimension.UNIT)
    return next(s for s in seg.segments if s.name == segment.name)


def unit_targets(segment: Segment, profile: Profile) -> dict[str, int]:
    """The unit's targets: the ones the consultant set, else one level up; never below the unit's level."""
    chosen = segment.targets or default_targets(profile)
    return {
        r.field.value: max(int(chosen.get(r.field.value, Level.ADOPT)), int(r.level or Level.UNAWARE))
        for r in profile.fields
    }


def unit_plan(roadmap: Roadmap, result: AssessmentResult, groups: Groups, segment: Segment) -> UnitPlan:
    """Plans the unit's measures toward its targets (see the module's docstring)."""
    unit = unit_profile(result, groups, segment)
    later = QuarterView(None)
    if unit.profile is None:
        return UnitPlan(roadmap, segment, None, unit.answering, groups.min_group_size, {}, [], later, [])
    targets = unit_targets(segment, unit.profile)
    goals = [FieldGoal(r.field, r.level, Level(targets[r.field.value])) for r in unit.profile.fields]
    measures = {m.code: m for m in roadmap.catalogue.measures.all()}
    specs = catalogue_specs(roadmap.catalogue)
    started = [
        item.fixed()
        for item in roadmap.items.select_related("measure")
        if item.measure_id and item.status in (RoadmapItem.Status.DONE, RoadmapItem.Status.IN_PROGRESS)
    ]
    plan = planning.plan(
        goals=goals,
        measures=specs,
        start=roadmap.start,
        horizon=roadmap.horizon,
        capacity=roadmap.capacity,
        capacity_in_points=roadmap.capacity_in_points,
        fixed=started,
        answers=unit.answers,
    )
    field_names = result.questionnaire.field_names()
    question_texts = {q.code: q.text for q in result.questionnaire.questions.values()}
    quarters = {q: QuarterView(q) for q in roadmap.quarters()}
    for placement in plan.placements():
        item = RoadmapItem(  # not saved: the unit's plan is shown, not stored
            measure=measures[placement.measure.code],
            field=placement.measure.field.value,
            target_level=int(placement.measure.target_level),
            reason=placement.reason.value,
            for_field=placement.for_field.value,
            enables=placement.enables or "",
        )
        item.reason_line = reason_text(item, field_names, question_texts)
        item.field_name = field_names.get(item.field, item.field)
        (quarters.get(placement.quarter) or later).items.append(item)
    for view in quarters.values():
        view.focus = _focus(view, field_names)
    projected = planning.projection(
        goals=goals,
        measures=specs,
        items=[*started, *(_fixed(p) for p in plan.placements() if p.quarter is not None)],
        start=roadmap.start,
        horizon=roadmap.horizon,
        answers=unit.answers,
    )
    rows, _unit_focus = field_outlook(
        goals=goals,
        measures=specs,
        views=quarters.values(),
        frame=roadmap.quarters(),
        projected=projected,
        capacity=roadmap.capacity,
        answers=unit.answers,
        field_names=field_names,
    )
    return UnitPlan(
        roadmap=roadmap,
        segment=segment,
        profile=unit.profile,
        answering=unit.answering,
        min_group_size=groups.min_group_size,
        targets=targets,
        quarters=list(quarters.values()),
        later=later,
        projection=rows,
    )


def _fixed(placement: planning.Placement) -> planning.Fixed:
    return planning.Fixed(
        code=placement.measure.code, quarter=placement.quarter, duration=placement.measure.duration_quarters
    )
