"""The benchmark in a real browser: the self-assessor's place on the result page and the consultant's market
view, at desktop and phone width, drawn (SVG with a size) and without accessibility violations."""

import uuid

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from market.snapshots import snapshot_refresh
from standortbestimmung.models import Answer, Assessment, Participant, Question
from tests.browser.conftest import axe_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def peers(count):
    """Finished anonymous self-assessments that agreed to count, answered at one level each."""
    questions = list(Question.objects.prefetch_related("options"))
    for i in range(count):
        assessment = Assessment.objects.create(
            version=questions[0].field.version,
            status=Assessment.Status.FINISHED,
            finished_at=timezone.now(),
            benchmark_consent=True,
            industry="trade",
            size="50-249",
            region="de",
        )
        person = Participant.objects.create(assessment=assessment, token_hash=uuid.uuid4().hex * 2)
        Answer.objects.bulk_create(
            Answer(participant=person, question=q, option=q.options.all()[i % 4]) for q in questions
        )


@pytest.mark.parametrize("width", [1280, 375])
def test_the_market_view_and_the_result_pages_benchmark(browser, live_content, django_user_model, width):
    peers(8)
    django_user_model.objects.create_user("alice", "alice@example.org", "alice-secret-password")
    snapshot_refresh()
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_content.url + "/start/")
    page.select_option("#id_industry", "trade")
    page.select_option("#id_size", "50-249")
    page.check("#id_benchmark_consent")
    page.click("main form button[type=submit]")
    key = Participant.objects.order_by("-pk").first().key
    for field in ["journeys", "insights", "skills", "culture", "operations", "tools"]:
        page.goto(f"{live_content.url}/a/{key}/feld/{field}/")
        for fieldset in page.locator("fieldset.question").all():
            fieldset.locator(".option-card").nth(1).click()
    page.goto(f"{live_content.url}/a/{key}/abschluss/")
    page.click("text=Abschließen und Ergebnis anzeigen")
    expect(page.locator(".benchmark")).to_contain_text("9 Organisationen aus der Branche")
    bars = page.locator(".benchmark svg.level-bar")
    expect(bars).to_have_count(7)
    assert bars.first.bounding_box()["width"] > 200
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe_violations(page) == []

    log_in(page, live_content.url, "alice", "alice-secret-password")
    page.goto(live_content.url + "/beratung/markt/")
    expect(page.locator("h1")).to_contain_text("Markt")
    expect(page.locator(".market-page svg.score-box")).to_have_count(7)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe_violations(page) == []
    page.select_option("#id_size", "1000+")
    page.click(".market-filters button[type=submit]")
    expect(page.locator(".benchmark-rows")).to_contain_text("Zu wenige Vergleichswerte")
    context.close()
