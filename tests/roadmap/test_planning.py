"""The roadmap planner: what an expert expects for the reference companies, bad input, and its properties."""

import json
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap.catalogue import EFFORT_POINTS, Effort, MeasureSpec, carrying_codes, catalogue_problems
from roadmap.planning import (
    FieldGoal,
    Fixed,
    PlanningError,
    Reason,
    Stance,
    Suggestion,
    plan,
    projection,
    suggestions,
)
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
            carries=o["fields"]["carries"],
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


def test_each_field_and_level_has_one_or_two_measures_that_carry_it_and_others_that_deepen_it():
    groups = {}
    for m in real_catalogue():
        if not m.sustains:
            groups.setdefault((m.field, m.target_level), []).append(m)
    assert len(groups) == 18
    for (field, level), group in groups.items():
        carrying = [m.code for m in group if m.carries]
        assert 1 <= len(carrying) <= 2 < len(group), (field, level, carrying)
    assert carrying_codes(real_catalogue()) == {m.code for m in real_catalogue() if m.carries}


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ((False, False, False), {"a", "b", "c"}),  # nothing marked: every measure of the level carries it
        ((True, False, False), {"a"}),
        ((True, True, False), {"a", "b"}),
    ],
)
def test_a_level_without_marked_measures_is_carried_by_all_of_them(flags, expected):
    measures = [
        MeasureSpec(code, FieldCode.TOOLS, Level.ADOPT, Effort.S, carries=flag)
        for code, flag in zip("abc", flags, strict=True)
    ]
    other = MeasureSpec("d", FieldCode.TOOLS, Level.BUILD, Effort.S)
    assert carrying_codes([*measures, other]) == expected | {"d"}


def test_a_sustaining_measure_cannot_carry_a_level():
    measure = MeasureSpec("s", FieldCode.TOOLS, Level.COMMIT, Effort.S, sustains=True, carries=True)
    assert catalogue_problems([measure]) == ["s: a measure that sustains Commit cannot carry a level"]


# --- the method's example companies (seed 002) -----------------------------------------------------------

U, A, B, C = Level.UNAWARE, Level.ADOPT, Level.BUILD, Level.COMMIT


@dataclass(frozen=True)
class SeedCompany:
    """An example company of the method, every question of a field answered at the level its text implies."""

    levels: dict[str, Level]
    overall: Level
    first_steps: dict[str, str]  # what the method names as its first measures -> the catalogue's measure
    premature: frozenset[str]  # what the method calls too early for it
    focus: tuple[FieldCode, ...]


SEED_COMPANIES = {
    # No CX strategy, CJM unknown, journeys looked at only now and then, people work in isolation without a
    # shared vision, feedback not collected although pain points are suspected: Unaware in every field.
    "unaware": SeedCompany(
        levels=dict.fromkeys(["journeys", "insights", "skills", "culture", "operations", "tools"], U),
        overall=U,
        first_steps={
            "CX workshops for awareness": "skills.adopt.1",
            "first simple journey maps that show the pain points": "journeys.adopt.1",
            "a small CJM pilot to build awareness": "skills.adopt.3",
        },
        premature=frozenset(
            {
                "tools.commit.2",  # a KPI system ...
                "tools.build.3",  # ... and its first dashboard
                "insights.build.2",  # ... and the KPI set it rests on
                "tools.commit.1",  # a central repository ...
                "tools.build.1",  # ... and the repository it grows from
                "skills.commit.1",  # a network of CX coaches ...
                "skills.build.1",  # ... and the coaches themselves
            }
        ),
        focus=(FieldCode.JOURNEYS, FieldCode.SKILLS, FieldCode.CULTURE),
    ),
    # First journey maps, feedback collected sporadically (Journeys, Insights, Skills, Tools at Adopt), cooperation
    # only occasional (Culture at Adopt), but no standard process to keep maps current or turn them into action and
    # no team that owns the work: Operations is still at Unaware.
    "adopt": SeedCompany(
        levels={"journeys": A, "insights": A, "skills": A, "culture": A, "operations": U, "tools": A},
        overall=A,
        first_steps={
            "a standard process to create and maintain journey maps": "operations.adopt.2",
            "simple structures that bring customer feedback into journey work": "insights.build.1",
            "... and KPIs": "insights.build.2",
            "an interdisciplinary team working on the journeys": "operations.adopt.1",
        },
        # Commit's tooling and coach network, and a repository before there is a template to fill it with
        premature=frozenset({"tools.commit.1", "tools.commit.2", "skills.commit.1", "tools.build.1"}),
        focus=(FieldCode.OPERATIONS, FieldCode.INSIGHTS, FieldCode.JOURNEYS),
    ),
    # CJM part of the strategy in marketing and service, regular journey reviews, a repository in uneven use
    # (Journeys, Operations, Tools, Skills at Build); data and insights not yet systematic (Insights at Adopt),
    # cooperation across departments still to improve (Culture at Adopt).
    "build": SeedCompany(
        levels={"journeys": B, "insights": A, "skills": B, "culture": A, "operations": B, "tools": B},
        overall=B,
        first_steps={
            "extend the repository so that every journey is documented and accessible": "tools.commit.1",
            "clear processes that feed KPIs ...": "insights.build.2",
            "... and insights into the optimisation": "insights.build.1",
            "cross-department cooperation, e.g. joint workshops": "culture.build.1",
        },
        # nothing at Commit in the fields still at Adopt
        premature=frozenset(f"{field}.commit.{i}" for field in ("insights", "culture") for i in range(1, 4)),
        focus=(FieldCode.INSIGHTS, FieldCode.CULTURE, FieldCode.TOOLS),
    ),
    # CJM a fixed part of the strategy (Journeys, Insights, Culture, Operations at Commit); the repository is
    # established but not used in every department, steering every journey with data is still open (Tools at
    # Build), and the CX coaches need continuous training (Skills at Build).
    "commit": SeedCompany(
        levels={"journeys": C, "insights": C, "skills": B, "culture": C, "operations": C, "tools": B},
        overall=C,
        first_steps={
            "all journeys in one central repository used across departments": "tools.commit.1",
            "a comprehensive KPI system to steer and monitor the journeys": "tools.commit.2",
            "continuous training of CX coaches and teams": "skills.commit.1",
        },
        # nothing is too early for it; and nothing below the levels it has is planned again
        premature=frozenset(
            f"{field}.{level}.{i}"
            for field in FIELD_ORDER
            for level in ("adopt", "build")
            for i in range(1, 5)
        ),
        focus=(FieldCode.TOOLS, FieldCode.SKILLS),
    ),
}


