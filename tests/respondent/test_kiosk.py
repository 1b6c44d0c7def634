"""The kiosk at events: a short version with an indicative result, taken away by QR code or e-mail, and a device
that forgets each visitor."""

import json
import re
from io import BytesIO

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from pypdf import PdfReader

from outreach.models import Mail, ShareLink
from roadmap.exchange import export_json, import_assessment
from standortbestimmung.models import Answer, Assessment, Participant
from standortbestimmung.questionnaire import questionnaire_for, questionnaire_of
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def kiosk_visit(browser, level=3):
    """Starts on the kiosk and answers every question of the short version through the pages; the participant."""
    response = browser.post(reverse("respondent:kiosk"))
    assert response.status_code == 302
    participant = Participant.objects.order_by("-pk").first()
    questionnaire = questionnaire_of(participant.assessment)
    for field in questionnaire.fields:
        step = browser.get(reverse("respondent:step", args=[participant.key, field.code]))
        assert step.status_code == 200
        answers = {f"q{q.pk}": str(q.options.get(level=level).pk) for q in field.questions.all()}
        assert (
            browser.post(reverse("respondent:step", args=[participant.key, field.code]), answers).status_code
            == 302
        )
    assert browser.post(reverse("respondent:summary", args=[participant.key])).status_code == 302
    return participant


def test_the_short_version_is_the_first_questions_of_each_field(version):
    short = questionnaire_for(version, per_field=3)
    assert {code: len(codes) for code, codes in short.structure().items()} == dict.fromkeys(
        short.structure(), 3
    )
    assert short.structure()["journeys"] == ["journeys.1", "journeys.2", "journeys.3"]
    assert len(questionnaire_for(version).questions) == 42  # the whole one is unchanged (a cache of its own)


def test_a_kiosk_visit_gives_an_indicative_result_from_18_answers(client, version):
    participant = kiosk_visit(client)
    assessment = Assessment.objects.get(pk=participant.assessment_id)
    assert assessment.questions_per_field == 3 and assessment.status == "finished"
    assert Answer.objects.filter(participant=participant).count() == 18
    page = client.get(reverse("respondent:result", args=[participant.key]))
    html = page.content.decode()
    assert "Ergebnis als Richtwert: Die Kurzfassung stellt 3 Fragen je Feld." in html
    assert html.count("level-badge level-3") >= 7  # every field and the whole at Build, from 3 answers each
    assert "kiosk-bar" in html and 'data-kiosk-idle="90"' in html
    assert reverse("respondent:report", args=[participant.key]) not in html  # no download onto the device
    assert reverse("respondent:handover", args=[participant.key]) in html
    assert 'autocomplete="off"' in html and 'autocomplete="email"' not in html


def test_a_step_of_the_short_version_refuses_an_answer_outside_it(client, version):
    participant = kiosk_visit(client)
    client.post(reverse("respondent:reopen", args=[participant.key]))
    fourth = questionnaire_for(version).field("journeys").questions.all()[3]
    response = client.post(
        reverse("respondent:answer", args=[participant.key]),
        {f"q{fourth.pk}": str(fourth.options.first().pk)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert Answer.objects.filter(participant=participant).count() == 18


def test_the_qr_code_hands_the_assessment_over_to_a_phone(client, version):
    participant = kiosk_visit(client)
    response = client.post(reverse("respondent:handover", args=[participant.key]))
    html = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    svg = re.search(r"<svg [^>]*>.*?</svg>", html, re.S).group(0)
    assert 'class="qr-code"' in svg and 'role="img"' in svg and "<title>" in svg
    assert "style" not in svg and "<?xml" not in html  # a strict CSP shows it as it is
    link = re.search(r"http://127\.0\.0\.1:8000(/r/[A-Za-z0-9_-]{32}/)", html).group(1)
    phone = Client()
    assert phone.get(link, follow=True).redirect_chain[-1][0] == reverse(
        "respondent:result", args=[participant.key]
    )
    assert client.get(reverse("respondent:result", args=[participant.key])).status_code == 200  # kiosk too


def test_the_report_goes_out_by_mail_with_the_pdf_and_a_share_link(client, version):
    participant = kiosk_visit(client)
    response = client.post(
        reverse("respondent:report_mail", args=[participant.key]), {"email": "Gast@Example.org"}
    )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["gast@example.org"]
    [(name, content, mimetype)] = message.attachments
    assert mimetype == "application/pdf" and name.endswith(".pdf")
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(content)).pages[:3])
    assert "Kurzfassung: ein Ergebnis als Richtwert" in text
    link = re.search(r"http://127\.0\.0\.1:8000(/teilen/[A-Za-z0-9_-]{32}/)", message.body).group(1)
    assert Client().get(link).status_code == 200
    assert ShareLink.objects.count() == 1 and Mail.objects.get().status == Mail.Status.SENT
    follow = client.get(reverse("respondent:result", args=[participant.key])).content.decode()
    assert "gast@example.org" not in follow.lower()  # the address is not shown again on the shared device


@override_settings(CONTACT_REQUESTS_PER_ASSESSMENT_PER_DAY=1)
def test_the_report_mail_is_rate_limited(client, version):
    participant = kiosk_visit(client)
    url = reverse("respondent:report_mail", args=[participant.key])
    assert client.post(url, {"email": "a@example.org"}).status_code == 302
    assert client.post(url, {"email": "b@example.org"}).status_code == 429
    assert client.post(url, {"email": "kaputt"}).status_code == 400
    assert len(mail.outbox) == 1


def test_ending_the_visit_forgets_everything_on_the_device(client, version):
    participant = kiosk_visit(client)
    response = client.post(reverse("respondent:kiosk_end"))
    assert response.status_code == 302 and response["Location"] == reverse("respondent:kiosk")
    assert client.cookies["sessionid"].value == ""  # the session cookie is deleted
    assert client.get(reverse("respondent:result", args=[participant.key])).status_code == 404
    start = client.get(reverse("respondent:kiosk")).content.decode()
    assert "kiosk-bar" not in start


def test_starting_on_the_kiosk_drops_whatever_the_browser_held(client, version, alice):
    first = kiosk_visit(client)
    sign_in(client, alice)
    client.post(reverse("respondent:kiosk"))
    assert client.get(reverse("respondent:result", args=[first.key])).status_code == 404
    assert client.get(reverse("workspace:dashboard")).status_code == 302  # logged out too


def test_a_short_assessment_keeps_its_shape_through_export_and_import(client, version):
    participant = kiosk_visit(client)
    data = json.loads(export_json(participant.assessment))
    assert data["assessment"]["questions_per_field"] == 3
    participant.assessment.delete()
    imported = import_assessment(json.dumps(data))
    assert imported.questions_per_field == 3
    from standortbestimmung.result import assessment_result

    assert assessment_result(imported).profile.level == 3


def test_the_kiosk_start_page_explains_the_short_version(client, version):
    html = client.get(reverse("respondent:kiosk")).content.decode()
    assert "18" in html and reverse("respondent:kiosk") in html
    assert Assessment.objects.count() == 0  # a look writes nothing
