"""A business unit's roadmap: planned from the unit's own result and targets in the company roadmap's frame,
shown and never stored; targets per unit; bad input refused."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from roadmap.models import Roadmap, RoadmapItem
from roadmap.unit_plans import unit_plan
from standortbestimmung.grouping import groups_of
from standortbestimmung.models import Client as ClientModel
from standortbestimmung.models import Segment
from standortbestimmung.result import assessment_result
from standortbestimmung.scoring import Level
from tests.conftest import sign_in
from tests.workspace.test_segments import CAST, segmented_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultant(alice):
    browser = Client()
    sign_in(browser, alice)
    return browser


@pytest.fixture
def workshop(alice, version):
    client_org = ClientModel.objects.create(owner=alice, name="Muster Versicherung AG")
    return segmented_workshop(client_org, version)


def unit(assessment, name):
    return Segment.objects.get(assessment=assessment, dimension=Segment.Dimension.UNIT, name=name)


def test_a_unit_is_planned_from_its_own_levels_and_the_company_plan_stays(workshop, consultant):
    assessment, _people = workshop
    roadmap = Roadmap.objects.get(assessment=assessment)
    before = list(RoadmapItem.objects.values_list("pk", "measure_id", "year", "quarter"))
    sales = unit(assessment, "Vertrieb")
    response = consultant.get(reverse("workspace:roadmap:unit", args=[assessment.key, sales.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Roadmap eines Bereichs" in html and 'aria-current="page">Vertrieb</a>' in html
    result = assessment_result(assessment)
    plan = unit_plan(roadmap, result, groups_of(result), sales)
    assert {r.today for r in plan.projection} == {Level.BUILD}  # Vertrieb is at Build, the company at Adopt
    assert plan.targets == dict.fromkeys(plan.targets, int(Level.COMMIT))
    measures = [item for q in plan.quarters for item in q.items] + plan.later.items
    assert measures and all(item.pk is None for item in measures)  # shown, not stored
    assert {item.target_level for item in measures if item.reason == "step"} == {4}  # the unit is at Build
    assert escape(measures[0].display_title) in html
    assert list(RoadmapItem.objects.values_list("pk", "measure_id", "year", "quarter")) == before
    company = consultant.get(reverse("workspace:roadmap:edit", args=[assessment.key])).content.decode()
    assert (
        "Planen für" in company
        and reverse("workspace:roadmap:unit", args=[assessment.key, sales.pk]) in company
    )


def test_targets_are_set_per_unit_and_its_plan_follows(workshop, consultant):
    assessment, _people = workshop
    service = unit(assessment, "Service")
    url = reverse("workspace:roadmap:unit_targets", args=[assessment.key, service.pk])
    targets = {f"target_{code}": "2" for code in ["journeys", "insights", "skills", "culture", "operations"]}
    response = consultant.post(url, {**targets, "target_tools": "4"})
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.targets == {**{k[7:]: 2 for k in targets}, "tools": 4}
    roadmap = Roadmap.objects.get(assessment=assessment)
    assert roadmap.targets_chosen is False  # the company's targets are untouched
    result = assessment_result(assessment)
    plan = unit_plan(roadmap, result, groups_of(result), service)
    measures = [item for q in plan.quarters for item in q.items] + plan.later.items
    assert {item.for_field for item in measures if item.reason == "step"} == {"tools"}


@pytest.mark.parametrize(
    "data",
    [
        {"target_journeys": "1"},  # below Service's Adopt, and the others missing
        {f"target_{c}": "1" for c in ["journeys", "insights", "skills", "culture", "operations", "tools"]},
        {f"target_{c}": "9" for c in ["journeys", "insights", "skills", "culture", "operations", "tools"]},
        {},
    ],
)
def test_bad_unit_targets_are_refused_and_write_nothing(workshop, consultant, data):
    assessment, _people = workshop
    service = unit(assessment, "Service")
    url = reverse("workspace:roadmap:unit_targets", args=[assessment.key, service.pk])
    assert consultant.post(url, data).status_code == 400
    service.refresh_from_db()
    assert service.targets == {}


def test_a_unit_with_too_few_answers_has_no_plan_and_no_targets(alice, version, consultant):
    client_org = ClientModel.objects.create(owner=alice, name="Klein AG")
    assessment, _people = segmented_workshop(client_org, version, cast=CAST[:2])  # two in Vertrieb
    sales = unit(assessment, "Vertrieb")
    html = consultant.get(reverse("workspace:roadmap:unit", args=[assessment.key, sales.pk])).content.decode()
    assert "Zu wenige Antworten: 2 Teilnehmende dieses Bereichs haben geantwortet" in html
    assert "Ziele dieses Bereichs" not in html
    url = reverse("workspace:roadmap:unit_targets", args=[assessment.key, sales.pk])
    assert consultant.post(url, {"target_journeys": "4"}).status_code == 400
    sales.refresh_from_db()
    assert sales.targets == {}


def test_a_role_or_another_assessments_unit_is_not_found(workshop, consultant, alice, version, bob):
    assessment, _people = workshop
    role = Segment.objects.filter(assessment=assessment, dimension=Segment.Dimension.ROLE).first()
    other_client = ClientModel.objects.create(owner=alice, name="Andere AG")
    other, _ = segmented_workshop(other_client, version, cast=[])
    foreign = unit(other, "Vertrieb")
    for segment in [role, foreign]:
        assert (
            consultant.get(reverse("workspace:roadmap:unit", args=[assessment.key, segment.pk])).status_code
            == 404
        )
        url = reverse("workspace:roadmap:unit_targets", args=[assessment.key, segment.pk])
        assert consultant.post(url, {"target_journeys": "4"}).status_code == 404
    stranger = Client()
    sign_in(stranger, bob)
    own = unit(assessment, "Vertrieb")
    assert stranger.get(reverse("workspace:roadmap:unit", args=[assessment.key, own.pk])).status_code == 404
