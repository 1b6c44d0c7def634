"""The persisted roadmap: proposal, editing by the owner, re-planning that keeps edits, review, bad input."""

import re
from datetime import date, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

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
        assert f"erreicht in {row.reached}" in html
    missed = [row for row in rows if not row.reached]
    assert html.count("nicht im Planungshorizont (endet auf") == len(missed)
    assert Roadmap.objects.count() == 1


# --- focus, what the plan reaches, and the changes that would make it reach its targets ----------------------


def test_the_roadmap_page_states_the_focus_the_fields_left_for_later_and_what_it_reaches(owned, roadmap):
    from roadmap.presentation import roadmap_view

    view = roadmap_view(roadmap, assessment_result(roadmap.assessment))
    # everything at Adopt: Build rests on Operations, Insights and Journeys first
    assert view.focus == ["Operations", "Insights", "Journeys"]
    later = {row.field: row for row in view.later_fields}
    assert list(later) == ["Culture", "Skills", "Tools"]  # in the order they start, after the horizon last
    assert [row.outlook.starts for row in view.later_fields] == [Quarter(2027, 2), Quarter(2027, 3), None]
    assert later[
        "Tools"
    ].outlook.builds_on and "seine nächsten Maßnahmen bauen auf Insights und Journeys auf" in (
        later["Tools"].why
    )
    assert "bei gleicher Stufe baut die Methode Build zuerst auf Operations, Insights und Journeys auf" in (
        later["Skills"].why
    )
    html = owned.client.get(reverse("respondent:roadmap", args=[owned.key])).content.decode()
    flat = " ".join(html.split())
    assert "Schwerpunkt: Operations, Insights, Journeys." in flat
    for row in later.values():
        start = f"folgt ab {row.outlook.starts}" if row.outlook.starts else "folgt nach dem Planungshorizont"
        assert f"<strong>{row.field}</strong> {start}: {row.why}." in flat
    missed = ", ".join(f"{r.field} ({r.at_horizon.label} statt {r.target.label})" for r in view.missed)
    assert missed and f"Handlungsfeld sein Ziel nicht: {missed}." in flat
    assert "Übernehmen und neu planen" not in html  # the respondent cannot change the frame


def test_the_english_roadmap_page_says_the_same_in_english(owned, roadmap):
    owned.client.post(reverse("set_language"), {"language": "en", "next": "/"})
    flat = " ".join(
        owned.client.get(reverse("respondent:roadmap", args=[owned.key])).content.decode().split()
    )
    assert "Focus: Operations, Insights, Journeys." in flat
    assert "follows from" in flat and "its next measures build on Insights and Journeys" in flat
    assert "does not reach its target" in flat or "do not reach their targets" in flat
    assert "Schwerpunkt" not in flat


def test_the_editor_suggests_the_changes_that_reach_every_target_and_applies_one(consultant, owned, roadmap):
    html = consultant.get(edit_url(owned)).content.decode()
    assert "Damit jedes Ziel erreicht wird, genügt eine dieser Änderungen:" in html
    assert "eine Maßnahme mehr pro Quartal (4 statt 3)" in html
    forms = re.findall(
        r'<form method="post" action="' + re.escape(edit_url(owned, "settings")) + r'">(.*?)</form>',
        html,
        re.S,
    )
    suggested = [dict(re.findall(r'name="(\w+)" value="([^"]*)"', f)) for f in forms if "Übernehmen" in f]
    assert suggested, "one form per suggestion"
    one_more = next(data for data in suggested if data["capacity"] == "4")
    assert consultant.post(edit_url(owned, "settings"), one_more).status_code == 302
    roadmap.refresh_from_db()
    assert roadmap.capacity == 4 and roadmap.horizon == 4
    from roadmap.presentation import roadmap_view

    after = roadmap_view(roadmap, assessment_result(roadmap.assessment), with_suggestions=True)
    assert after.missed == [] and after.suggestions == []
    assert (
        "Bis Ende Q4 2027 erreicht jedes Handlungsfeld sein Ziel."
        in consultant.get(edit_url(owned)).content.decode()
    )