def seed_inputs(name, horizon=4, capacity=3):
    """The planner's input for an example company: its answers, levels and default targets (one level up)."""
    company = SEED_COMPANIES[name]
    answers_by_field = {field: [level] * 7 for field, level in company.levels.items()}
    answers = {
        f"{field}.{i + 1}": lv for field, values in answers_by_field.items() for i, lv in enumerate(values)
    }
    profile = profile_of(answers_by_field)
    goals = [FieldGoal(r.field, r.level, r.level.next or Level.COMMIT, r.score) for r in profile.fields]
    return {
        "goals": goals,
        "measures": real_catalogue(),
        "start": Quarter(2027, 1),
        "horizon": horizon,
        "capacity": capacity,
        "answers": answers,
    }


@pytest.mark.parametrize("name", list(SEED_COMPANIES))
def test_the_example_companies_score_at_the_level_the_method_gives_them(name):
    company = SEED_COMPANIES[name]
    profile = profile_of({field: [level] * 7 for field, level in company.levels.items()})
    assert profile.level == company.overall


@pytest.mark.parametrize("name", list(SEED_COMPANIES))
def test_the_methods_first_steps_come_in_the_first_two_quarters(name):
    company = SEED_COMPANIES[name]
    result = plan(**seed_inputs(name))
    first_half_year = codes_in(result.quarters[:2])
    missing = {step: code for step, code in company.first_steps.items() if code not in first_half_year}
    assert missing == {}
    assert first_half_year & company.premature == set()


@pytest.mark.parametrize("name", list(SEED_COMPANIES))
def test_the_first_steps_carry_a_level_of_a_focus_field(name):
    company = SEED_COMPANIES[name]
    result = plan(**seed_inputs(name))
    assert result.focus == company.focus
    steps = {p.measure.code: p for p in result.placements() if p.measure.code in company.first_steps.values()}
    assert set(steps) == set(company.first_steps.values())
    for p in steps.values():
        assert p.carries and p.reason == Reason.STEP
        assert p.measure.field in company.focus


def test_the_unaware_company_reaches_adopt_everywhere_within_the_year_focus_first():
    result = plan(**seed_inputs("unaware"))
    assert codes_in(result.quarters[:1]) == {"journeys.adopt.1", "skills.adopt.1", "culture.adopt.1"}
    assert all(code.split(".")[1] == "adopt" for code in codes_in(result.quarters))
    outlook = {o.field: o for o in result.outlook}
    assert {f for f, o in outlook.items() if o.stance == Stance.FOCUS} == set(result.focus)
    # the fields deliberately left for later, from when, and why
    later = {f: (o.starts, o.builds_on) for f, o in outlook.items() if o.stance == Stance.LATER}
    assert later == {
        FieldCode.INSIGHTS: (Quarter(2027, 2), ()),
        FieldCode.OPERATIONS: (Quarter(2027, 3), (FieldCode.JOURNEYS, FieldCode.CULTURE)),
        FieldCode.TOOLS: (Quarter(2027, 4), ()),
    }
    assert not any(o.stronger for o in outlook.values())
    # every field reaches Adopt within the horizon, the focus fields first
    assert all(o.on_target and o.level == Level.ADOPT for o in outlook.values())
    assert max(outlook[f].reached for f in result.focus) <= min(
        o.reached for o in outlook.values() if o.stance == Stance.LATER
    )
    assert suggestions(**seed_inputs("unaware")) == []


