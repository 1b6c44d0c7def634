"""A workshop with two business units and three roles in real browsers: the consultant defines them and
invites nine people, one of them chooses her unit and role herself and backs an answer with a note; the
heatmaps, the perception gaps and the note reach the workshop page, the narrow screen and the PDF."""

import io
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from standortbestimmung.models import Answer, Participant, Question
from tests.browser.conftest import axe_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# name, unit, role, the level every answer describes; Ines is invited without and chooses in her browser
CAST = [
    ("Anna", "Vertrieb", "Geschäftsleitung", 3),
    ("Bert", "Vertrieb", "Führungskraft", 3),
    ("Cem", "Vertrieb", "Mitarbeitende mit Kundenkontakt", 2),
    ("Gus", "Vertrieb", "Geschäftsleitung", 3),
    ("Dora", "Service", "Geschäftsleitung", 4),
    ("Emil", "Service", "Führungskraft", 2),
    ("Fay", "Service", "Mitarbeitende mit Kundenkontakt", 1),
    ("Hana", "Service", "Führungskraft", 2),
]
NOTE = "Journey Maps gibt es nur für die Schadenmeldung, siehe Confluence"


def screenshot(page, name, locator=None):
    """Saves a screenshot when SCREENSHOT_DIR is set (for the closing note of the issue)."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        target = locator or page
        target.screenshot(path=str(Path(folder) / f"{name}.png"), **({} if locator else {"full_page": True}))


def test_a_segmented_workshop_from_invitation_to_pdf(browser, live_content, django_user_model):
    django_user_model.objects.create_user("alice", "alice@example.org", "alice-secret-password")
    consultant = browser.new_context(locale="de-DE").new_page()
    log_in(consultant, live_content.url, "alice", "alice-secret-password")
    consultant.goto(live_content.url + "/beratung/")
    consultant.fill("#id_name", "Muster Versicherung AG")
    consultant.click("text=Kunden anlegen")

    # the new workshop's units and roles: the usual four roles are offered, the consultant keeps three
    consultant.click("text=Bereiche und Rollen des neuen Workshops")
    expect(consultant.locator("#segments_roles")).to_have_value(
        "Geschäftsleitung\nFührungskraft\nMitarbeitende mit Kundenkontakt\nCX-/UX-Team"
    )
    consultant.fill("#segments_units", "Vertrieb\nService")
    consultant.fill("#segments_roles", "Geschäftsleitung\nFührungskraft\nMitarbeitende mit Kundenkontakt")
    consultant.click("text=Neue Standortbestimmung starten")

    for name, unit, role, _level in CAST:
        consultant.fill("#invite-name", name)
        consultant.select_option("#segment_unit", label=unit)
        consultant.select_option("#segment_role", label=role)
        consultant.click(".invite-form button[type=submit]")
        expect(consultant.locator("#invitation-link")).to_be_visible()
    consultant.fill("#invite-name", "Ines")
    consultant.click(".invite-form button[type=submit]")
    link = consultant.input_value("#invitation-link")
    assert Participant.objects.count() == 9
    anna = Participant.objects.get(name="Anna")
    assert (anna.unit.name, anna.role.name) == ("Vertrieb", "Geschäftsleitung")

    # eight answer through their links (stored as the autosave stores them), Ines in her browser
    questions = list(Question.objects.prefetch_related("options"))
    for name, _unit, _role, level in CAST:
        participant = Participant.objects.get(name=name)
        Answer.objects.bulk_create(
            Answer(
                participant=participant,
                question=q,
                option=next(o for o in q.options.all() if o.level == level),
            )
            for q in questions
        )
    ines = browser.new_context(locale="de-DE").new_page()
    ines.goto(link)
    expect(ines.locator("#segment-choice-heading")).to_have_text("Wo arbeiten Sie?")
    ines.select_option("#segment_unit", label="Service")
    ines.select_option("#segment_role", label="Mitarbeitende mit Kundenkontakt")
    ines.click(".segment-choice button[type=submit]")
    expect(ines.locator("#segment_unit option:checked")).to_have_text("Service")
    first = ines.locator("fieldset.question").first
    first.locator(".option-card").nth(0).click()
    expect(first.locator(".save-state")).to_contain_text("Gespeichert")
    first.locator(".answer-note summary").click()
    first.locator("label", has_text="eher sicher").click()
    first.locator("textarea").fill(NOTE)
    first.locator("textarea").press("Tab")
    expect(first.locator(".save-state")).to_contain_text("Gespeichert")
    for step in range(6):
        for fieldset in ines.locator("fieldset.question").all()[1 if step == 0 else 0 :]:
            fieldset.locator(".option-card").nth(0).click()
            expect(fieldset.locator(".save-state")).to_contain_text("Gespeichert")
        ines.click("button[value=next]")
    saved = Answer.objects.get(participant__name="Ines", question__code="journeys.1")
    assert (saved.option.level, saved.confidence, saved.evidence) == (1, "rather_sure", NOTE)

    # the consultant's page: heatmaps with the level in each cell, the gaps, Ines' note
    consultant.goto(consultant.url.split("#")[0].replace("einladen/", ""))
    units = consultant.locator("table.heatmap-unit")
    expect(units.locator("tbody tr").nth(0)).to_contain_text("Vertrieb")
    expect(units.locator("tbody tr").nth(0).locator("td").nth(1)).to_have_text("Build")
    expect(units.locator("tbody tr").nth(1)).to_contain_text("Service")
    expect(units.locator("tbody tr").nth(1).locator("td").nth(0)).to_have_text("Adopt")
    roles = consultant.locator("table.heatmap-role tbody tr")
    expect(roles).to_have_count(3)
    expect(roles.nth(2)).to_contain_text("Mitarbeitende mit Kundenkontakt")
    expect(roles.nth(2).locator("td").nth(3)).to_have_text("Unaware")
    gaps = consultant.locator(".gap-list").first.locator("li")
    expect(gaps.first).to_contain_text(
        "Geschäftsleitung sieht Journeys auf Build, Mitarbeitende mit Kundenkontakt auf Unaware."
    )
    note = consultant.locator("#q-journeys\\.1 .notes-list li")
    expect(note).to_contain_text("Ines")
    expect(note).to_contain_text("(Unaware, eher sicher)")
    expect(note).to_contain_text(NOTE)
    assert axe_violations(consultant) == []
    screenshot(consultant, "heatmap-1280", consultant.locator(".segments-section"))

    narrow = browser.new_context(locale="de-DE", viewport={"width": 375, "height": 800}, storage_state=None)
    narrow.add_cookies(consultant.context.cookies())
    small = narrow.new_page()
    small.goto(consultant.url)
    expect(small.locator("table.heatmap-unit tbody tr").first.locator("td").nth(1)).to_be_visible()
    for table in small.locator(
        "table.heatmap"
    ).all():  # one card per unit or role, nothing runs off the screen
        box = table.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    section = small.locator(".segments-section")
    assert section.evaluate("e => e.scrollWidth <= e.clientWidth")
    screenshot(small, "heatmap-375", small.locator(".segments-section"))

    with consultant.expect_download() as download:
        consultant.click("text=PDF herunterladen")
    pdf_bytes = download.value.path().read_bytes()
    if os.environ.get("SCREENSHOT_DIR"):
        (Path(os.environ["SCREENSHOT_DIR"]) / "report.pdf").write_bytes(pdf_bytes)
    reader = PdfReader(io.BytesIO(pdf_bytes))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Ergebnisse nach Bereich und Rolle" in text
    assert "Vertrieb (4/4) Build Build Build Build Build Build Build" in text
    assert "Service (5/5) Adopt Adopt Adopt Adopt Adopt Adopt Adopt" in text
    assert "Geschäftsleitung sieht Journeys auf Build, Mitarbeitende mit Kundenkontakt auf Unaware." in text
    assert "Vertrieb sieht Journeys auf Build, Service auf Adopt." in text
    assert "Wie sicher: eher sicher" in text  # the appendix, journeys.1
