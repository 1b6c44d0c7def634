"""The roadmap planner: levels and targets in, quarters of measures out. Pure Python, no ORM."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import IntEnum, StrEnum

from roadmap.catalogue import EFFORT_POINTS, MeasureSpec, carrying_codes, catalogue_problems
from roadmap.quarters import Quarter
from standortbestimmung.scoring import FIELD_ORDER, FieldCode, Level

MAX_HORIZON = 12
MAX_CAPACITY = 12
# At most this many fields are in the focus at a time (never more than the measures a quarter takes): the method
# asks for a clear focus on the biggest lever instead of too many measures at once.
FOCUS_SIZE = 3

J, I, S, C, O, T = FIELD_ORDER  # noqa: E741 - the six fields, short for the table below
# Which fields a level is built on first, when the answers do not tell the fields apart. It follows the example
# companies of the method: out of Unaware lead a first journey map, awareness and a pilot (Journeys, Skills) with
# the management's backing (Culture); Build rests on a standard process and a team (Operations) and on feedback and
# KPIs in the journey work (Insights); Commit on one repository and a KPI system (Tools) and on CX coaches (Skills).
FOUNDATIONS: dict[Level, tuple[FieldCode, ...]] = {
    Level.ADOPT: (J, S, C, I, O, T),
    Level.BUILD: (O, I, J, C, S, T),
    Level.COMMIT: (T, S, I, C, O, J),
}


class PlanningError(ValueError):
    """Input the planner refuses: the message says what to change."""


class Reason(StrEnum):
    STEP = "step"  # takes its field to a level above the current one
    GAP = "gap"  # lifts practices that lag behind the level their field has already reached
    PREREQUISITE = "prerequisite"  # needed first by a measure of another field
    SUSTAIN = "sustain"  # keeps a field at Commit


class Role(IntEnum):
    """The part a measure plays, in the order the roles get a quarter's capacity."""

    CARRY_FOCUS = 0  # carries the next level of a focus field
    CARRY = 1  # carries the next level of a field left for later
    DEEPEN = 2  # deepens a level (the rest of its measures, lagging practices)
    SUSTAIN = 3  # keeps a field at Commit
    ENABLE = 4  # only a prerequisite: it takes the role of the measure it enables


class Stance(StrEnum):
    FOCUS = "focus"  # among the fields with the biggest lever: its carrying measures come first
    LATER = "later"  # deliberately after the focus fields
    HOLDS = "holds"  # at its target already: the plan keeps what it reached


@dataclass(frozen=True)
class FieldGoal:
    field: FieldCode
    level: Level | None  # None: not assessable, planned as Unaware
    target: Level
    score: float | None = None  # the mean of its answers: tells fields at the same level apart

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
    carries: bool = False  # it carries the level it leads to (else it deepens it, enables or sustains)

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
class FieldOutlook:
    """What a plan does for one field: in the focus or later (and why), and where it stands at the horizon."""

    field: FieldCode
    stance: Stance
    starts: Quarter | None  # the first quarter with a measure of the field; None: none within the horizon
    level: Level  # projected at the end of the horizon
    target: Level
    reached: Quarter | None  # the first quarter at the target; None: not within the horizon
    stronger: bool = False  # later because it stands above the weakest focus field
    builds_on: tuple[FieldCode, ...] = ()  # later because its next carrying measures need these focus fields

    @property
    def on_target(self) -> bool:
        return self.reached is not None