def test_the_build_company_leaves_its_stronger_fields_for_later_and_says_what_they_build_on():
    outlook = {o.field: o for o in plan(**seed_inputs("build")).outlook}
    assert outlook[FieldCode.JOURNEYS].stance == Stance.LATER and outlook[FieldCode.JOURNEYS].stronger
    assert outlook[FieldCode.JOURNEYS].builds_on == (FieldCode.INSIGHTS, FieldCode.CULTURE)
    assert outlook[FieldCode.OPERATIONS].builds_on == (FieldCode.CULTURE,)
    assert (outlook[FieldCode.INSIGHTS].level, outlook[FieldCode.INSIGHTS].reached) == (B, Quarter(2027, 1))
    assert (outlook[FieldCode.TOOLS].level, outlook[FieldCode.TOOLS].reached) == (C, Quarter(2027, 3))
    assert not outlook[FieldCode.JOURNEYS].on_target and outlook[FieldCode.JOURNEYS].level == B


def test_the_commit_company_keeps_its_commit_fields_and_lifts_tools_and_skills_first():
    result = plan(**seed_inputs("commit"))
    outlook = {o.field: o for o in result.outlook}
    holding = {f for f, o in outlook.items() if o.stance == Stance.HOLDS}
    assert holding == {FieldCode.JOURNEYS, FieldCode.INSIGHTS, FieldCode.CULTURE, FieldCode.OPERATIONS}
    assert all(o.on_target for o in outlook.values())
    sustaining = [p for p in result.placements() if p.reason == Reason.SUSTAIN]
    assert sustaining and all(not p.carries for p in sustaining)
    carrying_ends = max(p.end for p in result.placements() if p.carries)
    assert all(p.quarter is None or p.quarter > carrying_ends for p in sustaining)


# --- what the plan reaches, and what would make it reach the targets ------------------------------------


def test_when_the_targets_do_not_fit_the_smallest_changes_that_would_are_suggested():
    inputs = seed_inputs("adopt")
    result = plan(**inputs)
    assert [o.field for o in result.outlook if not o.on_target] == [FieldCode.TOOLS]
    found = suggestions(**inputs)
    assert found == [
        Suggestion(capacity=4, horizon=4),  # one more measure per quarter
        Suggestion(capacity=3, horizon=6),  # two more quarters
        Suggestion(capacity=3, horizon=4, field=FieldCode.TOOLS, target=Level.ADOPT),  # a lower target
    ]
    for s in found:
        goals = [replace(g, target=s.target) if g.field == s.field else g for g in inputs["goals"]]
        assert plan(
            **{**inputs, "goals": goals, "capacity": s.capacity, "horizon": s.horizon}
        ).reaches_targets


def test_when_none_of_the_small_changes_is_enough_the_shortest_horizon_that_is_is_suggested():
    inputs = seed_inputs("build")
    assert not plan(**inputs).reaches_targets
    assert not plan(**{**inputs, "capacity": 4}).reaches_targets
    assert not plan(**{**inputs, "horizon": 6}).reaches_targets
    assert suggestions(**inputs) == [Suggestion(capacity=3, horizon=7)]


def test_no_suggestion_when_even_the_longest_horizon_is_too_short():
    inputs = seed_inputs("unaware", horizon=1, capacity=1)
    inputs["goals"] = [replace(g, target=Level.COMMIT) for g in inputs["goals"]]
    assert not plan(**inputs).reaches_targets
    assert suggestions(**inputs) == []


# --- the reference profiles of the scoring tests (mixed answers) ---------------------------------------


def test_the_mixed_unaware_company_starts_with_awareness_and_a_first_journey_map():
    result = reference_plan("mittelstaendler")
    first = codes_in(result.quarters[:1])
    assert "journeys.adopt.1" in first  # a first simple journey map
    assert "skills.adopt.1" in first  # an awareness workshop
    early = codes_in(result.quarters[:2])
    assert all(code.split(".")[1] == "adopt" for code in early)
    assert not early & SEED_COMPANIES["unaware"].premature


def test_the_mixed_adopt_company_gets_a_standard_process_feedback_structures_and_a_team():
    planned = codes_in(reference_plan("ecommerce").quarters)
    assert "operations.adopt.2" in planned  # a standard process for journey maps (its practice lags)
    assert "insights.adopt.3" in planned  # first measuring points along a journey (its practice lags)
    assert planned & {"insights.build.1", "insights.build.2"}  # feedback and KPIs into journey work
    assert "culture.build.1" in planned  # an interdisciplinary, cross-department format


