"""The self-assessment as a person does it, in a real Chromium."""

import re

import pytest
from playwright.sync_api import expect

from standortbestimmung.models import Answer
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def start(page, base, organisation="Muster Versicherung AG"):
    page.goto(base + "/")
    page.click("a[href='/start/']")
    page.fill("#id_organisation", organisation)
    page.click("main form button[type=submit]")
    link = page.input_value("#resume-link")
    assert re.search(r"/r/[A-Za-z0-9_-]{32}/$", link)
    page.click("text=Weiter zu den Fragen")
    return link


def answer_step(page, option_index):
    """Clicks one option per question on the current step and waits until each shows as saved."""
    for fieldset in page.locator("fieldset.question").all():
        fieldset.locator(".option-card").nth(option_index).click()
        expect(fieldset.locator(".save-state")).to_contain_text("Gespeichert")


def test_a_whole_assessment_from_start_to_result(page, live_content):
    start(page, live_content.url)
    for _ in range(6):
        answer_step(page, 2)  # Build everywhere
        page.click("button[value=next]")
    expect(page.locator("h1")).to_contain_text("Prüfen und abschließen")
    expect(page.locator("body")).to_contain_text("Alle Fragen sind beantwortet.")
    page.click("text=Abschließen und Ergebnis anzeigen")
    expect(page.locator(".overall .level-badge")).to_have_text("Build")
    expect(page.locator("svg.radar")).to_be_visible()
    assert page.locator(".field-result").count() == 6
    assert Answer.objects.count() == 42


def test_leave_and_resume_with_the_personal_link(page, live_content, browser):
    link = start(page, live_content.url)
    answer_step(page, 1)
    page.close()
    other = browser.new_context(locale="de-DE").new_page()
    other.goto(link)
    # the secret is gone from the address bar, and the saved answers are there
    assert "/r/" not in other.url
    expect(other.locator("h1")).to_contain_text("Insights")
    other.click("text=1. Journeys")
    assert other.locator("input.option-input:checked").count() == 7


def test_changing_an_answer_changes_the_result(page, live_content):
    start(page, live_content.url)
    for _ in range(6):
        answer_step(page, 1)  # Adopt everywhere
        page.click("button[value=next]")
    page.click("text=Abschließen und Ergebnis anzeigen")
    journeys = page.locator(".field-result.field-journeys")
    expect(journeys.locator(".level-badge")).to_have_text("Adopt")
    page.click("text=Antworten ändern")
    answer_step(page, 3)  # Journeys now Commit
    page.click(".field-nav li:last-child a")
    page.click("text=Abschließen und Ergebnis anzeigen")
    expect(journeys.locator(".level-badge")).to_have_text("Commit")


def test_it_works_without_javascript(browser, live_content):
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    page = context.new_page()
    start(page, live_content.url)
    for _ in range(6):
        for fieldset in page.locator("fieldset.question").all():
            fieldset.locator(".option-card").nth(0).click()
        page.click("button[value=next]")
    page.click("text=Abschließen und Ergebnis anzeigen")
    expect(page.locator(".overall .level-badge")).to_have_text("Unaware")
    assert Answer.objects.count() == 42
    context.close()


def test_switching_the_language(page, live_content):
    page.goto(live_content.url + "/")
    expect(page.locator("h1")).to_contain_text("Wo steht Ihr Unternehmen")
    page.click("button[value=en]")
    expect(page.locator("h1")).to_contain_text("Where does your company stand")
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("a[href='/start/']")
    expect(page.locator("h1")).to_contain_text("Start the assessment")


@pytest.mark.parametrize("width", [1280, 375])
def test_start_step_and_result_have_no_accessibility_violations(page, live_content, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_content.url + "/start/")
    assert axe_violations(page) == []
    start(page, live_content.url)
    assert axe_violations(page) == []
    for _ in range(6):
        answer_step(page, 2)
        page.click("button[value=next]")
    page.click("text=Abschließen und Ergebnis anzeigen")
    assert axe_violations(page) == []
    # nothing sticks out sideways on a small screen
    assert page.evaluate("document.documentElement.scrollWidth") <= width
