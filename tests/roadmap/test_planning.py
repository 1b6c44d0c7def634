"""The roadmap planner: what an expert expects for the reference companies, bad input, and its properties."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap.catalogue import EFFORT_POINTS, Effort, MeasureSpec
from roadmap.planning import FieldGoal, Fixed, PlanningError, Reason, plan, projection
from roadmap.quarters import Quarter
from standortbestimmung.scoring import FIELD_ORDER, FieldCode, Level
from tests.standortbestimmung.test_scoring import REFERENCE_PROFILES, profile_of

CATALOGUE = Path(__file__).resolve().parents[2] / "fixtures" / "measures.json"


def real_catalogue() -> list[MeasureSpec]:
    return [
        MeasureSpec(
            code=o["fields"]["code"],
            field=FieldCode(o["fields"]["field"]),
            target_level=Level(o["fields"]["target_level"]),
            effort=Effort(o["fields"]["effort"]),
            duration_quarters=o["fields"]["duration_quarters"],
            prerequisites=tuple(o["fields"]["prerequisites"]),
            question_codes=tuple(o["fields"]["question_codes"]),
            sustains=o["fields"]["sustains"],
            position=o["fields"]["position"],
        )
        for o in json.loads(CATALOGUE.read_text())
        if o["model"] == "roadmap.measure"
    ]


def reference_plan(name, horizon=4):
    answers_by_field = REFERENCE_PROFILES[name][0]
    answers = {
        f"{field}.{i + 1}": lv for field, values in answers_by_field.items() for i, lv in enumerate(values)
    }
    profile = profile_of(answers_by_field)
    goals = [FieldGoal(r.field, r.level, r.level.next or Level.COMMIT) for r in profile.fields]
    return plan(
        goals=goals, measures=real_catalogue(), start=Quarter(2027, 1), horizon=horizon, answers=answers
    )


def codes_in(quarter_plans):
    return {p.measure.code for q in quarter_plans for p in q.placements}


# --- the shipped catalogue ----------------------------------------------------------------------------


# --- what an expert expects -----------------------------------------------------------------------------


def test_the_unaware_company_starts_with_awareness_and_a_first_journey_map():
    result = reference_plan("mittelstaendler")
    first = codes_in(result.quarters[:1])
    assert "journeys.adopt.1" in first  # a first simple journey map
    assert "skills.adopt.1" in first  # an awareness workshop
    early = codes_in(result.quarters[:2])
    assert all(code.split(".")[1] == "adopt" for code in early)
    # no KPI system, no central repository, no dashboards in its first quarters
    assert not early & {
        "tools.commit.1",
        "tools.commit.2",
        "tools.build.1",
        "tools.build.3",
        "insights.build.2",
    }


def test_the_adopt_company_gets_a_standard_process_feedback_structures_and_a_cross_department_team():
    planned = codes_in(reference_plan("ecommerce").quarters)
    assert "operations.adopt.2" in planned  # a standard process for journey maps
    assert "insights.adopt.3" in planned  # first measuring points along a journey
    assert planned & {"insights.build.1", "insights.build.2"}  # feedback and KPIs into journey work
    assert "culture.build.1" in planned  # an interdisciplinary, cross-department format


def test_the_build_company_starts_with_its_weakest_field():
    result = reference_plan("versicherer")
    assert result.quarters[0].focus[0] == FieldCode.INSIGHTS
    assert result.reached(FieldCode.INSIGHTS) is not None


def test_the_commit_company_gets_the_kpi_system_the_central_repository_and_cx_coach_training():
    result = reference_plan("konzern", horizon=6)
    planned = codes_in(result.quarters)
    assert "tools.commit.2" in planned  # a comprehensive KPI system
    assert "tools.commit.1" in planned  # one central repository used across departments
    assert "skills.commit.1" in planned  # continuous training of CX coaches
    assert not any(code.split(".")[1] == "adopt" for code in planned)


def test_every_placement_has_a_reason_and_every_quarter_a_focus():
    result = reference_plan("versicherer")
    for quarter in result.quarters:
        assert quarter.focus
        for p in quarter.placements:
            assert p.reason in set(Reason)
            assert p.for_level > Level.UNAWARE


def test_the_projection_shows_when_a_field_reaches_its_target():
    result = reference_plan("mittelstaendler", horizon=8)
    journeys = [q.projected[FieldCode.JOURNEYS] for q in result.quarters]
    assert journeys[0] == Level.UNAWARE
    assert journeys[-1] == Level.ADOPT
    assert journeys == sorted(journeys)
    assert result.reached(FieldCode.JOURNEYS) == next(
        q.quarter for q in result.quarters if q.projected[FieldCode.JOURNEYS] == Level.ADOPT
    )


def test_a_fixed_item_stays_where_it_is_and_uses_capacity():
    free = reference_plan("mittelstaendler")
    moved = Fixed("journeys.adopt.1", Quarter(2027, 3))
    result = plan(
        goals=[FieldGoal(f, Level.UNAWARE, Level.ADOPT) for f in FIELD_ORDER],
        measures=real_catalogue(),
        start=Quarter(2027, 1),
        fixed=[moved],
    )
    assert "journeys.adopt.1" in codes_in(free.quarters[:1])
    assert "journeys.adopt.1" not in codes_in(result.quarters)  # it is the consultant's, not the planner's
    # its dependents wait for it
    for q in result.quarters:
        for p in q.placements:
            if "journeys.adopt.1" in p.measure.prerequisites:
                assert q.quarter > Quarter(2027, 3)


def test_done_measures_count_as_foundations():
    result = plan(
        goals=[FieldGoal(FieldCode.JOURNEYS, Level.UNAWARE, Level.ADOPT)],
        measures=real_catalogue(),
        start=Quarter(2027, 1),
        fixed=[Fixed("journeys.adopt.1", None, done=True), Fixed("insights.adopt.1", None, done=True)],
    )
    assert "journeys.adopt.3" in codes_in(result.quarters[:1])


# --- bad input ----------------------------------------------------------------------------------------


def test_the_planner_refuses_an_invalid_catalogue():
    measures = [simple("a", pre=["c"]), simple("b", pre=["a"]), simple("c", pre=["b"])]
    with pytest.raises(PlanningError, match="cycle"):
        plan(
            goals=[FieldGoal(FieldCode.JOURNEYS, None, Level.ADOPT)],
            measures=measures,
            start=Quarter(2027, 1),
        )


def simple(code, field=FieldCode.JOURNEYS, level=Level.ADOPT, pre=(), effort=Effort.S, duration=1):
    return MeasureSpec(code, field, level, effort, duration, tuple(pre))


@pytest.mark.parametrize("horizon", [0, -1, 13])
def test_a_horizon_outside_1_to_12_is_refused(horizon):
    with pytest.raises(PlanningError, match="horizon"):
        plan(goals=[], measures=[], start=Quarter(2027, 1), horizon=horizon)


def test_a_capacity_of_zero_is_refused():
    with pytest.raises(PlanningError, match="capacity"):
        plan(goals=[], measures=[], start=Quarter(2027, 1), capacity=0)


def test_a_target_below_the_current_level_is_refused():
    with pytest.raises(PlanningError, match="below its current level"):
        plan(
            goals=[FieldGoal(FieldCode.TOOLS, Level.BUILD, Level.ADOPT)], measures=[], start=Quarter(2027, 1)
        )


# --- properties ---------------------------------------------------------------------------------------


@st.composite
def catalogues(draw):
    """A random valid catalogue: prerequisites only point to earlier measures of the same or a lower level."""
    count = draw(st.integers(min_value=1, max_value=25))
    measures = []
    for i in range(count):
        field = draw(st.sampled_from(FIELD_ORDER))
        level = draw(st.sampled_from([Level.ADOPT, Level.BUILD, Level.COMMIT]))
        candidates = [m.code for m in measures if m.target_level <= level]
        pre = draw(st.lists(st.sampled_from(candidates), max_size=3, unique=True)) if candidates else []
        measures.append(
            MeasureSpec(
                code=f"m{i}",
                field=field,
                target_level=level,
                effort=draw(st.sampled_from(list(Effort))),
                duration_quarters=draw(st.integers(min_value=1, max_value=2)),
                prerequisites=tuple(pre),
                sustains=level == Level.COMMIT and draw(st.booleans()),
                position=i,
            )
        )
    return measures


@st.composite
def planning_inputs(draw):
    measures = draw(catalogues())
    goals = []
    for field in FIELD_ORDER:
        current = draw(st.one_of(st.none(), st.sampled_from(list(Level))))
        target = draw(st.sampled_from([lv for lv in Level if lv >= (current or Level.UNAWARE)]))
        goals.append(FieldGoal(field, current, target))
    return {
        "goals": goals,
        "measures": measures,
        "start": Quarter(2027, draw(st.integers(min_value=1, max_value=4))),
        "horizon": draw(st.integers(min_value=1, max_value=12)),
        "capacity": draw(st.integers(min_value=1, max_value=6)),
        "capacity_in_points": draw(st.booleans()),
    }


def spans(result):
    return {p.measure.code: (p.quarter, p.end) for q in result.quarters for p in q.placements}


@settings(max_examples=300, deadline=None)
@given(planning_inputs())
def test_no_quarter_exceeds_its_capacity(inputs):
    result = plan(**inputs)
    by_code = {m.code: m for m in inputs["measures"]}
    for q in result.quarters:
        load = sum(
            EFFORT_POINTS[by_code[code].effort] if inputs["capacity_in_points"] else 1
            for code, (first, last) in spans(result).items()
            if first <= q.quarter <= last
        )
        assert load <= inputs["capacity"]


@settings(max_examples=300, deadline=None)
@given(planning_inputs())
def test_prerequisites_and_lower_levels_end_before_a_measure_starts(inputs):
    result = plan(**inputs)
    placed = spans(result)
    goal_of = {g.field: g for g in inputs["goals"]}
    by_code = {m.code: m for m in inputs["measures"]}
    for code, (first, _last) in placed.items():
        measure = by_code[code]
        for pre in measure.prerequisites:
            if pre in placed:
                assert placed[pre][1] < first
            else:  # not planned: its field must already have that level
                pre_measure = by_code[pre]
                assert not pre_measure.sustains
                assert pre_measure.target_level <= goal_of[pre_measure.field].current
        for other, (_other_first, other_last) in placed.items():
            m = by_code[other]
            if m.field == measure.field and not m.sustains and m.target_level < measure.target_level:
                assert other_last < first
    assert all(inputs["start"] <= first < inputs["start"] + inputs["horizon"] for first, _ in placed.values())


@settings(max_examples=300, deadline=None)
@given(planning_inputs())
def test_nothing_is_lost_and_nothing_is_planned_twice(inputs):
    result = plan(**inputs)
    everything = [p.measure.code for p in result.placements()]
    assert len(everything) == len(set(everything))
    goal_of = {g.field: g for g in inputs["goals"]}
    for m in inputs["measures"]:
        goal = goal_of[m.field]
        if not m.sustains and goal.current < m.target_level <= goal.target:
            assert m.code in everything, m.code
    for p in result.later:
        assert p.quarter is None


@settings(max_examples=100, deadline=None)
@given(planning_inputs())
def test_the_same_input_gives_the_same_plan(inputs):
    assert plan(**inputs) == plan(**inputs)


@settings(max_examples=200, deadline=None)
@given(planning_inputs())
def test_projected_levels_never_fall_and_never_pass_the_target(inputs):
    result = plan(**inputs)
    for goal in inputs["goals"]:
        levels = [q.projected[goal.field] for q in result.quarters]
        assert levels == sorted(levels)
        assert all(goal.current <= lv <= goal.target for lv in levels)


@settings(max_examples=100, deadline=None)
@given(planning_inputs())
def test_the_projection_of_a_plan_as_it_stands_equals_the_planners(inputs):
    result = plan(**inputs)
    items = [Fixed(p.measure.code, p.quarter, p.measure.duration_quarters) for p in result.placements()]
    projected = projection(
        goals=inputs["goals"],
        measures=inputs["measures"],
        items=items,
        start=inputs["start"],
        horizon=inputs["horizon"],
    )
    assert projected == [q.projected for q in result.quarters]
