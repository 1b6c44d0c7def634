"""The method's four example companies as the methodology page shows them, planned by the real planner.

Each example answers every question of a field at the level its description implies (see the methodology page
for the reading); the tests in tests/roadmap/test_planning.py pin what the planner makes of them.
"""

from dataclasses import dataclass

from roadmap import planning
from roadmap.catalogue import MeasureSpec
from roadmap.quarters import Quarter
from standortbestimmung import scoring
from standortbestimmung.scoring import FIELD_ORDER, FieldCode, Level

U, A, B, C = Level.UNAWARE, Level.ADOPT, Level.BUILD, Level.COMMIT
J, I, S, CU, O, T = FIELD_ORDER  # noqa: E741 - short names for the table below

EXAMPLE_LEVELS: dict[str, dict[FieldCode, Level]] = {
    "unaware": dict.fromkeys(FIELD_ORDER, U),
    "adopt": {J: A, I: A, S: A, CU: A, O: U, T: A},
    "build": {J: B, I: A, S: B, CU: A, O: B, T: B},
    "commit": {J: C, I: C, S: B, CU: C, O: C, T: B},
}
HORIZON, CAPACITY = 4, 3  # the defaults of a new roadmap
START = Quarter(2027, 1)  # any quarter: the plan only counts from it


@dataclass(frozen=True)
class ExamplePlan:
    name: str
    levels: dict[FieldCode, Level]
    overall: Level | None
    plan: planning.Plan


def example_plan(name: str, questions: dict[str, list[str]], measures: list[MeasureSpec]) -> ExamplePlan:
    """Plans an example company with the default frame: every question of a field answered at its level."""
    levels = EXAMPLE_LEVELS[name]
    answers = {code: levels[FieldCode(field)] for field, codes in questions.items() for code in codes}
    profile = scoring.score(questions, answers)
    goals = [planning.FieldGoal(r.field, r.level, (r.level or U).next or C, r.score) for r in profile.fields]
    result = planning.plan(
        goals=goals, measures=measures, start=START, horizon=HORIZON, capacity=CAPACITY, answers=answers
    )
    return ExamplePlan(name, levels, profile.level, result)
