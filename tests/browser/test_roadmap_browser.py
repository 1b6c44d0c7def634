"""A consultant shapes the roadmap in a real Chromium: change a target, move an item, re-plan."""

import pytest
from playwright.sync_api import expect

from respondent.services import participant_finish, self_assessment_start
from roadmap.models import Roadmap, RoadmapItem
from standortbestimmung.answering import answers_save
from standortbestimmung.models import Assessment, Question
from standortbestimmung.versions import current_version
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def owned_assessment(live_content, django_user_model):
    alice = django_user_model.objects.create_user("alice", "alice@example.org", "alice-secret-password")
    participant = self_assessment_start(version=current_version(), organisation="Muster AG").participant
    questions = Question.objects.filter(field__version=participant.assessment.version).prefetch_related(
        "options"
    )
    answers_save(participant=participant, answers={q: q.options.get(level=2) for q in questions})
    participant_finish(participant=participant)
    Assessment.objects.filter(pk=participant.assessment_id).update(owner=alice)
    return participant.assessment


def test_a_consultant_changes_a_target_moves_an_item_and_re_plans(page, live_content, owned_assessment):
    log_in(page, live_content.url, "alice", "alice-secret-password")
    page.goto(f"{live_content.url}/beratung/s/{owned_assessment.key}/roadmap/")
    expect(page.locator("h1")).to_contain_text("Muster AG")

    # change a target: Tools to Commit
    page.select_option("#settings_target_tools", "4")
    page.click("text=Speichern und neu planen")
    expect(page.locator(".alert-success")).to_be_visible()
    assert RoadmapItem.objects.filter(measure__code__startswith="tools.commit").exists()

    # move the first item of the first quarter to the third
    item = RoadmapItem.objects.filter(year__isnull=False).order_by("year", "quarter", "position").first()
    form = page.locator(f"#item-{item.pk} + form")
    third = Roadmap.objects.get(assessment=owned_assessment).quarters()[2]
    form.locator("select").first.select_option(third.code)
    form.locator("button").click()
    expect(page.locator(".alert-success")).to_contain_text("gespeichert")

    # re-plan: the moved item stays where the consultant put it
    page.click("button:text('Neu planen')")
    expect(page.locator(".alert-success")).to_be_visible()
    item.refresh_from_db()
    assert (item.year, item.quarter) == (third.year, third.number)
    assert item.pinned
    section = page.locator("section.quarter").nth(2)
    expect(section).to_contain_text(item.measure.title_de)


def test_a_consultant_records_progress_in_the_quarterly_review(page, live_content, owned_assessment):
    from django.utils import timezone

    from roadmap.models import ProgressEntry

    log_in(page, live_content.url, "alice", "alice-secret-password")
    page.goto(f"{live_content.url}/beratung/s/{owned_assessment.key}/roadmap/")
    expect(page.locator("svg.burnup")).to_be_visible()
    assert page.locator("svg.burnup").bounding_box()["height"] > 100
    item = RoadmapItem.objects.filter(year__isnull=False).order_by("year", "quarter", "position").first()
    form = page.locator(f"#item-{item.pk} + form")
    form.get_by_label("Fortschritt in %").fill("40")
    form.locator("button").click()
    expect(page.locator(".alert-success")).to_contain_text("gespeichert")
    expect(page.locator(f"#item-{item.pk}")).to_contain_text("40 %")
    item.refresh_from_db()
    assert (item.progress, item.status) == (40, "in_progress")
    assert list(ProgressEntry.objects.filter(item=item).values_list("percent", "recorded_on")) == [
        (40, timezone.localdate())
    ]

    # finished: 100 % marks it done, and the history keeps both steps
    form = page.locator(f"#item-{item.pk} + form")
    form.get_by_label("Fortschritt in %").fill("100")
    form.locator("button").click()
    expect(page.locator(f"#item-{item.pk}")).to_contain_text("erledigt")
    item.refresh_from_db()
    assert item.status == "done"
    assert [
        p for p, _day in ProgressEntry.objects.filter(item=item).values_list("percent", "recorded_on")
    ] == [
        40,
        100,
    ]
