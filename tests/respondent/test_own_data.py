"""A person with a personal link downloads and sees their own answers only: not another participant's answers,
not their e-mail addresses, also in a self-assessment that got invitees before inviting into one was refused;
and a session planted in their browser loses everything it held when they open their link."""

import csv
import io
import json

import pytest
from django.test import Client
from django.urls import reverse

from standortbestimmung import access
from standortbestimmung.models import Answer, Participant, Question
from tests.conftest import Respondent, sign_in
from tests.roadmap.test_report import text_of
from workspace import services as workspace_services

pytestmark = pytest.mark.django_db


def answer_as(participant: Participant, level: int) -> None:
    questions = Question.objects.filter(field__version=participant.assessment.version).prefetch_related(
        "options"
    )
    Answer.objects.bulk_create(
        Answer(participant=participant, question=q, option=q.options.get(level=level)) for q in questions
    )


@pytest.fixture
def legacy(owned):
    """A self-assessment (Eva answered Adopt everywhere) into which, before that was refused, the consultant
    invited Ines (ines@example.org), who answered Unaware everywhere."""
    link = access.participant_add(
        assessment=owned.participant.assessment, name="Ines", email="ines@example.org"
    )
    answer_as(link.participant, 1)
    browser = Client()
    assert browser.get(reverse("respondent:resume", args=[link.token])).status_code == 302
    return owned, link.participant, browser


def test_inviting_into_a_self_assessment_is_refused_with_a_reason(owned):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="genau eine befragte Person"):
        workspace_services.participant_invite(assessment=owned.participant.assessment, name="Ines")


def test_a_late_invitee_of_a_self_assessment_gets_none_of_its_documents(legacy):
    _owned, ines, browser = legacy
    for name in ["roadmap", "report", "export_json", "export_csv"]:
        assert browser.get(reverse(f"respondent:{name}", args=[ines.key])).status_code == 404, name
    own = json.loads(browser.get(reverse("respondent:my_data", args=[ines.key])).content)
    assert own["email"] == "ines@example.org" and set(own["answers"].values()) == {1}
    assert "Eva" not in json.dumps(own)


def test_the_respondents_exports_carry_only_their_own_answers_and_address(legacy):
    owned, _ines, _browser = legacy
    data = json.loads(owned.client.get(owned.url("export_json")).content)
    assert [p["name"] for p in data["participants"]] == ["Eva"]
    assert "ines@example.org" not in json.dumps(data)
    assert data["result"]["level"] == 2  # her own Adopt, not the group's Unaware
    rows = list(csv.reader(io.StringIO(owned.client.get(owned.url("export_csv")).content.decode())))
    assert rows[0][3:] == ["Eva"] and {row[3] for row in rows[1:]} == {"Adopt"}
    assert not any("Ines" in cell or "Unaware" in cell for row in rows for cell in row)


def test_the_respondents_report_and_roadmap_show_their_own_answers(legacy):
    owned, _ines, _browser = legacy
    text = " ".join(text_of(owned.client.get(owned.url("report")).content)[0].split())
    assert "Adopt, weil 7 von 7 beantworteten Praktiken auf Adopt oder höher liegen." in text
    assert "Unaware, weil" not in text and "ines@example.org" not in text
    assert "Ines" not in text
    assert owned.client.get(owned.url("roadmap")).status_code == 200


def test_a_workshop_participant_never_downloads_another_participants_address(version, alice):
    from standortbestimmung.models import Client as ClientModel

    workshop = workspace_services.workshop_start(
        client=ClientModel.objects.create(owner=alice, name="Muster AG"), version=version
    )
    anna = workspace_services.participant_invite(assessment=workshop, name="Anna", email="anna@example.org")
    workspace_services.participant_invite(assessment=workshop, name="Bert", email="bert@example.org")
    browser = Client()
    browser.get(reverse("respondent:resume", args=[anna.token]))
    key = anna.participant.key
    downloads = {
        name: browser.get(reverse(f"respondent:{name}", args=[key]))
        for name in ["my_data", "report", "export_json", "export_csv"]
    }
    assert {name: r.status_code for name, r in downloads.items()} == {
        "my_data": 200,
        "report": 404,
        "export_json": 404,
        "export_csv": 404,
    }
    assert b"anna@example.org" in downloads["my_data"].content
    assert not any(b"bert@example.org" in r.content or b"Bert" in r.content for r in downloads.values())


def test_opening_a_link_throws_away_a_planted_session_with_its_grants_and_login(version, bob):
    attacker = Respondent(Client(), version)  # the attacker's own assessment, granted to their session
    sign_in(attacker.client, bob)  # and a consultant's login in the same session
    victim = Respondent(Client(), version)
    planted = Client()
    planted.cookies["sessionid"] = attacker.client.cookies["sessionid"].value
    assert planted.get(attacker.url("result")).status_code in (200, 302)  # the planted grant works at first
    response = planted.get(reverse("respondent:resume", args=[victim.token]))
    assert response.status_code == 302
    assert planted.cookies["sessionid"].value != attacker.client.cookies["sessionid"].value
    for name in ["continue", "summary", "my_data"]:
        assert planted.get(attacker.url(name)).status_code == 404, name
    assert planted.get(reverse("workspace:dashboard"))["Location"].startswith(reverse("login"))
    assert planted.get(victim.url("summary")).status_code == 200
