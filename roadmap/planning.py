"""The roadmap planner: levels and targets in, quarters of measures out. Pure Python, no ORM."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from roadmap.catalogue import EFFORT_POINTS, MeasureSpec, catalogue_problems
from roadmap.quarters import Quarter
from standortbestimmung.scoring import FieldCode, Level

MAX_HORIZON = 12
# Among fields with the same gap, the ones others build on come first: shared awareness and first journeys
# before feedback and processes, before skills programmes, before tooling.
FOUNDATION_ORDER = (
    FieldCode.JOURNEYS,
    FieldCode.CULTURE,
    FieldCode.INSIGHTS,
    FieldCode.OPERATIONS,
    FieldCode.SKILLS,
    FieldCode.TOOLS,
)


class PlanningError(ValueError):
    """Input the planner refuses: the message says what to change."""


class Reason(StrEnum):
    STEP = "step"  # takes its field to a level above the current one
    GAP = "gap"  # lifts practices that lag behind the level their field has already reached
    PREREQUISITE = "prerequisite"  # needed first by a measure of another field
    SUSTAIN = "sustain"  # keeps a field at Commit


@dataclass(frozen=True)
class FieldGoal:
    field: FieldCode
    level: Level | None  # None: not assessable, planned as Unaware
    target: Level

    @property
    def current(self) -> Level:
        return self.level or Level.UNAWARE

    @property
    def gap(self) -> int:
        return self.target - self.current


@dataclass(frozen=True)
class Fixed:
    """A roadmap item the planner must keep where it is (edited by hand, started or done)."""

    code: str
    quarter: Quarter | None  # None: done before the plan starts, or not scheduled
    duration: int = 1
    done: bool = False


@dataclass(frozen=True)
class Placement:
    measure: MeasureSpec
    quarter: Quarter | None  # None: does not fit the horizon ("later")
    reason: Reason
    for_field: FieldCode  # the field whose goal this measure serves
    for_level: Level  # the level it helps that field reach
    enables: str | None = None  # for a prerequisite: the measure that needs it

    @property
    def end(self) -> Quarter | None:
        return self.quarter + (self.measure.duration_quarters - 1) if self.quarter else None


@dataclass(frozen=True)
class QuarterPlan:
    quarter: Quarter
    placements: tuple[Placement, ...]  # measures starting this quarter
    running: tuple[str, ...]  # codes of measures started earlier and still running
    focus: tuple[FieldCode, ...]  # the fields this quarter advances, most items first
    projected: dict[FieldCode, Level]  # levels if everything planned up to this quarter is done


@dataclass(frozen=True)
class Plan:
    quarters: tuple[QuarterPlan, ...]
    later: tuple[Placement, ...]
    goals: tuple[FieldGoal, ...]

    def placements(self) -> list[Placement]:
        """Every placement, scheduled ones in quarter order, then the ones for later."""
        return [p for q in self.quarters for p in q.placements] + list(self.later)

    def reached(self, field: FieldCode) -> Quarter | None:
        """The first quarter at whose end the field is projected at its target, if within the horizon."""
        goal = next(g for g in self.goals if g.field == field)
        return first_reached(
            [q.quarter for q in self.quarters], [q.projected[field] for q in self.quarters], goal.target
        )


def first_reached(quarters: Sequence[Quarter], levels: Sequence[Level], target: Level) -> Quarter | None:
    """The first of the quarters whose (projected) level is at the target or above, or None."""
    return next((q for q, level in zip(quarters, levels, strict=True) if level >= target), None)


@dataclass(frozen=True)
class _Need:
    measure: MeasureSpec
    reason: Reason
    field: FieldCode  # the field whose goal it serves
    level: Level  # the level of that field it serves
    enables: str | None = None


@dataclass
class _Schedule:
    """Where the measures run and how much of each quarter they use, while a plan is being built."""

    by_code: dict[str, MeasureSpec]
    needed: dict[str, _Need]
    goal_of: dict[FieldCode, FieldGoal]
    capacity: int
    capacity_in_points: bool = False
    done: set[str] = field(default_factory=set)
    spans: dict[str, tuple[Quarter, Quarter]] = field(default_factory=dict)  # code -> first, last quarter
    usage: dict[Quarter, int] = field(default_factory=dict)

    def cost(self, code: str) -> int:
        """What a measure takes from a quarter's capacity: 1, or its effort points."""
        if self.capacity_in_points and code in self.by_code:
            return EFFORT_POINTS[self.by_code[code].effort]
        return 1

    def keep(self, item: Fixed) -> None:
        """Books an item that stays where it is; done or not, its work took (takes) place in its quarters."""
        if item.done:
            self.done.add(item.code)
        if item.quarter is None:
            return
        for k in range(item.duration):
            self.usage[item.quarter + k] = self.usage.get(item.quarter + k, 0) + self.cost(item.code)
        if not item.done:
            self.spans[item.code] = (item.quarter, item.quarter + (item.duration - 1))

    def ended_before(self, code: str, quarter: Quarter) -> bool:
        """Is the measure done (or its foundation already there) before this quarter starts?"""
        if code in self.done:
            return True
        if code in self.spans:
            return self.spans[code][1] < quarter
        if code in self.needed:  # planned, but not placed yet
            return False
        measure = self.by_code[code]
        goal = self.goal_of.get(measure.field)
        return not measure.sustains and goal is not None and measure.target_level <= goal.current

    def lower_steps(self, measure: MeasureSpec) -> list[str]:
        """The planned measures of the same field toward lower levels: they must end first."""
        return [
            code
            for code, need in self.needed.items()
            if code != measure.code
            and need.measure.field == measure.field
            and not need.measure.sustains
            and (measure.sustains or need.measure.target_level < measure.target_level)
        ]

    def ready(self, code: str, quarter: Quarter) -> bool:
        """Have the measure's prerequisites and its field's lower steps ended before the quarter?"""
        measure = self.by_code[code]
        return all(
            self.ended_before(p, quarter) for p in [*measure.prerequisites, *self.lower_steps(measure)]
        )

    def fits(self, code: str, quarter: Quarter) -> bool:
        """Is there capacity for the measure in every quarter it would run, starting in this one?"""
        cost = self.cost(code)
        runs = range(self.by_code[code].duration_quarters)
        return all(self.usage.get(quarter + k, 0) + cost <= self.capacity for k in runs)

    def place(self, code: str, quarter: Quarter) -> None:
        last = quarter + (self.by_code[code].duration_quarters - 1)
        for k in range(self.by_code[code].duration_quarters):
            self.usage[quarter + k] = self.usage.get(quarter + k, 0) + self.cost(code)
        self.spans[code] = (quarter, last)