@dataclass(frozen=True)
class Plan:
    quarters: tuple[QuarterPlan, ...]
    later: tuple[Placement, ...]
    goals: tuple[FieldGoal, ...]
    focus: tuple[FieldCode, ...] = ()  # the fields with the biggest lever, biggest first
    outlook: tuple[FieldOutlook, ...] = ()  # one per goal, in the goals' order

    def placements(self) -> list[Placement]:
        """Every placement, scheduled ones in quarter order, then the ones for later."""
        return [p for q in self.quarters for p in q.placements] + list(self.later)

    def reached(self, field: FieldCode) -> Quarter | None:
        """The first quarter at whose end the field is projected at its target, if within the horizon."""
        goal = next(g for g in self.goals if g.field == field)
        return first_reached(
            [q.quarter for q in self.quarters], [q.projected[field] for q in self.quarters], goal.target
        )

    @property
    def reaches_targets(self) -> bool:
        """Does every field reach its target within the horizon?"""
        return all(self.reached(g.field) is not None for g in self.goals)


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
    - Each quarter takes the ready measures in priority order (see priorities()): the measures that carry the
      next level of the focus fields first, then those of the other fields, then the ones that deepen a level,
      then those that sustain Commit. A measure occupies capacity in every quarter it runs, and no quarter
      exceeds the capacity (in measures, or in effort points).
    - A field reaches a level when the measures that carry it have ended (see projection()).
    - Fixed items (edited by hand, started, done, dropped) stay as they are and use their capacity.
    - What does not fit the horizon is returned as later, never dropped.
    """
    fixed = list(fixed)
    _check(goals, measures, horizon, capacity)
    answers = answers or {}
    by_code = {m.code: m for m in measures}
    goal_of = {g.field: g for g in goals}
    needed = _needed(goals, by_code, answers)
    carrying = carrying_codes(measures)
    focus = focus_fields(goals, capacity)
    schedule = _Schedule(by_code, needed, goal_of, capacity, capacity_in_points)
    for item in fixed:
        schedule.keep(item)
    keys = priorities(needed, carrying, field_ranking(goals), focus, answers, schedule)
    fixed_codes = {f.code for f in fixed}
    waiting = sorted((c for c in needed if c not in fixed_codes), key=keys.__getitem__)
    quarters = []
    for i in range(horizon):
        quarter = start + i
        placed = []
        for code in list(waiting):
            if not (schedule.ready(code, quarter) and schedule.fits(code, quarter)):
                continue
            schedule.place(code, quarter)
            waiting.remove(code)
            placed.append(_placement(needed[code], quarter, carrying))
        quarters.append(placed)

    later = tuple(_placement(needed[c], None, carrying) for c in waiting)
    plans = []
    starts: dict[FieldCode, Quarter] = {}
    for i, placed in enumerate(quarters):
        quarter = start + i
        spans = schedule.spans
        running = tuple(sorted(c for c, (first, last) in spans.items() if first < quarter <= last))
        counts: dict[FieldCode, int] = {}
        for code, (first, _last) in spans.items():
            if first == quarter and code in needed:
                counts[needed[code].field] = counts.get(needed[code].field, 0) + 1
                starts.setdefault(by_code[code].field, quarter)
        quarter_focus = tuple(sorted(counts, key=lambda fc: (-counts[fc], FIELD_ORDER.index(fc))))
        projected = {g.field: _projected(g, needed, spans, schedule.done, quarter, carrying) for g in goals}
        plans.append(QuarterPlan(quarter, tuple(placed), running, quarter_focus, projected))
    field_outlook = outlook(
        goals=goals,
        measures=measures,
        focus=focus,
        quarters=[q.quarter for q in plans],
        projected=[q.projected for q in plans],
        starts=starts,
        answers=answers,
    )
    return Plan(tuple(plans), later, tuple(goals), focus, field_outlook)


def _placement(need: _Need, quarter: Quarter | None, carrying: frozenset[str]) -> Placement:
    carries = need.reason == Reason.STEP and need.measure.code in carrying
    return Placement(need.measure, quarter, need.reason, need.field, need.level, need.enables, carries)


def field_ranking(goals: Iterable[FieldGoal]) -> tuple[FieldCode, ...]:
    """The fields with a step to take, biggest lever first.

    The weakest field first (lowest level, then the biggest gap to its target, then the lowest score): every
    later level needs the foundations of the earlier ones. Where the answers do not tell fields apart, the
    fields the next level is built on first (FOUNDATIONS).
    """
    steps = [g for g in goals if g.gap > 0]
    return tuple(
        g.field
        for g in sorted(
            steps,
            key=lambda g: (
                g.current,
                -g.gap,
                g.score if g.score is not None else float(g.current),
                FOUNDATIONS[Level(g.current + 1)].index(g.field),
            ),
        )
    )


def focus_fields(goals: Iterable[FieldGoal], capacity: int) -> tuple[FieldCode, ...]:
    """The fields a plan focuses on: the biggest levers, at most FOCUS_SIZE and no more than the capacity."""
    return field_ranking(goals)[: max(1, min(FOCUS_SIZE, capacity))]


def priorities(
    needed: Mapping[str, _Need],
    carrying: frozenset[str],
    ranking: Sequence[FieldCode],
    focus: Sequence[FieldCode],
    answers: Mapping[str, Level | None],
    schedule: _Schedule,
) -> dict[str, tuple]:
    """The order in which ready measures get a quarter's capacity (a sort key per code), most urgent first.

    First the role (Role): carrying the next level of a focus field, carrying one of another field, deepening,
    sustaining. A measure that must end before another starts (a prerequisite, a lower step of the same field)
    is as urgent as the most urgent measure waiting for it. Then the field's place in field_ranking(), the lower
    level, then the answers: the measure that lifts the practices lagging furthest behind its level (the
    questions that hold the field back), the measure that unlocks most others, catalogue position.
    """
    rank = {f: i for i, f in enumerate(ranking)}

    def own(code: str) -> tuple[Role, int]:
        need = needed[code]
        if need.reason == Reason.STEP and code in carrying:
            role = Role.CARRY_FOCUS if need.field in focus else Role.CARRY
        elif need.reason in (Reason.STEP, Reason.GAP):
            role = Role.DEEPEN
        elif need.reason == Reason.SUSTAIN:
            role = Role.SUSTAIN
        else:
            role = Role.ENABLE
        return role, rank.get(need.field, len(rank))

    best = {code: own(code) for code in needed}
    before = {
        code: [
            *(p for p in need.measure.prerequisites if p in needed),
            *schedule.lower_steps(need.measure),
        ]
        for code, need in needed.items()
    }
    changed = True
    while changed:  # best only ever decreases, so this ends
        changed = False
        for code, earlier in before.items():
            for other in earlier:
                if best[code] < best[other]:
                    best[other] = best[code]
                    changed = True
    unlocks = _unlocks(dict(needed))
    return {
        code: (
            *best[code],
            need.measure.target_level,
            -lift(need.measure, answers),
            -unlocks[code],
            need.measure.field != need.field,
            need.measure.position,
            code,
        )
        for code, need in needed.items()
    }


def lift(measure: MeasureSpec, answers: Mapping[str, Level | None]) -> int:
    """How far the answered practices of its field a measure improves lag behind its level, added up."""
    return sum(
        max(0, measure.target_level - level)
        for code in own_questions(measure)
        if (level := answers.get(code)) is not None
    )


def own_questions(measure: MeasureSpec) -> list[str]:
    """The questions of its own field a measure improves: the practices that decide its field's level."""
    return [code for code in measure.question_codes if code.startswith(f"{measure.field.value}.")]


