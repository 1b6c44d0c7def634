"""Contact requests: consent, refusals with reasons, the consultant's inbox, conversion, withdrawal, GDPR."""

import json
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from cjm_assess.models import RateCounter
from outreach.models import Lead, Mail
from roadmap.models import Roadmap
from standortbestimmung.models import Assessment
from standortbestimmung.models import Client as ClientModel
from tests.conftest import Respondent, sign_in
from tests.outreach.conftest import finish
from workspace import services as workspace_services

pytestmark = pytest.mark.django_db
WITHDRAW = re.compile(r"https?://[^\s\"<]+/kontakt/widerruf/([A-Za-z0-9_-]{32})/")

REQUEST = {
    "name": "Eva Muster",
    "email": "Eva@Example.org",
    "phone": "+49 30 1234567",
    "organisation": "Muster AG",
    "message": "Gern im März.\nAm liebsten vormittags.",
    "consent": "on",
    "website": "",
}


def ask(respondent, **changes):
    data = {**REQUEST, **changes}
    return respondent.client.post(respondent.url("contact"), {k: v for k, v in data.items() if v is not None})


def test_a_request_with_consent_reaches_the_consultant_and_confirms_to_the_person(asker, lena, lena_browser):
    response = ask(asker)
    assert response.status_code == 302 and response["Location"] == asker.url("contact")
    lead = Lead.objects.get()
    assert (lead.name, lead.email, lead.phone, lead.status) == (
        "Eva Muster",
        "eva@example.org",
        "+49 30 1234567",
        "new",
    )
    assert (
        lead.consent_at and "diese Standortbestimmung (Antworten, Ergebnis und Roadmap)" in lead.consent_text
    )
    notice, confirmation = sorted(mail.outbox, key=lambda m: m.to != ["lena@beratung.example"])
    assert notice.to == ["lena@beratung.example"]
    assert notice.reply_to == ["Eva Muster <eva@example.org>"]  # the consultant answers the person directly
    assert reverse("workspace:lead", args=[lead.pk]) in notice.body
    assert confirmation.to == ["eva@example.org"]
    assert WITHDRAW.search(confirmation.body) and WITHDRAW.search(confirmation.alternatives[0].content)
    page = asker.client.get(asker.url("contact")).content.decode()
    assert reverse("respondent:contact_withdraw", args=[asker.key]) in page  # the request, and a way back
    inbox = lena_browser.get(reverse("workspace:leads")).content.decode()
    assert "Eva Muster" in inbox and "Muster AG" in inbox and "level-badge" in inbox
    detail = lena_browser.get(reverse("workspace:lead", args=[lead.pk])).content.decode()
    assert (
        "+49 30 1234567" in detail
        and "Am liebsten vormittags." in detail
        and "<svg" in detail.split('id="result-heading"')[1]
    )


@pytest.mark.parametrize(
    ("changes", "status", "message"),
    [
        (
            {"consent": None},
            400,
            "Ohne Ihre Einwilligung kann das Beratungsteam Ihre Standortbestimmung nicht sehen",
        ),
        ({"website": "http://spam.example"}, 400, "sieht automatisiert aus"),
        ({"email": "eva@"}, 400, "gültige E-Mail-Adresse"),
        ({"email": "eva@example.org\r\nBcc: victim@example.org"}, 400, "gültige E-Mail-Adresse"),
        ({"name": ""}, 400, "Dieses Feld ist zwingend erforderlich"),
        ({"phone": "call me maybe"}, 400, "Telefonnummer"),
        ({"message": "x" * 2001}, 400, "höchstens 2000 Zeichen"),
    ],
)
def test_a_refused_request_says_why_and_sends_nothing(asker, lena, changes, status, message):
    response = ask(asker, **changes)
    assert response.status_code == status
    assert message in response.content.decode()
    assert not Lead.objects.exists() and mail.outbox == []


def test_line_breaks_in_a_name_become_spaces_and_reach_no_other_recipient(asker, lena):
    assert ask(asker, name="Eva\r\nBcc: victim@example.org\u202e").status_code == 302
    assert Lead.objects.get().name.split() == [
        "Eva",
        "Bcc:",
        "victim@example.org",
    ]  # one line, no bidi override
    assert mail.outbox and all(
        "victim@example.org" not in [*m.to, *m.cc, *m.bcc] and "\n" not in m.subject for m in mail.outbox
    )


def test_there_is_no_request_without_consent_even_past_the_form(asker):
    from django.core.exceptions import ValidationError

    from respondent import services

    with pytest.raises(ValidationError):
        services.lead_create(
            participant=asker.participant, name="Eva", email="eva@example.org", consent=False
        )
    assert not Lead.objects.exists()


def test_one_open_request_per_assessment(asker, lena):
    ask(asker)
    again = ask(asker, email="other@example.org")
    assert again.status_code == 400 and "bereits um ein Gespräch gebeten" in again.content.decode()
    assert Lead.objects.count() == 1