def plan(
    *,
    goals: list[FieldGoal],
    measures: list[MeasureSpec],
    start: Quarter,
    horizon: int = 4,
    capacity: int = 3,
    capacity_in_points: bool = False,
    fixed: Iterable[Fixed] = (),
    answers: Mapping[str, Level | None] | None = None,
) -> Plan:
    """Turns levels and targets into quarters of measures. Deterministic; the rules:

    - Needed: for every field the measures toward each level above the current one up to the target; the
      measures up to the current level whose practices (answers) still lag below the measure's level; for a
      field at Commit, the measures that sustain it; and the prerequisites all these need from other fields,
      unless that field already has the prerequisite's level.
    - A measure starts only after all its prerequisites and all measures of its field toward lower levels have
      ended in an earlier quarter.
    - Each quarter takes the ready measures in priority order (see priority()). A measure occupies capacity in
      every quarter it runs, and no quarter exceeds the capacity (in measures, or in effort points).
    - Fixed items (edited by hand, started, done, dropped) stay as they are and use their capacity.
    - What does not fit the horizon is returned as later, never dropped.
    """
    fixed = list(fixed)
    _check(goals, measures, horizon, capacity)
    by_code = {m.code: m for m in measures}
    goal_of = {g.field: g for g in goals}
    needed = _needed(goals, by_code, answers or {})
    schedule = _Schedule(by_code, needed, goal_of, capacity, capacity_in_points)
    for item in fixed:
        schedule.keep(item)
    unlocks = _unlocks(needed)
    fixed_codes = {f.code for f in fixed}
    waiting = sorted(
        (c for c in needed if c not in fixed_codes), key=lambda c: priority(needed[c], goal_of, unlocks[c])
    )
    quarters = []
    for i in range(horizon):
        quarter = start + i
        placed = []
        for code in list(waiting):
            if not (schedule.ready(code, quarter) and schedule.fits(code, quarter)):
                continue
            schedule.place(code, quarter)
            waiting.remove(code)
            need = needed[code]
            placed.append(Placement(need.measure, quarter, need.reason, need.field, need.level, need.enables))
        quarters.append(placed)

    later = tuple(
        Placement(by_code[c], None, needed[c].reason, needed[c].field, needed[c].level) for c in waiting
    )
    plans = []
    for i, placed in enumerate(quarters):
        quarter = start + i
        spans = schedule.spans
        running = tuple(sorted(c for c, (first, last) in spans.items() if first < quarter <= last))
        counts: dict[FieldCode, int] = {}
        for code, (first, _last) in spans.items():
            if first == quarter and code in needed:
                counts[needed[code].field] = counts.get(needed[code].field, 0) + 1
        focus = tuple(sorted(counts, key=lambda fc: (-counts[fc], FOUNDATION_ORDER.index(fc))))
        projected = {g.field: _projected(g, needed, spans, schedule.done, quarter) for g in goals}
        plans.append(QuarterPlan(quarter, tuple(placed), running, focus, projected))
    return Plan(tuple(plans), later, tuple(goals))


