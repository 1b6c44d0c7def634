"""The persisted roadmap: proposal, editing by the owner, re-planning that keeps edits, review, bad input."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from roadmap import services
from roadmap.models import Roadmap, RoadmapItem
from roadmap.quarters import Quarter
from standortbestimmung.result import assessment_result
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def planned(assessment, today=date(2026, 11, 22)) -> Roadmap:
    """The assessment's roadmap as if planned on a fixed day (finishing planned it on the real one)."""
    Roadmap.objects.filter(assessment=assessment).delete()
    return services.roadmap_create(result=assessment_result(assessment), today=today)


@pytest.fixture
def roadmap(owned):
    return planned(owned.participant.assessment)


@pytest.fixture
def consultant(alice):
    browser = Client()
    sign_in(browser, alice)
    return browser


def edit_url(owned, name="edit", *extra):
    return reverse(f"workspace:roadmap:{name}", args=[owned.participant.assessment.key, *extra])


def snapshot(roadmap):
    roadmap.refresh_from_db()
    items = list(
        roadmap.items.values_list("pk", "measure_id", "year", "quarter", "status", "owner", "note", "pinned")
    )
    return roadmap.revision, roadmap.targets, roadmap.horizon, roadmap.capacity, items


def test_the_proposal_starts_next_quarter_aims_one_level_up_and_respects_capacity(roadmap):
    assert roadmap.start == Quarter(2027, 1)
    assert roadmap.targets == dict.fromkeys(
        ["journeys", "insights", "skills", "culture", "operations", "tools"], 3
    )
    per_quarter = {}
    for item in roadmap.items.all():
        assert item.when is None or item.when in roadmap.quarters()
        for k in range(item.duration):
            if item.when:
                per_quarter[item.when + k] = per_quarter.get(item.when + k, 0) + 1
    assert max(per_quarter.values()) <= roadmap.capacity
    assert roadmap.items.filter(year__isnull=True).exists()  # what does not fit is kept for later


def test_the_result_page_shows_the_first_quarter_and_links_the_full_plan(owned, roadmap):
    owned.participant.assessment.status = "finished"
    html = owned.client.get(owned.url("result")).content.decode()
    assert "Ihre Roadmap: das erste Quartal" in html
    first = roadmap.items.filter(year=2027, quarter=1).first()
    assert first.measure.title_de in html
    assert reverse("respondent:roadmap", args=[owned.key]) in html


def test_the_result_preview_is_the_first_active_quarter_of_the_full_plan(owned, roadmap):
    from roadmap.presentation import first_quarter_of, roadmap_view
    from standortbestimmung.questionnaire import questionnaire_of

    questionnaire = questionnaire_of(roadmap.assessment)
    first = roadmap.items.filter(year=2027, quarter=1)
    first.filter(pk__in=first.values("pk")[:2]).update(status=RoadmapItem.Status.DROPPED)
    for dropped_all in (False, True):
        if dropped_all:  # a first quarter with nothing left to do: the preview moves to the next one
            first.update(status=RoadmapItem.Status.DROPPED)
        full = roadmap_view(roadmap, assessment_result(roadmap.assessment)).first_quarter
        preview = first_quarter_of(roadmap, questionnaire)
        assert preview.quarter == full.quarter == Quarter(2027, 2 if dropped_all else 1)
        assert [(i.pk, i.reason_line, i.field_name) for i in preview.items] == [
            (i.pk, i.reason_line, i.field_name) for i in full.items
        ]
        assert preview.focus == full.focus and preview.active


