"""The self-assessment in the browser: start, personal link, steps, autosave, summary, result; bad input."""

import hashlib
import logging
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cjm_assess.logging import KeyValueFormatter
from standortbestimmung import versions
from standortbestimmung.models import Answer, AnswerOption, Assessment, Participant, Question
from standortbestimmung.result import participant_result
from tests.conftest import Respondent

pytestmark = pytest.mark.django_db


def counts():
    return Assessment.objects.count(), Participant.objects.count(), Answer.objects.count()


# --- start and the personal link ----------------------------------------------------------------


def test_starting_creates_an_assessment_with_a_secret_link_stored_only_as_hash(respondent):
    assessment = respondent.participant.assessment
    assert assessment.organisation == "Muster AG"
    assert assessment.version == respondent.version
    assert len(respondent.token) == 32  # 24 random bytes, base64url: 192 bits
    assert respondent.participant.token_hash == hashlib.sha256(respondent.token.encode()).hexdigest()
    assert not Participant.objects.filter(token_hash=respondent.token).exists()


def test_the_link_is_shown_once(respondent):
    html = respondent.client.get(respondent.url("link")).content.decode()
    assert "/r/" not in html
    assert reverse("respondent:new_link", args=[respondent.key]) in html


def test_a_new_link_replaces_the_old_one(respondent):
    old = respondent.token
    response = respondent.client.post(respondent.url("new_link"))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    new = response.content.decode().split("/r/")[1].split("/")[0]
    assert new != old
    assert Client().get(reverse("respondent:resume", args=[old])).status_code == 404
    assert Client().get(reverse("respondent:resume", args=[new])).status_code == 302