def priority(need: _Need, goal_of: Mapping[FieldCode, FieldGoal], unlocks: int) -> tuple:
    """The order in which ready measures get a quarter's capacity, most urgent first.

    Lagging foundations below the current level first, then the next level (and lagging practices of the
    current level), then higher levels, sustaining measures last; within that the field with the biggest gap to
    its target, then the field at the lowest level (the weakest field is the biggest lever), then the measure
    that unlocks most other planned measures, then FOUNDATION_ORDER, then catalogue position.
    """
    goal = goal_of[need.field]
    if need.reason == Reason.SUSTAIN:
        distance = Level.COMMIT + 1
    elif need.reason == Reason.GAP:
        distance = 1 if need.level == goal.current else 0
    else:
        distance = need.level - goal.current
    return (
        distance,
        -goal.gap,
        goal.current,
        -unlocks,
        FOUNDATION_ORDER.index(need.field),
        need.measure.target_level,
        need.measure.field != need.field,
        need.measure.position,
        need.measure.code,
    )


def _check(goals, measures, horizon, capacity) -> None:
    if not 1 <= horizon <= MAX_HORIZON:
        raise PlanningError(f"The horizon must be 1 to {MAX_HORIZON} quarters, not {horizon}.")
    if capacity < 1:
        raise PlanningError("The capacity per quarter must be at least 1.")
    fields = [g.field for g in goals]
    if len(set(fields)) != len(fields):
        raise PlanningError("Each field may have only one goal.")
    for g in goals:
        if g.target < g.current:
            raise PlanningError(
                f"The target of {g.field} ({g.target.label}) is below its current level ({g.current.label})."
            )
    problems = catalogue_problems(measures)
    if problems:
        raise PlanningError("The measures catalogue is not valid: " + "; ".join(problems))


