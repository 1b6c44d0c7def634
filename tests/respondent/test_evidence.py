"""Evidence and confidence per answer: posted with the answer, length-limited, escaped, never logged, exported to
its owner, deleted with the participant."""

import json
import logging

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import translation

from standortbestimmung.answering import AnswerNote, BadAnswer
from standortbestimmung.forms import parse_notes
from standortbestimmung.models import Answer, Participant
from standortbestimmung.models import Client as ClientModel
from standortbestimmung.questionnaire import questionnaire_for
from tests.conftest import sign_in
from tests.workspace.test_segments import CAST, segmented_workshop
from workspace import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _german():
    """Sentences and headings built outside a request come in the active language: German here."""
    with translation.override("de"):
        yield


SECRET_NOTE = "Journey Maps für Onboarding und Schaden, siehe Confluence <script>alert('x')</script>"


def post_data(pairs: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in pairs.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    return data


@pytest.fixture
def client_org(alice):
    return ClientModel.objects.create(owner=alice, name="Muster Versicherung AG")


@pytest.fixture
def questionnaire(version):
    return questionnaire_for(version)


@pytest.fixture
def q(questionnaire):
    return next(iter(questionnaire.questions.values()))


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ({"c": "sure"}, AnswerNote("sure", "")),
        ({"c": "guess", "e": "  siehe Wiki  "}, AnswerNote("guess", "siehe Wiki")),
        ({"e": "Zeile 1\r\nZeile 2\rZeile 3"}, AnswerNote("", "Zeile 1\nZeile 2\nZeile 3")),
        ({"c": "", "e": ""}, AnswerNote("", "")),
        ({"e": "x" * 500}, AnswerNote("", "x" * 500)),
    ],
)
def test_notes_are_read_per_question(questionnaire, q, pairs, expected):
    data = post_data({f"{kind}{q.pk}": value for kind, value in pairs.items()})
    assert parse_notes(data, questionnaire) == {q.pk: expected}
    assert parse_notes(post_data({f"q{q.pk}": "dk"}), questionnaire) == {}


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ({"c{pk}": "very"}, "wie sicher"),
        ({"e{pk}": "x" * 501}, "höchstens 500 Zeichen"),
        ({"e{pk}": "null\x00byte"}, "Steuerzeichen"),
        ({"e{pk}": ["a", "b"]}, "mehrfach"),
        ({"e999999": "foreign"}, "nicht zu diesem Schritt"),
    ],
)
def test_bad_notes_are_refused_without_echoing_the_text(questionnaire, q, pairs, message):
    data = post_data({name.format(pk=q.pk): value for name, value in pairs.items()})
    with pytest.raises(BadAnswer, match=message) as refused:
        parse_notes(data, questionnaire)
    assert "x" * 50 not in refused.value.message and "null" not in refused.value.message


def test_a_note_outside_the_step_is_refused(questionnaire):
    journeys, tools = questionnaire.fields[0], questionnaire.fields[-1]
    allowed = {x.pk for x in journeys.questions.all()}
    foreign = tools.questions.first()
    with pytest.raises(BadAnswer):
        parse_notes(post_data({f"e{foreign.pk}": "hier nicht"}), questionnaire, allowed=allowed)


def test_the_autosave_keeps_note_and_confidence_with_the_answer(respondent):
    question = respondent.question("journeys.1")
    option = respondent.option("journeys.1", 3)
    url = respondent.url("answer")
    headers = {"HX-Request": "true"}
    data = {f"q{question.pk}": option.pk, f"c{question.pk}": "rather_sure", f"e{question.pk}": SECRET_NOTE}
    assert respondent.client.post(url, data, headers=headers).status_code == 200
    answer = Answer.objects.get(participant=respondent.participant, question=question)
    assert (answer.option_id, answer.confidence, answer.evidence, answer.revision) == (
        option.pk,
        "rather_sure",
        SECRET_NOTE,
        1,
    )
    # changing only the note is a change: a new revision, so another tab cannot silently overwrite it
    data.update({f"c{question.pk}": "sure", f"r{question.pk}": "1"})
    assert respondent.client.post(url, data, headers=headers).status_code == 200
    answer.refresh_from_db()
    assert (answer.confidence, answer.revision) == ("sure", 2)
    data.update({f"c{question.pk}": "guess", f"r{question.pk}": "1"})  # a page that still shows revision 1
    assert respondent.client.post(url, data, headers=headers).status_code == 409
    answer.refresh_from_db()
    assert answer.confidence == "sure"
    # the answer alone (an older page, another client) leaves the note as it is
    assert respondent.answer("journeys.1", 2).status_code == 200
    answer.refresh_from_db()
    assert (answer.option.level, answer.confidence, answer.evidence) == (2, "sure", SECRET_NOTE)
    # the step page shows them again, escaped
    page = respondent.client.get(respondent.url("step", "journeys")).content.decode()
    assert f'id="c{question.pk}-sure" value="sure" checked' in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;</textarea>" in page
    assert "<script>alert(" not in page


