"""The rules of the measures catalogue, on the shipped catalogue and on broken ones."""

from roadmap.catalogue import Effort, MeasureSpec, catalogue_problems
from standortbestimmung.scoring import FIELD_ORDER, FieldCode, Level
from tests.roadmap.test_planning import real_catalogue, simple


def test_the_shipped_catalogue_is_valid_and_covers_every_step_of_every_field():
    measures = real_catalogue()
    questions = {f"{field.value}.{i}" for field in FIELD_ORDER for i in range(1, 8)}
    assert catalogue_problems(measures, questions) == []
    for field in FIELD_ORDER:
        for level in (Level.ADOPT, Level.BUILD, Level.COMMIT):
            steps = [m for m in measures if m.field == field and m.target_level == level and not m.sustains]
            assert len(steps) >= 3, (field, level)
        assert any(m.field == field and m.sustains for m in measures)


def test_a_cycle_in_prerequisites_is_refused_and_named():
    measures = [simple("a", pre=["c"]), simple("b", pre=["a"]), simple("c", pre=["b"])]
    assert any("cycle: a → c → b → a" in p for p in catalogue_problems(measures))


def test_an_unknown_prerequisite_and_an_unknown_question_are_named():
    measures = [
        simple("a", pre=["ghost"]),
        MeasureSpec("b", FieldCode.TOOLS, Level.BUILD, Effort.S, question_codes=("tools.99",)),
    ]
    problems = catalogue_problems(measures, {"tools.1"})
    assert "a: prerequisite ghost does not exist" in problems
    assert "b: question tools.99 does not exist" in problems


def test_a_prerequisite_toward_a_higher_level_is_refused():
    problems = catalogue_problems(
        [simple("a", level=Level.ADOPT, pre=["b"]), simple("b", level=Level.COMMIT)]
    )
    assert any("higher level" in p for p in problems)