@override_settings(CONTACT_REQUESTS_PER_ADDRESS_PER_DAY=2)
def test_requests_are_limited_per_address(version, lena):
    for _ in range(2):
        assert ask(finish(Respondent(Client(), version))).status_code == 302
    limited = ask(finish(Respondent(Client(), version)))
    assert limited.status_code == 429 and "bereits mehrere Anfragen" in limited.content.decode().replace(
        "schon", "bereits"
    )
    assert Lead.objects.count() == 2
    assert not RateCounter.objects.filter(key__contains="example.org").exists()  # no address in the counters
    assert ask(finish(Respondent(Client(), version)), email="anna@example.org").status_code == 302


@override_settings(CONTACT_REQUESTS_PER_ASSESSMENT_PER_DAY=2)
def test_requests_are_limited_per_assessment(asker, lena):
    assert ask(asker).status_code == 302
    asker.client.post(reverse("respondent:contact_withdraw", args=[asker.key]))
    assert ask(asker, email="zwei@example.org").status_code == 302
    asker.client.post(reverse("respondent:contact_withdraw", args=[asker.key]))
    limited = ask(asker, email="drei@example.org")
    assert limited.status_code == 429


def test_an_unfinished_assessment_asks_to_finish_first(client, version, lena):
    respondent = Respondent(client, version)
    response = ask(respondent)
    assert response.status_code == 302 and response["Location"] == respondent.url("summary")
    assert not Lead.objects.exists()


def test_an_assessment_of_a_client_already_is_not_offered_again(owned, lena):
    response = ask(owned)
    assert response.status_code == 400 and "liegt bereits bei" in response.content.decode()


def test_without_lead_recipients_the_operator_consultant_is_told(asker):
    with override_settings(CONSULTANT={"name": "Anna", "email": "anna@beratung.example", "booking_url": ""}):
        ask(asker)
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@beratung.example", "eva@example.org"]


def test_a_name_cannot_inject_headers_into_the_consultants_notice(asker, lena):
    from respondent import services

    services.lead_create(
        participant=asker.participant,
        name="Eva\r\nBcc: victim@example.org\r\nX-Evil: 1",
        email="eva@example.org",
        consent=True,
    )
    notice = next(m for m in mail.outbox if m.to == ["lena@beratung.example"])
    message = notice.message()
    headers = message.as_bytes().split(b"\n\n")[0].split(b"\n")
    assert not [line for line in headers if line.startswith((b"Bcc", b"X-Evil"))]  # only folded, indented
    assert message["Bcc"] is None and message["X-Evil"] is None
    assert notice.recipients() == ["lena@beratung.example"]
    assert notice.reply_to == ['"Eva Bcc: victim@example.org X-Evil: 1" <eva@example.org>']  # one quoted name


def test_the_consultant_converts_a_request_into_a_client_with_one_click(asker, lena, lena_browser):
    ask(asker)
    lead = Lead.objects.get()
    response = lena_browser.post(reverse("workspace:lead_convert", args=[lead.pk]))
    client = ClientModel.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "workspace:client", args=[client.pk]
    )
    assert (client.owner, client.name, client.contact_name, client.contact_email) == (
        lena,
        "Muster AG",
        "Eva Muster",
        "eva@example.org",
    )
    assert "+49 30 1234567" in client.notes
    assessment = Assessment.objects.get(pk=asker.participant.assessment_id)
    assert (assessment.client, assessment.owner) == (client, lena)
    lead.refresh_from_db()
    assert (lead.status, lead.client, lead.handled_by) == ("converted", client, lena)
    assert lena_browser.get(reverse("workspace:assessment", args=[assessment.key])).status_code == 200
    assert lena_browser.get(reverse("workspace:roadmap:edit", args=[assessment.key])).status_code == 200
    again = lena_browser.post(reverse("workspace:lead_convert", args=[lead.pk]))
    assert again.status_code == 400 and ClientModel.objects.count() == 1


def test_the_status_of_a_request_is_set_by_hand(asker, lena, lena_browser):
    ask(asker)
    lead = Lead.objects.get()
    url = reverse("workspace:lead_status", args=[lead.pk])
    assert lena_browser.post(url, {"status": "contacted"}).status_code == 302
    lead.refresh_from_db()
    assert lead.status == "contacted" and lead.handled_by == lena
    assert lena_browser.post(url, {"status": "converted"}).status_code == 400  # only by converting
    assert lena_browser.post(url, {"status": "nonsense"}).status_code == 400
    filtered = lena_browser.get(reverse("workspace:leads") + "?status=declined").content.decode()
    assert "Eva Muster" not in filtered


