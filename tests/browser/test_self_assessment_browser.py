"""The self-assessment as a person does it, in a real Chromium."""

import re

import pytest
from playwright.sync_api import expect

from standortbestimmung.models import Answer

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


# --- autosave that tells the truth -----------------------------------------------------------------------


def save_state(page, index=0):
    return page.locator("fieldset.question").nth(index).locator(".save-state")


def test_autosave_shows_saving_then_saved_and_never_saved_before_the_server_said_so(page, live_content):
    start(page, live_content.url)
    held = []
    page.route("**/antwort/", lambda route: held.append(route))  # the server's answer is held back
    page.locator("fieldset.question").first.locator(".option-card").nth(2).click()
    expect(save_state(page)).to_have_text("Wird gespeichert …")
    assert Answer.objects.count() == 0
    held[0].continue_()
    expect(save_state(page)).to_have_text("✓ Gespeichert")
    assert Answer.objects.get().option.level == 3


def test_autosave_offline_says_not_saved_and_saves_when_back_online(page, live_content):
    start(page, live_content.url)
    page.context.set_offline(True)
    page.locator("fieldset.question").first.locator(".option-card").nth(1).click()
    expect(save_state(page)).to_contain_text("Nicht gespeichert: keine Verbindung zum Server.")
    expect(save_state(page).get_by_role("button", name="Erneut versuchen")).to_be_visible()
    expect(save_state(page)).not_to_contain_text("Gespeichert")
    assert page.locator("fieldset.question").first.get_attribute("data-save-state") == "failed"
    assert Answer.objects.count() == 0
    page.context.set_offline(False)  # the browser says it is online again: the answer is sent by itself
    expect(save_state(page)).to_have_text("✓ Gespeichert")
    assert Answer.objects.get().option.level == 2


def test_a_server_error_is_not_saved_and_try_again_saves(page, live_content):
    start(page, live_content.url)
    page.route("**/antwort/", lambda route: route.fulfill(status=502, body="Bad Gateway"))
    page.locator("fieldset.question").first.locator(".option-card").nth(3).click()
    expect(save_state(page)).to_contain_text("Nicht gespeichert")
    page.unroute("**/antwort/")
    save_state(page).get_by_role("button", name="Erneut versuchen").click()
    expect(save_state(page)).to_have_text("✓ Gespeichert")
    assert Answer.objects.get().option.level == 4


def test_two_tabs_the_refused_option_is_untricked_and_the_step_leads_back(page, live_content):
    start(page, live_content.url)
    step = page.url
    tab_a = page
    tab_a.locator("fieldset.question").nth(1).locator(".option-card").nth(0).click()  # question 2: Unaware
    expect(save_state(tab_a, 1)).to_have_text("✓ Gespeichert")
    tab_b = page.context.new_page()
    tab_b.goto(step)
    tab_b.locator("fieldset.question").first.locator(".option-card").nth(1).click()  # question 1: Adopt
    expect(save_state(tab_b)).to_have_text("✓ Gespeichert")
    tab_b.locator("fieldset.question").nth(1).locator(".option-card").nth(2).click()  # question 2: Build
    expect(save_state(tab_b, 1)).to_have_text("✓ Gespeichert")

    # tab A still shows the old state; its change of question 1 is refused, and the option goes back
    first_a = tab_a.locator("fieldset.question").first
    first_a.locator(".option-card").nth(3).click()
    expect(save_state(tab_a)).to_contain_text("in einem anderen Tab oder Fenster geändert")
    expect(first_a.locator(".option-input").nth(1)).to_be_checked()
    expect(first_a.locator(".option-input").nth(3)).not_to_be_checked()

    # "Speichern und weiter" with the outdated question 2 leads back to this step, not to an error page
    tab_a.click("button[value=next]")
    expect(tab_a.locator(".alert")).to_contain_text("Frage 2 wurde inzwischen")
    assert tab_a.url.split("#")[0] == step
    expect(tab_a.locator("fieldset.question").nth(1).locator(".option-input").nth(2)).to_be_checked()
    levels = {a.question.code: a.option.level for a in Answer.objects.select_related("question", "option")}
    assert levels == {"journeys.1": 2, "journeys.2": 3}


# --- the step page on a keyboard and a phone ---------------------------------------------------------------


def test_few_tab_stops_lead_to_the_first_question(page, live_content):
    start(page, live_content.url)
    page.evaluate("document.activeElement.blur()")
    stops = []
    for _ in range(15):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement; return [e.tagName, e.className, e.name || ''] }"
        )
        stops.append(focused)
        if focused[1] == "option-input":
            break
    assert stops[0][1].startswith("visually-hidden-focusable")  # the skip link first
    assert stops[-1][1] == "option-input" and len(stops) <= 5, stops
    # and the skip link jumps to the content, so the next Tab reaches the first question
    page.reload()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "option-input"


def test_on_a_phone_the_step_bar_is_small_and_nothing_is_wider_than_the_screen(browser, live_content):
    page = browser.new_context(locale="de-DE", viewport={"width": 375, "height": 667}).new_page()
    start(page, live_content.url)
    page.goto(page.url.replace("journeys", "insights"))  # a step with both buttons
    bar = page.locator(".step-actions").bounding_box()
    assert bar["height"] <= 0.1 * 667, bar
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