def test_a_prerequisite_names_the_measure_it_enables(consultant, version, alice):
    from tests.conftest import Respondent

    unaware = Respondent(Client(), version)
    unaware.answer_all(lambda code: 1)
    unaware.client.post(unaware.url("summary"))
    assessment = unaware.participant.assessment
    assessment.owner = alice
    assessment.save(update_fields=["owner"])
    roadmap = Roadmap.objects.get(assessment=assessment)
    targets = {**roadmap.targets, "journeys": 3, "operations": 1}  # Journeys to Build, Operations stays
    services.roadmap_settings_update(
        roadmap=roadmap,
        expected_revision=roadmap.revision,
        targets=targets,
        start=roadmap.start,
        horizon=6,
        capacity=3,
        capacity_in_points=False,
    )
    item = RoadmapItem.objects.get(roadmap=roadmap, measure__code="operations.adopt.2")
    assert item.reason == "prerequisite" and item.enables == "journeys.build.1"
    html = consultant.get(reverse("workspace:roadmap:edit", args=[assessment.key])).content.decode()
    assert "Voraussetzung für „Einheitliches Map-Template und Journey-Struktur festlegen“ (Journeys)." in html
    assert "()" not in html


def test_a_re_assessment_shows_the_level_the_plan_expected_next_to_the_level_measured(
    consultant, owned, roadmap, version, alice
):
    from roadmap import pdf
    from standortbestimmung.models import Assessment
    from standortbestimmung.models import Client as ClientModel
    from tests.conftest import Respondent
    from tests.roadmap.test_report import text_of

    client = ClientModel.objects.create(owner=alice, name="Muster AG")
    day = timezone.make_aware(datetime(2026, 11, 22, 10))
    Assessment.objects.filter(pk=roadmap.assessment_id).update(
        client=client, created_at=day - timedelta(days=365)
    )
    # the plan was made a year before the re-assessment (on a fixed day, not today, so the quarters do not move):
    # from Q1 2026, so three of its quarters have ended by then
    Roadmap.objects.filter(pk=roadmap.pk).update(start_year=2026, start_quarter=1)
    roadmap.items.filter(year=2027).update(year=2026)
    again = Respondent(Client(), version)
    again.answer_all(lambda code: 3 if code.startswith("insights.") else 2)
    Assessment.objects.filter(pk=again.participant.assessment_id).update(
        client=client, owner=alice, created_at=day
    )
    again.client.post(again.url("summary"))
    html = consultant.get(reverse("workspace:roadmap:edit", args=[again.participant.assessment.key])).content
    flat = " ".join(html.decode().split())
    assert "Erwartet und gemessen seit der letzten Standortbestimmung" in flat
    assert "erwartete diese Stufen bis Ende Q3 2026" in flat
    track = flat[flat.index("track-table") :]

    def cells(field):
        row = re.search(rf"<th scope=\"row\">{field}</th>(.*?)</tr>", track).group(1)
        return re.findall(r"<td[^>]*>\s*([^<]*?)\s*</td>", row)

    assert cells("Insights") == [
        "Adopt",
        "Build",
        "Build",
        "wie geplant",
    ]  # its KPI set and feedback are done
    assert cells("Operations") == ["Adopt", "Build", "Adopt", "hinter dem Plan"]
    again.participant.assessment.refresh_from_db()  # its created_at was set above
    report = " ".join(text_of(pdf.render_pdf(again.participant.assessment, "de", for_owner=True))[0].split())
    assert "Erwartet und gemessen seit der letzten Standortbestimmung" in report
    own_copy = " ".join(
        text_of(pdf.render_pdf(again.participant.assessment, "de", for_owner=False))[0].split()
    )
    assert "Erwartet und gemessen" not in own_copy  # a respondent's copy shows their own assessment only


@pytest.mark.parametrize(
    ("language", "heading", "first_steps"),
    [
        (
            "de",
            "Die ersten Schritte der Methode",
            [
                "Workshop zur Sensibilisierung für Kundenerlebnis (CX) mit Schlüsselpersonen durchführen",
                "CJM-Pilot als Lernprojekt durchführen",
            ],
        ),
        (
            "en",
            "The method's first steps",
            ["Hold a CX awareness workshop for key people", "Run a CJM pilot as a learning project"],
        ),
    ],
)
def test_the_methodology_page_explains_the_focus_and_shows_the_example_companies_first_quarters(
    client, version, language, heading, first_steps
):
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    html = client.get(reverse("methodology")).content.decode()
    flat = " ".join(html.split())
    assert heading in flat
    assert flat.count('class="card card-body mb-3 example-company"') == 4
    unaware = flat[flat.index('id="example-unaware"') : flat.index('id="example-adopt"')]
    for title in first_steps:
        assert title in unaware
    assert "Zentrales Repository" not in unaware and "KPI-System für alle" not in unaware
