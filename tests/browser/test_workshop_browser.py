"""A whole workshop in real browsers: a consultant and three participants, each in their own context."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from standortbestimmung.models import ConsensusAnswer, Participant
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer_everything(page, option_index):
    for _ in range(6):
        for fieldset in page.locator("fieldset.question").all():
            fieldset.locator(".option-card").nth(option_index).click()
            expect(fieldset.locator(".save-state")).to_contain_text("Gespeichert")
        page.click("button[value=next]")
    page.click("text=Abschließen und Ergebnis anzeigen")


def test_a_workshop_from_client_to_pdf(browser, live_content, django_user_model):
    django_user_model.objects.create_user("alice", "alice@example.org", "alice-secret-password")
    consultant = browser.new_context(locale="de-DE").new_page()
    log_in(consultant, live_content.url, "alice", "alice-secret-password")

    consultant.goto(live_content.url + "/beratung/")
    consultant.fill("#id_name", "Muster Versicherung AG")
    consultant.click("text=Kunden anlegen")
    consultant.click("text=Neue Standortbestimmung starten")

    links = []
    for name in ["Anna", "Bert", "Cem"]:
        consultant.fill("#invite-name", name)
        consultant.click(".invite-form button")
        links.append(consultant.input_value("#invitation-link"))
    assert Participant.objects.count() == 3

    # each participant answers in their own browser: Anna says Unaware, Bert Build, Cem Commit
    for link, option in zip(links, [0, 2, 3], strict=True):
        context = browser.new_context(locale="de-DE")
        page = context.new_page()
        page.goto(link)
        answer_everything(page, option)
        expect(page.locator(".overall .level-badge")).to_be_visible()  # their own result, no group documents
        assert page.locator("a[href$='bericht.pdf']").count() == 0
        context.close()

    consultant.reload()
    expect(consultant.locator(".participants-table tbody")).to_contain_text("42 / 42")
    first_row = consultant.locator(".spread-row").first
    expect(first_row).to_contain_text("Streuung 3")
    expect(first_row.locator(".distribution")).to_contain_text("Unaware: 1")

    # the room agrees on Build for the first disputed question
    first_row.locator("select").select_option(index=3)
    first_row.locator("button").click()
    expect(consultant.locator(".spread-row").first).to_be_visible()
    assert ConsensusAnswer.objects.count() == 1

    with consultant.expect_download() as download:
        consultant.click("text=PDF herunterladen")
    pdf_bytes = download.value.path().read_bytes()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_bytes)).pages).split())
    assert "Muster Versicherung AG" in text
    assert "Wo die Teilnehmenden am weitesten auseinanderlagen" in text


def test_revoking_a_link_is_confirmed_first_and_can_be_undone(page, live_content, django_user_model):
    from standortbestimmung.models import Client as ClientModel
    from standortbestimmung.versions import current_version
    from workspace import services

    alice = django_user_model.objects.create_user("alice", "alice@example.org", "alice-secret-password")
    workshop = services.workshop_start(
        client=ClientModel.objects.create(owner=alice, name="Muster AG"), version=current_version()
    )
    paula = services.participant_invite(assessment=workshop, name="Paula").participant
    log_in(page, live_content.url, "alice", "alice-secret-password")
    page.goto(f"{live_content.url}/beratung/s/{workshop.key}/")
    row = page.locator(f"#participant-{paula.pk}")
    confirm = row.get_by_role("button", name="Ja, Link widerrufen")
    expect(confirm).to_be_hidden()  # one click is not enough
    row.get_by_text("Link widerrufen …").click()
    expect(row).to_contain_text("Sie können das rückgängig machen.")
    confirm.click()
    row = page.locator(f"#participant-{paula.pk}")
    expect(row.locator(".status-badge")).to_have_text("Gesperrt")
    paula.refresh_from_db()
    assert paula.revoked_at is not None
    row.get_by_role("button", name="Rückgängig: Link wieder freigeben").click()
    expect(page.locator(f"#participant-{paula.pk} .status-badge")).to_have_text("nicht begonnen")
    paula.refresh_from_db()
    assert paula.revoked_at is None