def test_other_consultants_do_not_see_requests_but_staff_does(asker, lena, bob, django_user_model):
    ask(asker)
    lead = Lead.objects.get()
    browser = Client()
    sign_in(browser, bob)
    assert browser.get(reverse("workspace:leads")).status_code == 404
    assert browser.get(reverse("workspace:lead", args=[lead.pk])).status_code == 404
    assert "Kontaktanfragen" not in browser.get(reverse("workspace:dashboard")).content.decode()
    staff = django_user_model.objects.create_user(
        "sam", "sam@example.org", "x-secret-password", is_staff=True
    )
    sign_in(browser, staff)
    assert browser.get(reverse("workspace:lead", args=[lead.pk])).status_code == 200


def test_withdrawing_with_the_mailed_link_erases_the_details_and_ends_access(asker, lena, lena_browser):
    ask(asker)
    lead = Lead.objects.get()
    lena_browser.post(reverse("workspace:lead_convert", args=[lead.pk]))
    confirmation = next(m for m in mail.outbox if m.to == ["eva@example.org"])
    token = WITHDRAW.search(confirmation.body).group(1)
    stranger = Client()
    url = reverse("outreach:withdraw", args=[token])
    assert stranger.get(url).status_code == 200
    assert Lead.objects.get().status == "converted"  # asking changes nothing
    assert stranger.post(url).status_code == 200
    lead.refresh_from_db()
    assert lead.status == "withdrawn" and lead.withdrawn_at
    assert (lead.name, lead.email, lead.phone, lead.message, lead.organisation) == ("", "", "", "", "")
    assert not lead.mails.exists()
    assessment = Assessment.objects.get(pk=asker.participant.assessment_id)
    assert assessment.client is None and assessment.owner is None
    assert lena_browser.get(reverse("workspace:assessment", args=[assessment.key])).status_code == 404
    assert lena_browser.get(reverse("workspace:lead_report", args=[lead.pk])).status_code == 404
    stub = lena_browser.get(reverse("workspace:lead", args=[lead.pk])).content.decode()
    assert "eva@example.org" not in stub and "+49 30" not in stub and 'class="radar"' not in stub
    assert stranger.post(url).status_code == 404  # used up
    assert asker.client.get(asker.url("result")).status_code == 200  # the person keeps their assessment


def test_the_person_withdraws_from_their_result_page_too(asker, lena):
    ask(asker)
    response = asker.client.post(reverse("respondent:contact_withdraw", args=[asker.key]))
    assert response.status_code == 302
    assert Lead.objects.get().status == "withdrawn"
    form = asker.client.get(asker.url("contact")).content.decode()
    assert 'name="consent"' in form  # asking again is possible


def test_a_deleted_request_takes_its_details_and_mails_along(asker, lena, lena_browser):
    ask(asker)
    lead = Lead.objects.get()
    assert lena_browser.post(reverse("workspace:lead_delete", args=[lead.pk])).status_code == 302
    assert not Lead.objects.exists() and not Mail.objects.exists()
    assert Assessment.objects.filter(pk=asker.participant.assessment_id).exists()


def test_gdpr_exports_include_the_request(asker, lena, lena_browser):
    ask(asker)
    own = json.loads(asker.client.get(asker.url("my_data")).content)
    [request] = own["contact_requests"]
    assert request["email"] == "eva@example.org" and request["consent_text"]
    assert [(m["kind"], m["to"], m["status"]) for m in own["mails"]] == [
        ("lead_confirmation", "eva@example.org", "sent")  # not the notice to the consultant
    ]
    lead = Lead.objects.get()
    lena_browser.post(reverse("workspace:lead_convert", args=[lead.pk]))
    client = ClientModel.objects.get()
    data = json.loads(lena_browser.get(reverse("workspace:client_data", args=[client.pk])).content)
    assert [r["name"] for r in data["contact_requests"]] == ["Eva Muster"]


def test_deleting_the_client_or_purging_the_assessment_deletes_the_request(
    asker, version, lena, lena_browser
):
    ask(asker)
    lena_browser.post(reverse("workspace:lead_convert", args=[Lead.objects.get().pk]))
    workspace_services.client_delete(client=ClientModel.objects.get())
    assert not Lead.objects.exists() and not Mail.objects.exists()
    other = finish(Respondent(Client(), version))
    ask(other)
    Assessment.objects.filter(pk=other.participant.assessment_id).update(
        updated_at=timezone.now() - timedelta(days=400)
    )
    call_command("purge_stale_data", verbosity=0)
    assert not Lead.objects.exists() and not Roadmap.objects.filter(
        assessment_id=other.participant.assessment_id
    )


def test_the_pdf_of_a_self_assessment_invites_a_conversation(asker):
    from io import BytesIO

    from pypdf import PdfReader

    pdf = asker.client.get(asker.url("report")).content
    text = PdfReader(BytesIO(pdf)).pages[0].extract_text().replace("\n", "")
    assert f"http://127.0.0.1:8000/a/{asker.key}/kontakt/" in text