def _needed(goals: list[FieldGoal], by_code: dict[str, MeasureSpec], answers) -> dict[str, _Need]:
    """Everything the goals need, with the reason each measure is there."""

    def lags(measure: MeasureSpec) -> bool:
        given = [answers.get(code) for code in measure.question_codes if code in answers]
        return any(level is not None and level < measure.target_level for level in given)

    needed: dict[str, _Need] = {}
    goal_of = {g.field: g for g in goals}
    ordered = sorted(by_code.values(), key=lambda m: (m.target_level, m.position, m.code))
    for goal in goals:
        for m in ordered:
            if m.field != goal.field:
                continue
            if not m.sustains and goal.current < m.target_level <= goal.target:
                needed[m.code] = _Need(m, Reason.STEP, goal.field, m.target_level)
            elif not m.sustains and m.target_level <= goal.current and lags(m):
                needed[m.code] = _Need(m, Reason.GAP, goal.field, m.target_level)
            elif m.sustains and goal.target == Level.COMMIT and goal.current == Level.COMMIT:
                needed[m.code] = _Need(m, Reason.SUSTAIN, goal.field, Level.COMMIT)
    queue = list(needed)
    while queue:
        need = needed[queue.pop(0)]
        for pre in need.measure.prerequisites:
            pre_measure = by_code[pre]
            pre_goal = goal_of.get(pre_measure.field)
            already_there = pre_goal is not None and pre_measure.target_level <= pre_goal.current
            if pre in needed or (already_there and not pre_measure.sustains):
                continue
            needed[pre] = _Need(pre_measure, Reason.PREREQUISITE, need.field, need.level, need.measure.code)
            queue.append(pre)
            # A prerequisite above its field's next level brings that field's lower steps along: foundations first.
            floor = pre_goal.current if pre_goal else Level.UNAWARE
            for m in ordered:
                if (
                    m.field == pre_measure.field
                    and not m.sustains
                    and floor < m.target_level < pre_measure.target_level
                    and m.code not in needed
                ):
                    needed[m.code] = _Need(m, Reason.PREREQUISITE, need.field, need.level, pre)
                    queue.append(m.code)
    return needed


def projection(
    *,
    goals: list[FieldGoal],
    measures: list[MeasureSpec],
    items: Iterable[Fixed],
    start: Quarter,
    horizon: int,
    answers: Mapping[str, Level | None] | None = None,
) -> list[dict[FieldCode, Level]]:
    """Projected level per field at the end of each quarter, from the items of a plan as they stand."""
    by_code = {m.code: m for m in measures}
    needed = _needed(goals, by_code, answers or {})
    items = list(items)
    done = {f.code for f in items if f.done}
    spans = {
        f.code: (f.quarter, f.quarter + (f.duration - 1))
        for f in items
        if f.quarter is not None and not f.done
    }
    return [{g.field: _projected(g, needed, spans, done, start + i) for g in goals} for i in range(horizon)]


def _unlocks(needed: dict[str, _Need]) -> dict[str, int]:
    """How many other planned measures depend on each planned measure, directly or through others."""
    dependents: dict[str, set[str]] = {code: set() for code in needed}
    for code, need in needed.items():
        for pre in need.measure.prerequisites:
            if pre in dependents:
                dependents[pre].add(code)

    def reach(code: str, seen: set[str]) -> set[str]:
        for d in dependents[code]:
            if d not in seen:
                seen.add(d)
                reach(d, seen)
        return seen

    return {code: len(reach(code, set())) for code in needed}


def _projected(goal: FieldGoal, needed: dict[str, _Need], spans, done, quarter: Quarter) -> Level:
    """The field's level at the end of the quarter, if every planned measure ends on time."""
    level = goal.current
    for candidate in Level:
        if candidate <= goal.current or candidate > goal.target:
            continue
        steps = [
            c
            for c, n in needed.items()
            if n.measure.field == goal.field
            and n.measure.target_level == candidate
            and not n.measure.sustains
        ]
        if steps and all(c in done or (c in spans and spans[c][1] <= quarter) for c in steps):
            level = candidate
        else:
            break
    return level