def outlook(
    *,
    goals: Sequence[FieldGoal],
    measures: Sequence[MeasureSpec],
    focus: Sequence[FieldCode],
    quarters: Sequence[Quarter],
    projected: Sequence[Mapping[FieldCode, Level]],
    starts: Mapping[FieldCode, Quarter],
    answers: Mapping[str, Level | None] | None = None,
) -> tuple[FieldOutlook, ...]:
    """Per field: in the focus, left for later (and why) or holding its target; its level at the horizon.

    A field is later because it stands above the weakest focus field, or because the measures that carry its
    next level need measures of focus fields first (builds_on); with neither, the method simply builds that
    level on the focus fields first (FOUNDATIONS).
    """
    by_code = {m.code: m for m in measures}
    needed = _needed(list(goals), by_code, answers or {})
    carrying = carrying_codes(measures)
    weakest = min((g.current for g in goals if g.field in focus), default=None)
    result = []
    for goal in goals:
        levels = [p[goal.field] for p in projected]
        stronger, builds_on = False, ()
        if goal.field in focus:
            stance = Stance.FOCUS
        elif goal.gap == 0:
            stance = Stance.HOLDS
        else:
            stance = Stance.LATER
            stronger = weakest is not None and goal.current > weakest
            next_level = goal.current + 1
            needs = {
                by_code[p].field
                for code, need in needed.items()
                if need.reason == Reason.STEP
                and need.field == goal.field
                and need.level == next_level
                and code in carrying
                for p in need.measure.prerequisites
                if p in needed and by_code[p].field in focus
            }
            builds_on = tuple(f for f in focus if f in needs)
        result.append(
            FieldOutlook(
                field=goal.field,
                stance=stance,
                starts=starts.get(goal.field),
                level=levels[-1] if levels else goal.current,
                target=goal.target,
                reached=first_reached(quarters, levels, goal.target),
                stronger=stronger,
                builds_on=builds_on,
            )
        )
    return tuple(result)


