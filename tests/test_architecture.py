"""The shape of the code: dependencies run one way, a view calls at most one service, the report is built once."""

import ast
from pathlib import Path
from unittest import mock

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Lower apps never import upper ones: the assessment knows nothing of roadmaps, neither knows the pages.
LAYERS = {
    # signing in (password, second factor) knows nothing of assessments
    "accounts": {"standortbestimmung", "roadmap", "outreach", "respondent", "workspace", "market", "live"},
    "standortbestimmung": {"roadmap", "outreach", "respondent", "workspace", "market", "live"},
    "roadmap": {"outreach", "respondent", "workspace", "market", "live"},
    # the benchmark and the lead flow are neighbours on the same layer: neither knows the other
    "market": {"outreach", "respondent", "workspace", "live"},
    "outreach": {"market", "respondent", "workspace", "live"},
    "respondent": {"workspace", "live"},
    "workspace": {"respondent", "live"},
    "live": set(),  # the live workshop sits on top: it uses the others, nothing below knows it
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("app", sorted(LAYERS))
def test_an_app_imports_no_app_above_it(app):
    offenders = {
        str(path.relative_to(ROOT)): imports_of(path) & LAYERS[app]
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    }
    assert {path: apps for path, apps in offenders.items() if apps} == {}


def service_calls(function: ast.FunctionDef) -> list[str]:
    """The calls of `services.<action>(...)` in a view function."""
    return [
        node.func.attr
        for node in ast.walk(function)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "services"
    ]


@pytest.mark.parametrize(
    "views",
    [
        "respondent/views.py",
        "respondent/kiosk.py",
        "workspace/views.py",
        "workspace/leads.py",
        "roadmap/views.py",
        "accounts/views.py",
        "market/views.py",
        "outreach/views.py",
        "live/views.py",
    ],
)
def test_a_view_calls_at_most_one_service(views):
    tree = ast.parse((ROOT / views).read_text())
    functions = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    assert functions
    assert {f.name: calls for f in functions if len(calls := service_calls(f)) > 1} == {}


@pytest.mark.django_db
def test_the_report_computes_questionnaire_profile_and_roadmap_view_once(owned):
    from roadmap import presentation, report
    from standortbestimmung import result, scoring

    assessment = owned.participant.assessment
    with (
        mock.patch.object(result, "questionnaire_of", wraps=result.questionnaire_of) as questionnaire,
        mock.patch.object(scoring, "score", wraps=scoring.score) as profile,
        mock.patch.object(report, "roadmap_view", wraps=presentation.roadmap_view) as view,
    ):
        context = report.report_context(assessment, for_owner=True)
    assert context["plan"].quarters and context["profile"].fields
    assert (questionnaire.call_count, profile.call_count, view.call_count) == (1, 1, 1)