def test_the_mixed_build_company_starts_with_its_weakest_field():
    result = reference_plan("versicherer")
    assert result.focus[0] == result.quarters[0].focus[0] == FieldCode.INSIGHTS
    assert result.reached(FieldCode.INSIGHTS) is not None


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
    assert journeys[0] == Level.ADOPT  # the first journey map carries Adopt: it ends in the first quarter
    skills = [q.projected[FieldCode.SKILLS] for q in result.quarters]
    assert skills[:2] == [Level.UNAWARE, Level.ADOPT]  # after the awareness workshop and the pilot
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
                question_codes=tuple(
                    draw(st.lists(st.sampled_from(QUESTION_CODES), max_size=3, unique=True))
                ),
                sustains=(sustains := level == Level.COMMIT and draw(st.booleans())),
                position=i,
                carries=not sustains and draw(st.booleans()),
            )
        )
    return measures


QUESTION_CODES = [f"{field.value}.{i}" for field in FIELD_ORDER for i in (1, 2, 3)]


@st.composite
def planning_inputs(draw):
    measures = draw(catalogues())
    goals = []
    for field in FIELD_ORDER:
        current = draw(st.one_of(st.none(), st.sampled_from(list(Level))))
        target = draw(st.sampled_from([lv for lv in Level if lv >= (current or Level.UNAWARE)]))
        score = draw(st.one_of(st.none(), st.floats(min_value=1, max_value=4)))
        goals.append(FieldGoal(field, current, target, score))
    answers = draw(
        st.dictionaries(st.sampled_from(QUESTION_CODES), st.one_of(st.none(), st.sampled_from(Level)))
    )
    return {
        "goals": goals,
        "measures": measures,
        "answers": answers,
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
        answers=inputs["answers"],
    )
    assert projected == [q.projected for q in result.quarters]


@settings(max_examples=200, deadline=None)
@given(planning_inputs())
def test_a_field_reaches_a_level_only_when_the_measures_that_carry_it_have_ended(inputs):
    result = plan(**inputs)
    ends = {p.measure.code: p.end for p in result.placements() if p.quarter}
    carrying = carrying_codes(inputs["measures"])
    for goal in inputs["goals"]:
        for q in result.quarters:
            for level in Level:
                if goal.current < level <= q.projected[goal.field]:
                    carriers = [
                        m.code
                        for m in inputs["measures"]
                        if m.field == goal.field and m.target_level == level and m.code in carrying
                    ]
                    assert carriers and all(
                        ends.get(c) is not None and ends[c] <= q.quarter for c in carriers
                    )


@settings(max_examples=200, deadline=None)
@given(planning_inputs())
def test_the_focus_is_the_few_fields_with_a_step_to_take_and_every_field_has_an_outlook(inputs):
    result = plan(**inputs)
    steps = {g.field for g in inputs["goals"] if g.target > g.current}
    assert set(result.focus) <= steps
    assert len(result.focus) == min(len(steps), 3, inputs["capacity"]) or (not steps and not result.focus)
    assert [o.field for o in result.outlook] == [g.field for g in inputs["goals"]]
    for o, goal in zip(result.outlook, inputs["goals"], strict=True):
        assert (o.stance == Stance.FOCUS) == (o.field in result.focus)
        assert (o.stance == Stance.HOLDS) == (goal.target == goal.current)
        assert o.level == result.quarters[-1].projected[o.field]
        assert o.reached == result.reached(o.field)
        assert set(o.builds_on) <= set(result.focus)
        placed = [p.quarter for p in result.placements() if p.quarter and p.measure.field == o.field]
        assert o.starts == (min(placed) if placed else None)


@settings(max_examples=40, deadline=None)
@given(planning_inputs())
def test_every_suggested_change_reaches_every_target(inputs):
    found = suggestions(**inputs)
    if plan(**inputs).reaches_targets:
        assert found == []
    for s in found:
        goals = [replace(g, target=s.target) if g.field == s.field else g for g in inputs["goals"]]
        changed = {**inputs, "goals": goals, "capacity": s.capacity, "horizon": s.horizon}
        assert plan(**changed).reaches_targets


def test_the_methodology_page_plans_the_same_example_companies_as_these_tests():
    from roadmap.examples import EXAMPLE_LEVELS, example_plan

    questions = {field.value: [f"{field.value}.{i}" for i in range(1, 8)] for field in FIELD_ORDER}
    for name, company in SEED_COMPANIES.items():
        assert {f.value: lv for f, lv in EXAMPLE_LEVELS[name].items()} == company.levels
        example = example_plan(name, questions, real_catalogue())
        assert example.overall == company.overall
        assert example.plan == plan(**seed_inputs(name))