def test_the_link_opens_the_assessment_in_another_browser_without_keeping_the_secret_in_the_url(respondent):
    other = Client()
    assert other.get(respondent.url("step", "journeys")).status_code == 404
    response = other.get(reverse("respondent:resume", args=[respondent.token]))
    assert response.status_code == 302
    assert respondent.token not in response["Location"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert other.get(respondent.url("step", "journeys")).status_code == 200


@pytest.mark.parametrize(
    "token",
    ["short", "A" * 32, "A" * 33, "%00" * 11, "../../etc/passwd", "ä" * 32, "a" * 5000],
)
def test_malformed_or_unknown_links_give_the_same_404(client, version, token):
    response = client.get(f"/r/{token}/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


def test_a_revoked_link_gives_404(respondent):
    Participant.objects.filter(pk=respondent.participant.pk).update(revoked_at="2026-01-01T00:00:00Z")
    assert Client().get(reverse("respondent:resume", args=[respondent.token])).status_code == 404


def test_no_log_line_contains_the_secret(client, version, caplog):
    caplog.set_level(logging.DEBUG)
    r = Respondent(client, version)
    Client().get(reverse("respondent:resume", args=[r.token]))
    wrong = r.token[:-1] + ("A" if r.token[-1] != "A" else "B")
    assert Client().get(reverse("respondent:resume", args=[wrong])).status_code == 404
    formatter = KeyValueFormatter()
    lines = [formatter.format(record) for record in caplog.records]
    assert any("/r/[redacted]" in line for line in lines), lines  # the 404 of the wrong link was logged
    assert not any(r.token in line or r.token[:-1] in line for line in lines)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"organisation": "x" * 201, "language": "de"}, "höchstens 200 Zeichen"),
        ({"organisation": "Muster", "language": "fr"}, "keine gültige Auswahl"),
        ({"organisation": "Mus\x00ter", "language": "de"}, "Nullzeichen"),
        ({"organisation": "Muster"}, "Dieses Feld ist zwingend erforderlich"),
    ],
)
def test_a_tampered_start_form_is_refused_and_writes_nothing(client, version, data, message):
    before = counts()
    response = client.post("/start/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert counts() == before


def test_names_lose_control_bidi_and_zero_width_characters(client, version):
    from standortbestimmung.models import Assessment, Participant

    data = {"organisation": "Bank\u202e GmbH\u200b", "respondent_name": "E\u2066va\x07", "language": "de"}
    assert client.post("/start/", data).status_code == 200
    assert Assessment.objects.get().organisation == "Bank GmbH"
    assert Participant.objects.get().name == "Eva"
    # nothing but invisible characters is no name
    response = client.post("/start/", {**data, "organisation": "\u200b\u202e"})
    assert response.status_code == 400 and "sichtbare Zeichen" in response.content.decode()


def test_an_oversized_body_is_refused(client, version):
    before = counts()
    response = client.post("/start/", {"organisation": "x" * 300_000, "language": "de"})
    assert response.status_code == 400
    assert counts() == before


def test_a_binary_body_is_refused(client, version):
    before = counts()
    response = client.post("/start/", data=bytes(range(256)) * 10, content_type="application/octet-stream")
    assert response.status_code == 400
    assert counts() == before


# --- answering ----------------------------------------------------------------------------------


def test_an_autosaved_answer_is_stored_once_and_can_be_changed(respondent):
    response = respondent.answer("journeys.1", 2)
    assert response.status_code == 200
    assert "Gespeichert" in response.content.decode()
    respondent.answer("journeys.1", 2)  # a double click
    respondent.answer("journeys.1", 3)
    answer = Answer.objects.get(participant=respondent.participant)
    assert answer.option.level == 3
    assert answer.revision == 2


def test_dont_know_is_stored_as_an_explicit_answer(respondent):
    respondent.answer("journeys.1", None)
    answer = Answer.objects.get(participant=respondent.participant)
    assert answer.option is None


def test_a_step_without_javascript_saves_all_its_answers_and_moves_on(respondent):
    data = {
        f"q{respondent.question(f'journeys.{i}').pk}": str(respondent.option(f"journeys.{i}", 3).pk)
        for i in range(1, 8)
    }
    data["action"] = "next"
    response = respondent.client.post(respondent.url("step", "journeys"), data)
    assert response.status_code == 302
    assert response["Location"] == respondent.url("step", "insights")
    assert Answer.objects.filter(participant=respondent.participant).count() == 7
    back = respondent.client.post(respondent.url("step", "insights"), {"action": "back"})
    assert back["Location"] == respondent.url("step", "journeys")


def test_the_step_page_shows_saved_answers_after_a_reload(respondent):
    respondent.answer("journeys.2", 4)
    html = respondent.client.get(respondent.url("step", "journeys")).content.decode()
    option = respondent.option("journeys.2", 4)
    tags = re.findall(r"<input[^>]*>", html)
    checked = [tag for tag in tags if re.search(r"\bchecked\b", tag)]
    assert len(checked) == 1 and f'id="o{option.pk}"' in checked[0]


def test_the_field_buttons_say_which_fields_are_done_and_which_are_open(respondent):
    respondent.answer_all(lambda code: 2 if code.startswith("journeys.") else None)  # "weiß nicht" counts too
    Answer.objects.filter(
        question__code__in=["insights.1", "insights.2", "insights.3", "insights.4"]
    ).delete()
    html = respondent.client.get(respondent.url("step", "skills")).content.decode()
    nav = html.split('id="field-nav-heading"')[1]
    pills = re.findall(r'<a class="field-pill([^"]*)"[^>]*>(.*?)</a>', nav, re.S)
    states = {re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip(): cls for cls, text in pills}
    assert states["1. Journeys ✓ (alle beantwortet)"] == " complete"
    assert states["2. Insights 3/7 (3 von 7 beantwortet)"] == ""
    assert states["3. Skills ✓ (alle beantwortet)"] == " active complete"  # "weiß nicht" is an answer


def test_an_unknown_field_step_is_404(respondent):
    assert respondent.client.get(respondent.url("step", "marketing")).status_code == 404


def tampered(respondent):
    other_question = respondent.question("insights.1")
    journeys_1 = respondent.question("journeys.1")
    draft = versions.version_copy_as_draft(version=respondent.version)
    foreign_option = AnswerOption.objects.get(
        question__field__version=draft, question__code="journeys.1", level=2
    )
    return {
        "unknown question": {"q999999": "1"},
        "option of another question": {f"q{journeys_1.pk}": str(other_question.options.first().pk)},
        "option of another version": {f"q{journeys_1.pk}": str(foreign_option.pk)},
        "question of another version": {f"q{foreign_option.question_id}": str(foreign_option.pk)},
        "not a number": {f"q{journeys_1.pk}": "drop table"},
        "huge number": {f"q{journeys_1.pk}": "9" * 40},
        "unknown field name": {"evil": "1"},
        "answered twice": {f"q{journeys_1.pk}": ["dk", str(journeys_1.options.first().pk)]},
        "nothing": {},
    }


@pytest.mark.parametrize(
    "case",
    [
        "unknown question",
        "option of another question",
        "option of another version",
        "question of another version",
        "not a number",
        "huge number",
        "unknown field name",
        "answered twice",
        "nothing",
    ],
)
def test_a_tampered_autosave_is_refused_with_a_message_and_writes_nothing(respondent, case):
    data = tampered(respondent)[case]
    before = counts()
    response = respondent.client.post(respondent.url("answer"), data, headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert response.content.decode().strip()
    assert counts() == before


def test_a_tampered_step_post_writes_nothing_not_even_the_valid_answers(respondent):
    journeys_1 = respondent.question("journeys.1")
    insights_1 = respondent.question("insights.1")
    data = {
        f"q{journeys_1.pk}": str(journeys_1.options.first().pk),
        f"q{insights_1.pk}": str(insights_1.options.first().pk),
    }  # a question of another step
    response = respondent.client.post(respondent.url("step", "journeys"), data)
    assert response.status_code == 400
    assert "nicht zu diesem Schritt" in response.content.decode()
    assert Answer.objects.count() == 0


def test_a_finished_assessment_refuses_answers(respondent):
    respondent.answer("journeys.1", 2)
    respondent.client.post(respondent.url("summary"))
    response = respondent.answer("journeys.1", 4)
    assert response.status_code == 400
    assert "abgeschlossen" in response.content.decode()
    assert Answer.objects.get().option.level == 2


@pytest.mark.parametrize(
    "name",
    ["step", "answer", "summary", "result", "link", "new_link", "reopen", "continue"],
)
def test_another_browser_gets_404_for_every_page_of_the_assessment(respondent, name):
    args = ["journeys"] if name == "step" else []
    before = counts()
    stranger = Client()
    assert stranger.get(respondent.url(name, *args)).status_code in {404, 405}
    assert stranger.post(respondent.url(name, *args), {"q1": "1"}).status_code in {404, 405}
    assert counts() == before


def test_a_post_without_csrf_token_is_refused(version):
    browser = Client(enforce_csrf_checks=True)
    assert browser.post("/start/", {"organisation": "x", "language": "de"}).status_code == 403
    assert Assessment.objects.count() == 0


# --- summary and result -----------------------------------------------------------------------------


def test_the_summary_lists_open_questions_and_unassessable_fields(respondent):
    respondent.answer_all(lambda code: None if code.startswith("tools") else 3)
    Answer.objects.filter(participant=respondent.participant, question__code="journeys.4").delete()
    html = respondent.client.get(respondent.url("summary")).content.decode()
    assert respondent.question("journeys.4").text_de in html
    assert "nicht zuverlässig bewertet" in html or "Tools" in html.split("alert-warning")[1]


def test_finishing_with_gaps_gives_a_result_with_a_not_assessable_field(respondent):
    respondent.answer_all(lambda code: None if code.startswith("tools") else 3)
    response = respondent.client.post(respondent.url("summary"))
    assert response["Location"] == respondent.url("result")
    html = respondent.client.get(respondent.url("result")).content.decode()
    assert "nicht bewertbar" in html
    assert "Build, weil 7 von 7 beantworteten Praktiken auf Build oder höher liegen." in html


def test_changing_an_answer_changes_the_result(respondent):
    respondent.answer_all(lambda code: 2)
    respondent.client.post(respondent.url("summary"))
    profile = participant_result(respondent.participant).profile
    assert profile.field("journeys").level == 2
    respondent.client.post(respondent.url("reopen"))
    for i in range(1, 8):
        respondent.answer(f"journeys.{i}", 4)
    respondent.client.post(respondent.url("summary"))
    html = respondent.client.get(respondent.url("result")).content.decode()
    assert "Commit, weil 7 von 7" in html


def test_the_result_page_has_a_radar_chart_with_a_text_alternative(respondent):
    respondent.answer_all(lambda code: 3)
    respondent.client.post(respondent.url("summary"))
    response = respondent.client.get(respondent.url("result"))
    html = response.content.decode()
    assert 'role="img"' in html and "<title" in html and "<desc" in html
    assert html.count("<tr>") >= 7  # header plus six fields
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "private, no-store"


# --- constant number of queries --------------------------------------------------------------------


def small_version(version):
    """A published version with only three questions per field (the minimum)."""
    draft = versions.version_copy_as_draft(version=version)
    Question.objects.filter(field__version=draft, position__gt=3).delete()
    return versions.version_publish(version=draft)


def queries_for(client, url):
    client.get(url)  # warm the content cache, as in a running process
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_a_cached_report_download_costs_five_queries(client, version):
    """Session, participant (and whether they are the respondent), the digest's row stamps, the latest
    benchmark snapshot, the cached PDF: a download of an unchanged report computes nothing else."""
    respondent = Respondent(client, version)
    respondent.answer_all(lambda code: 2)
    client.post(respondent.url("summary"))
    assert queries_for(client, respondent.url("report")) == 5


@pytest.mark.parametrize("page", ["step", "result"])
def test_step_and_result_pages_run_the_same_queries_for_18_and_42_questions(client, version, page):
    big = Respondent(client, version)
    big.answer_all(lambda code: 3)
    small = Respondent(Client(), small_version(version))
    small.answer_all(lambda code: 2)
    args = ["journeys"] if page == "step" else []
    if page == "result":
        big.client.post(big.url("summary"))
        small.client.post(small.url("summary"))
    assert len(small.participant.assessment.version.fields.first().questions.all()) == 3
    assert queries_for(big.client, big.url(page, *args)) == queries_for(small.client, small.url(page, *args))
    # step: session, participant, answers; result: those (the participant's query also says whether they are
    # the respondent, not a late invitee), the confidence of the answers, the roadmap, its first quarter, the
    # benchmark's cohort, a contact request
    assert queries_for(big.client, big.url(page, *args)) == {"step": 3, "result": 8}[page]