@dataclass(frozen=True)
class Suggestion:
    """A change of the frame under which a fresh plan reaches every target within the horizon."""

    capacity: int
    horizon: int
    field: FieldCode | None = None  # with target: this field's target is lowered to it
    target: Level | None = None


def suggestions(
    *,
    goals: list[FieldGoal],
    measures: list[MeasureSpec],
    start: Quarter,
    horizon: int = 4,
    capacity: int = 3,
    capacity_in_points: bool = False,
    fixed: Iterable[Fixed] = (),
    answers: Mapping[str, Level | None] | None = None,
) -> list[Suggestion]:
    """When a fresh plan misses a target: the smallest single changes under which it reaches them all.

    In this order, each on its own: one more measure (or effort point) per quarter, two more quarters, the
    target of one field one level lower (the fields that miss their target, the one with the least lever first).
    When none of them is enough, the shortest horizon (up to MAX_HORIZON) that is. Empty when the plan reaches
    every target, or when nothing within the limits does.
    """
    fixed = list(fixed)
    frame = {
        "measures": measures,
        "start": start,
        "capacity_in_points": capacity_in_points,
        "fixed": fixed,
        "answers": answers,
    }
    current = plan(goals=goals, horizon=horizon, capacity=capacity, **frame)
    if current.reaches_targets:
        return []
    found = []
    if (
        capacity < MAX_CAPACITY
        and plan(goals=goals, horizon=horizon, capacity=capacity + 1, **frame).reaches_targets
    ):
        found.append(Suggestion(capacity + 1, horizon))
    if (
        horizon + 2 <= MAX_HORIZON
        and plan(goals=goals, horizon=horizon + 2, capacity=capacity, **frame).reaches_targets
    ):
        found.append(Suggestion(capacity, horizon + 2))
    missing = [g for g in goals if current.reached(g.field) is None and g.target > g.current]
    ranking = field_ranking(goals)
    for goal in sorted(missing, key=lambda g: -ranking.index(g.field)):
        lower = Level(goal.target - 1)
        changed = [replace(g, target=lower) if g.field == goal.field else g for g in goals]
        if plan(goals=changed, horizon=horizon, capacity=capacity, **frame).reaches_targets:
            found.append(Suggestion(capacity, horizon, goal.field, lower))
    if not found:
        for longer in range(horizon + 3, MAX_HORIZON + 1):
            if plan(goals=goals, horizon=longer, capacity=capacity, **frame).reaches_targets:
                found.append(Suggestion(capacity, longer))
                break
    return found


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
        return lift(measure, answers) > 0

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
    carrying = carrying_codes(measures)
    items = list(items)
    done = {f.code for f in items if f.done}
    spans = {
        f.code: (f.quarter, f.quarter + (f.duration - 1))
        for f in items
        if f.quarter is not None and not f.done
    }
    return [
        {g.field: _projected(g, needed, spans, done, start + i, carrying) for g in goals}
        for i in range(horizon)
    ]


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


def _projected(goal: FieldGoal, needed: dict[str, _Need], spans, done, quarter: Quarter, carrying) -> Level:
    """The field's level at the end of the quarter: each level up to the target whose carrying measures (and
    those of every level below it) have ended by then."""
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
            and c in carrying
        ]
        if steps and all(c in done or (c in spans and spans[c][1] <= quarter) for c in steps):
            level = candidate
        else:
            break
    return level
