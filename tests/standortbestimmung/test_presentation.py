"""What the result page and the report say about a result: honest findings, numbers in the reader's format."""

import pytest
from django.test import Client
from django.urls import reverse

from standortbestimmung.presentation import key_findings
from standortbestimmung.result import assessment_result
from tests.conftest import Respondent

pytestmark = pytest.mark.django_db

BUILD_IN_JOURNEYS_AND_CULTURE = {"journeys": 3, "culture": 3}


def finished(version, level_for) -> Respondent:
    respondent = Respondent(Client(), version)
    respondent.answer_all(level_for)
    respondent.client.post(respondent.url("summary"))
    return respondent


@pytest.mark.parametrize(
    ("level_for", "expected", "absent"),
    [
        (
            lambda code: 1,
            "Alle bewerteten Handlungsfelder stehen auf Unaware, mit demselben Score (1,0): Keines ragt heraus.",
            "stärkste",
        ),
        (
            # four of seven Journeys answers at Build: still Adopt, with a higher score
            lambda code: 3 if code in {"journeys.1", "journeys.2", "journeys.3", "journeys.4"} else 2,
            "Alle bewerteten Handlungsfelder stehen auf Adopt; ihre Scores liegen dicht beieinander, zwischen "
            "2,0 und 2,6: Keines ragt heraus.",
            "stärkste",
        ),
        (
            lambda code: BUILD_IN_JOURNEYS_AND_CULTURE.get(code.split(".")[0], 2),
            "Die stärksten Handlungsfelder sind Journeys (Build, 3,0) und Culture (Build, 3,0).",
            "Keines ragt heraus",
        ),
    ],
)
def test_key_findings_name_ties_as_ties_and_a_strongest_field_only_when_it_differs(
    version, level_for, expected, absent
):
    respondent = finished(version, level_for)
    findings = key_findings(assessment_result(respondent.participant.assessment))
    assert expected in findings
    assert not any(absent in finding for finding in findings)


def test_the_lever_is_every_field_on_the_lowest_level(version):
    respondent = finished(version, lambda code: BUILD_IN_JOURNEYS_AND_CULTURE.get(code.split(".")[0], 2))
    findings = key_findings(assessment_result(respondent.participant.assessment))
    assert (
        "Den größten Hebel bieten Insights (Adopt, 2,0), Skills (Adopt, 2,0), Operations (Adopt, 2,0) und "
        "Tools (Adopt, 2,0): Maßnahmen dort heben das ganze Profil."
    ) in findings
    flat = " ".join(respondent.client.get(respondent.url("result")).content.decode().split())
    assert (
        "Der größte Hebel liegt in den schwächsten Handlungsfeldern: <strong>Insights</strong>, "
        "<strong>Skills</strong>, <strong>Operations</strong>, <strong>Tools</strong>."
    ) in flat


def test_a_result_with_every_field_on_one_level_names_no_weakest_field(version):
    respondent = finished(version, lambda code: 1)
    flat = " ".join(respondent.client.get(respondent.url("result")).content.decode().split())
    assert "Alle Handlungsfelder stehen auf Unaware: Keines ist schwächer als die anderen." in flat
    assert "Ihre Roadmap beginnt deshalb dort, wo die Methode beginnt: bei Journeys, Skills, Culture." in flat
    assert "Das stärkste Handlungsfeld" not in flat


@pytest.mark.parametrize(
    ("language", "score", "average", "wrong"),
    [
        ("de", "Score 2,0 von 4,0", "Durchschnittlicher Score 2,0 von 4,0", "/ 4.0"),
        ("en", "Score 2.0 of 4.0", "Average score 2.0 of 4.0", "2,0"),
    ],
)
def test_scores_are_written_in_the_readers_language_on_the_page_and_in_the_report(
    version, language, score, average, wrong
):
    from roadmap.pdf import render_pdf
    from tests.roadmap.test_report import text_of

    respondent = finished(version, lambda code: 2)
    respondent.client.post(reverse("set_language"), {"language": language, "next": "/"})
    flat = " ".join(respondent.client.get(respondent.url("result")).content.decode().split())
    assert score in flat and average in flat and wrong not in flat
    report = " ".join(
        text_of(render_pdf(respondent.participant.assessment, language, for_owner=False))[0].split()
    )
    assert score in report and average in report and wrong not in report


def test_the_review_page_links_all_six_fields(version):
    respondent = Respondent(Client(), version)
    html = respondent.client.get(respondent.url("summary")).content.decode()
    text = " ".join(html.split())
    for i, (code, name) in enumerate(
        [
            ("journeys", "Journeys"),
            ("insights", "Insights"),
            ("skills", "Skills"),
            ("culture", "Culture"),
            ("operations", "Operations"),
            ("tools", "Tools"),
        ],
        start=1,
    ):
        assert f'href="{respondent.url("step", code)}"' in html
        assert f"{i}. {name}" in text
