"""From self-assessment to client, and the kiosk at an event, in a real Chromium."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from outreach.models import Lead
from standortbestimmung.models import Assessment
from tests.browser.conftest import axe_violations, log_in
from tests.browser.test_self_assessment_browser import answer_step, start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_self_assessment_contact_request_lead_and_client(
    browser, page, live_content, django_user_model, settings
):
    settings.LEAD_RECIPIENTS = ["lena"]
    django_user_model.objects.create_user("lena", "lena@beratung.example", "lena-secret-password")
    start(page, live_content.url, organisation="Muster Versicherung AG")
    for _ in range(6):
        answer_step(page, 1)  # Adopt everywhere
        page.click("button[value=next]")
    page.click("text=Abschließen und Ergebnis anzeigen")

    # the request: refused without consent, with the reason next to the box; sent with it
    page.fill("#id_name", "Eva Muster")
    page.fill("#id_email", "eva@example.org")
    page.fill("#id_message", "Gern im März.")
    assert page.get_attribute("#id_email", "autocomplete") == "email"
    page.click("#kontakt button[type=submit]")
    expect(page.locator("#kontakt")).to_contain_text("Ohne Ihre Einwilligung")
    assert not Lead.objects.exists()
    assert axe_violations(page) == []
    page.check("#id_consent")
    page.click("#kontakt button[type=submit]")
    expect(page.locator("main")).to_contain_text("Vielen Dank! Ihre Anfrage ist gesendet.")
    expect(page.locator("#kontakt")).to_contain_text("Einwilligung widerrufen")
    assert sorted(m.to[0] for m in mail.outbox) == ["eva@example.org", "lena@beratung.example"]

    # the consultant sees the request with the result and makes a client of it
    consultant = browser.new_context(locale="de-DE").new_page()
    log_in(consultant, live_content.url, "lena", "lena-secret-password")
    consultant.click("header >> text=Kontaktanfragen")
    row = consultant.locator(".lead-row", has_text="Eva Muster")
    expect(row).to_contain_text("Muster Versicherung AG")
    expect(row.locator(".level-badge").first).to_have_text("Adopt")
    assert axe_violations(consultant) == []
    row.locator("a").click()
    expect(consultant.locator("main")).to_contain_text("Gern im März.")
    expect(consultant.locator("svg.radar")).to_be_visible()
    assert axe_violations(consultant) == []
    consultant.click("text=Als Kunden übernehmen")
    expect(consultant.locator("h1")).to_contain_text("Muster Versicherung AG")
    expect(consultant.locator("main")).to_contain_text("Selbsteinschätzung")
    assessment = Assessment.objects.get()
    assert assessment.client.name == "Muster Versicherung AG" and assessment.owner.username == "lena"
    assert Lead.objects.get().status == Lead.Status.CONVERTED


def test_a_kiosk_visit_forgets_itself_after_the_idle_time(browser, live_content, settings):
    settings.KIOSK_IDLE_SECONDS = 600  # long enough for the checks below; shortened at the end
    context = browser.new_context(locale="de-DE", viewport={"width": 1024, "height": 768})
    page = context.new_page()
    page.goto(live_content.url + "/kiosk/")
    assert axe_violations(page) == []
    page.click("main form button[type=submit]")
    expect(page.locator(".kiosk-bar")).to_be_visible()
    for _ in range(6):
        assert page.locator("fieldset.question").count() == 3  # the short version
        answer_step(page, 2)
        page.click("button[value=next]")
    page.click("text=Abschließen und Ergebnis anzeigen")
    expect(page.locator(".short-note")).to_contain_text("Richtwert")
    expect(page.locator(".overall .level-badge")).to_have_text("Build")
    assert page.get_attribute("#id_email", "autocomplete") == "off"
    assert axe_violations(page) == []
    page.click("text=QR-Code anzeigen")
    expect(page.locator("svg.qr-code")).to_be_visible()
    result_url = live_content.url + page.locator("a", has_text="Zurück zum Ergebnis").get_attribute("href")

    # nobody touches the tablet: a warning, then it starts over with nothing left of the visit
    settings.KIOSK_IDLE_SECONDS = 4
    page.click("text=Zurück zum Ergebnis")
    expect(page.locator(".kiosk-bar")).to_have_attribute("data-kiosk-idle", "4")
    expect(page.locator("#kiosk-warning")).to_be_visible(timeout=4000)
    page.wait_for_url(live_content.url + "/kiosk/", timeout=8000)
    expect(page.locator(".kiosk-bar")).to_have_count(0)
    assert page.evaluate("localStorage.length") == 0
    assert "/a/" not in page.evaluate("JSON.stringify(Object.entries(sessionStorage))")
    assert [c["name"] for c in context.cookies()] == ["csrftoken"]  # no session any more
    page.go_back()
    expect(page.locator("h1")).not_to_contain_text("Ihr Unternehmen")
    page.goto(result_url)
    expect(page.locator("h1")).to_contain_text("Seite nicht gefunden")
    context.close()