def test_the_self_assessor_sees_the_plan_read_only(owned, roadmap):
    response = owned.client.get(reverse("respondent:roadmap", args=[owned.key]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Q1 2027" in html and "Später" in html
    assert "massnahme/" not in html and 'name="revision"' not in html
    assert Client().get(reverse("respondent:roadmap", args=[owned.key])).status_code == 404


def test_only_the_owner_and_staff_may_edit(owned, roadmap, bob, django_user_model):
    assert Client().get(edit_url(owned)).status_code == 302  # to the login
    other = Client()
    sign_in(other, bob)
    assert other.get(edit_url(owned)).status_code == 404
    before = snapshot(roadmap)
    assert other.post(edit_url(owned, "replan"), {"revision": roadmap.revision}).status_code == 404
    assert snapshot(roadmap) == before
    staff = django_user_model.objects.create_user(
        "staff", "s@example.org", "staff-password-123", is_staff=True
    )
    sign_in(other, staff)
    assert other.get(edit_url(owned)).status_code == 200
    assert owned.client.get(edit_url(owned)).status_code == 302  # a participant is no consultant


def test_moving_an_item_pins_it_and_re_planning_keeps_it(consultant, owned, roadmap):
    item = roadmap.items.filter(year=2027, quarter=1).first()
    response = consultant.post(
        edit_url(owned, "item", item.pk),
        {
            f"item{item.pk}-revision": roadmap.revision,
            f"item{item.pk}-when": "2027-Q3",
            f"item{item.pk}-status": "planned",
            f"item{item.pk}-owner": "Frau Berger",
            f"item{item.pk}-note": "",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.when, item.pinned, item.owner) == (Quarter(2027, 3), True, "Frau Berger")
    roadmap.refresh_from_db()
    untouched = set(roadmap.items.filter(pinned=False).values_list("pk", flat=True))
    assert consultant.post(edit_url(owned, "replan"), {"revision": roadmap.revision}).status_code == 302
    item.refresh_from_db()
    assert item.when == Quarter(2027, 3)
    assert not untouched & set(roadmap.items.values_list("pk", flat=True))  # the rest was planned anew
    assert roadmap.items.filter(measure=item.measure).count() == 1


def test_changing_targets_re_plans_and_keeps_edited_items(consultant, owned, roadmap):
    done = roadmap.items.filter(year=2027, quarter=1).first()
    done.status = "done"
    done.save()
    data = {
        "revision": roadmap.revision,
        "start": "2027-Q1",
        "horizon": 6,
        "capacity": 2,
        **{f"target_{code}": 3 for code in roadmap.targets},
    }
    data["target_tools"] = 4
    response = consultant.post(edit_url(owned, "settings"), data)
    assert response.status_code == 302
    roadmap.refresh_from_db()
    assert roadmap.targets["tools"] == 4 and roadmap.horizon == 6 and roadmap.capacity == 2
    assert RoadmapItem.objects.get(pk=done.pk).status == "done"
    assert roadmap.items.filter(measure__code__startswith="tools.commit").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"target_journeys": 1}, "keine gültige Auswahl"),  # below the current level (Adopt)
        ({"horizon": 0}, "größer oder gleich 1"),
        ({"horizon": 13}, "kleiner oder gleich 12"),
        ({"capacity": 0}, "größer oder gleich 1"),
        ({"start": "2027-9"}, "keine gültige Auswahl"),
        ({"revision": "x"}, "Bitte laden Sie sie neu"),
    ],
)
def test_bad_settings_are_refused_with_a_message_and_change_nothing(
    consultant, owned, roadmap, change, message
):
    data = {
        "revision": roadmap.revision,
        "start": "2027-Q1",
        "horizon": 4,
        "capacity": 3,
        **{f"target_{code}": 3 for code in roadmap.targets},
        **change,
    }
    before = snapshot(roadmap)
    response = consultant.post(edit_url(owned, "settings"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert snapshot(roadmap) == before


def test_a_stale_page_cannot_overwrite_a_newer_change(consultant, owned, roadmap):
    item = roadmap.items.filter(year=2027, quarter=1).first()
    stale = roadmap.revision
    fields = {
        f"item{item.pk}-when": "2027-Q2",
        f"item{item.pk}-status": "in_progress",
        f"item{item.pk}-owner": "",
        f"item{item.pk}-note": "",
    }
    consultant.post(edit_url(owned, "item", item.pk), {f"item{item.pk}-revision": stale, **fields})
    before = snapshot(roadmap)
    response = consultant.post(
        edit_url(owned, "item", item.pk),
        {f"item{item.pk}-revision": stale, **fields, f"item{item.pk}-when": "2027-Q4"},
    )
    assert response.status_code == 409
    assert "zwischenzeitlich geändert" in response.content.decode()
    assert snapshot(roadmap) == before


@pytest.mark.parametrize(
    "change",
    [
        {"when": "2031-9"},
        {"when": "nonsense"},
        {"status": "bogus"},
        {"owner": "x" * 201},
        {"note": "y" * 2001},
        {"revision": ""},
    ],
)
def test_a_tampered_item_form_is_refused_and_changes_nothing(consultant, owned, roadmap, change):
    item = roadmap.items.filter(year=2027, quarter=1).first()
    data = {
        "revision": roadmap.revision,
        "when": "2027-Q2",
        "status": "done",
        "owner": "",
        "note": "",
        **change,
    }
    before = snapshot(roadmap)
    response = consultant.post(
        edit_url(owned, "item", item.pk), {f"item{item.pk}-{k}": v for k, v in data.items()}
    )
    assert response.status_code == 400
    assert snapshot(roadmap) == before


def test_an_item_of_another_roadmap_is_404(consultant, owned, roadmap, version, alice):
    from tests.conftest import Respondent

    other = Respondent(Client(), version)
    other.answer_all(lambda code: 1)
    other.client.post(other.url("summary"))
    foreign = Roadmap.objects.get(assessment=other.participant.assessment).items.first()
    before = snapshot(roadmap)
    response = consultant.post(edit_url(owned, "item", foreign.pk), {f"item{foreign.pk}-revision": 1})
    assert response.status_code == 404
    assert snapshot(roadmap) == before


def test_a_custom_measure_is_added_and_survives_re_planning(consultant, owned, roadmap):
    response = consultant.post(
        edit_url(owned, "custom"),
        {
            "revision": roadmap.revision,
            "title": "Kundenbeirat gründen",
            "description": "",
            "field": "culture",
            "when": "2027-Q2",
        },
    )
    assert response.status_code == 302
    roadmap.refresh_from_db()
    consultant.post(edit_url(owned, "replan"), {"revision": roadmap.revision})
    custom = roadmap.items.get(title="Kundenbeirat gründen")
    assert custom.when == Quarter(2027, 2) and custom.measure is None


def test_a_custom_measure_without_title_or_with_a_foreign_field_is_refused(consultant, owned, roadmap):
    before = snapshot(roadmap)
    for data in ({"title": "", "field": "culture"}, {"title": "X", "field": "marketing"}):
        response = consultant.post(
            edit_url(owned, "custom"),
            {"revision": roadmap.revision, "description": "", "when": "2027-Q2", **data},
        )
        assert response.status_code == 400
    assert snapshot(roadmap) == before


def test_the_review_shows_progress_per_quarter(consultant, owned, roadmap):
    items = list(roadmap.items.filter(year=2027, quarter=1))
    for item in items[:1]:
        item.status = "done"
        item.save()
    html = consultant.get(edit_url(owned)).content.decode()
    assert f"1 von {len(items)} erledigt" in html


def test_the_projection_shows_when_each_field_reaches_its_target(owned, roadmap):
    from roadmap.presentation import roadmap_view

    html = owned.client.get(reverse("respondent:roadmap", args=[owned.key])).content.decode()
    assert "Wo die Handlungsfelder stehen werden" in html and "projection-table" in html
    rows = roadmap_view(roadmap, assessment_result(roadmap.assessment)).projection
    reached = [row for row in rows if row.reached]
    assert reached, "the default plan reaches some target within the year"
    for row in reached:
        assert f"in {row.reached}" in html
    assert html.count("nach dem Planungshorizont") == len(rows) - len(reached)
    assert Roadmap.objects.count() == 1