def test_a_note_needs_an_answer_and_a_refusal_writes_nothing(respondent):
    question = respondent.question("journeys.2")
    url = respondent.url("answer")
    headers = {"HX-Request": "true"}
    response = respondent.client.post(url, {f"e{question.pk}": "erst die Notiz"}, headers=headers)
    assert response.status_code == 400 and "Bitte wählen Sie zuerst eine Antwort" in response.content.decode()
    emptied = respondent.client.post(url, {f"e{question.pk}": "", f"c{question.pk}": ""}, headers=headers)
    assert emptied.status_code == 204
    option = respondent.option("journeys.2", 2)
    too_long = {f"q{question.pk}": option.pk, f"e{question.pk}": "y" * 501}
    response = respondent.client.post(url, too_long, headers=headers)
    assert response.status_code == 400 and "y" * 20 not in response.content.decode()
    assert not Answer.objects.filter(participant=respondent.participant).exists()


def test_the_step_form_saves_notes_without_javascript(respondent):
    questions = list(respondent.question("journeys.1").field.questions.all())
    data = {f"q{x.pk}": respondent.option(x.code, 2).pk for x in questions}
    data.update({f"e{x.pk}": "" for x in questions})
    data.update(
        {f"e{questions[0].pk}": "Wiki-Seite Kundenreisen", f"c{questions[0].pk}": "guess", "action": "next"}
    )
    response = respondent.client.post(respondent.url("step", "journeys"), data)
    assert response.status_code == 302
    saved = {a.question_id: a for a in Answer.objects.filter(participant=respondent.participant)}
    assert len(saved) == len(questions)
    assert (saved[questions[0].pk].confidence, saved[questions[0].pk].evidence) == (
        "guess",
        "Wiki-Seite Kundenreisen",
    )
    assert {(a.confidence, a.evidence) for a in saved.values() if a.question_id != questions[0].pk} == {
        ("", "")
    }
    # a note to a question left unanswered is refused as a whole
    tools = list(respondent.question("tools.1").field.questions.all())
    before = Answer.objects.count()
    response = respondent.client.post(
        respondent.url("step", "tools"), {f"e{tools[0].pk}": "ohne Antwort", "action": "next"}
    )
    assert response.status_code == 400
    assert Answer.objects.count() == before


def test_notes_never_reach_the_logs(respondent, caplog):
    question = respondent.question("journeys.3")
    option = respondent.option("journeys.3", 1)
    url = respondent.url("answer")
    headers = {"HX-Request": "true"}
    with caplog.at_level(logging.DEBUG):
        respondent.client.post(
            url, {f"q{question.pk}": option.pk, f"e{question.pk}": SECRET_NOTE}, headers=headers
        )
        respondent.client.post(
            url, {f"q{question.pk}": option.pk, f"e{question.pk}": SECRET_NOTE + "z" * 500}
        )
        respondent.client.post(url, {f"q{question.pk}": "abc", f"e{question.pk}": SECRET_NOTE})
        respondent.client.post(url, {f"e{question.pk}": SECRET_NOTE}, headers=headers)
        respondent.client.get(respondent.url("step", "journeys"))
    assert caplog.records  # the refusals were logged (as warnings of django.request)
    logged = "\n".join(r.getMessage() + repr(r.args) + str(r.exc_text) for r in caplog.records)
    assert "Confluence" not in logged and "Onboarding" not in logged


def test_the_consultant_sees_the_note_with_name_level_and_confidence(client_org, version, alice):
    workshop, people = segmented_workshop(client_org, version, cast=CAST[:3])
    answer = Answer.objects.get(participant=people["Anna"], question__code="journeys.1")
    answer.confidence, answer.evidence = "sure", SECRET_NOTE
    answer.save()
    consultant = Client()
    sign_in(consultant, alice)
    html = consultant.get(reverse("workspace:assessment", args=[workshop.key])).content.decode()
    row = html.split('id="q-journeys.1"')[1].split("</article>")[0]
    assert "<strong>Anna</strong>" in row and "(Build, sicher)" in row
    assert "siehe Confluence &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in row
    assert "<script>alert(" not in html
    assert "sicher 1 · eher sicher 0 · geschätzt 0" in row


def test_notes_are_in_both_gdpr_exports_and_go_with_the_participant(client_org, version, alice):
    workshop, people = segmented_workshop(client_org, version, cast=CAST[:2])
    anna = people["Anna"]
    Answer.objects.filter(participant=anna, question__code="journeys.1").update(
        confidence="guess", evidence=SECRET_NOTE
    )
    link = services.participant_relink(participant=anna)
    browser = Client()
    browser.get(reverse("respondent:resume", args=[link.token]))
    own = json.loads(browser.get(reverse("respondent:my_data", args=[anna.key])).content)
    assert own["schema_version"] == 2
    assert (own["unit"], own["role"]) == ("Vertrieb", "Geschäftsleitung")
    assert own["notes"] == {"journeys.1": {"confidence": "guess", "evidence": SECRET_NOTE}}
    consultant = Client()
    sign_in(consultant, alice)
    data = json.loads(consultant.get(reverse("workspace:client_data", args=[client_org.pk])).content)
    exported = data["assessments"][0]["participants"][0]
    assert exported["notes"]["journeys.1"]["evidence"] == SECRET_NOTE
    Participant.objects.filter(pk=anna.pk).delete()
    assert not Answer.objects.filter(evidence=SECRET_NOTE).exists()
