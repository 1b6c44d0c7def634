"""Reports rendered in the background when what they show changes, so that the download is a cache hit."""

import io
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from roadmap import pdf
from roadmap.models import Report, Roadmap, RoadmapItem
from roadmap.tasks import report_prerender
from standortbestimmung.models import Assessment
from tests.conftest import Respondent, sign_in

pytestmark = pytest.mark.django_db


def finished_self_assessment(version, captured) -> Respondent:
    respondent = Respondent(Client(), version)
    respondent.answer_all(lambda code: 2)
    with captured(execute=True):
        assert respondent.client.post(respondent.url("summary")).status_code == 302
    return respondent


@override_settings(REPORT_PRERENDER=True)
def test_finishing_renders_the_respondents_copy_and_the_download_is_that_copy(
    version, django_capture_on_commit_callbacks
):
    respondent = finished_self_assessment(version, django_capture_on_commit_callbacks)
    assessment = respondent.participant.assessment
    digest = pdf.report_digest(assessment, "de", for_owner=False, participant=respondent.participant)
    cached = Report.objects.get(assessment=assessment, language="de", for_owner=False)
    assert cached.digest == digest  # the copy of what the respondent will download, before the click
    response = respondent.client.get(respondent.url("report"))
    assert response.status_code == 200 and response["ETag"] == f'"{digest}"'
    assert response.content == bytes(cached.pdf)
    assert Report.objects.filter(assessment=assessment).count() == 1  # nothing rendered on the click
    assert "Muster AG" in PdfReader(io.BytesIO(response.content)).pages[0].extract_text()


@override_settings(REPORT_PRERENDER=True)
def test_an_edit_of_the_roadmap_renders_the_consultants_copy_anew(
    version, alice, django_capture_on_commit_callbacks
):
    respondent = finished_self_assessment(version, django_capture_on_commit_callbacks)
    assessment = respondent.participant.assessment
    Assessment.objects.filter(pk=assessment.pk).update(owner=alice)
    consultant = sign_in(Client(), alice)
    roadmap = Roadmap.objects.get(assessment=assessment)
    item = roadmap.items.filter(measure__isnull=False, year__isnull=False).first()
    before = Report.objects.filter(assessment=assessment, for_owner=True).count()
    with django_capture_on_commit_callbacks(execute=True):
        response = consultant.post(
            reverse("workspace:roadmap:item", args=[assessment.key, item.pk]),
            {
                f"item{item.pk}-revision": roadmap.revision,
                f"item{item.pk}-when": item.when.code,
                f"item{item.pk}-status": RoadmapItem.Status.IN_PROGRESS,
                f"item{item.pk}-owner": "Eva",
                f"item{item.pk}-note": "",
            },
        )
    assert response.status_code in (200, 302), response.content
    assert before == 0 and RoadmapItem.objects.get(pk=item.pk).owner == "Eva"
    assessment.refresh_from_db()
    owners = Report.objects.get(assessment=assessment, language="de", for_owner=True)
    assert owners.digest == pdf.report_digest(assessment, "de", for_owner=True)


def test_without_the_setting_nothing_is_rendered_in_advance(version, django_capture_on_commit_callbacks):
    respondent = finished_self_assessment(version, django_capture_on_commit_callbacks)
    assert not Report.objects.filter(assessment=respondent.participant.assessment).exists()


def test_a_task_behind_a_newer_change_leaves_the_render_to_the_newer_ones_task(
    version, django_capture_on_commit_callbacks
):
    respondent = finished_self_assessment(version, django_capture_on_commit_callbacks)
    assessment = respondent.participant.assessment
    assert report_prerender.call(assessment.pk, settle_seconds=60) == 0  # changed a moment ago
    assert not Report.objects.filter(assessment=assessment).exists()
    earlier = timezone.now() - timedelta(seconds=61)
    Assessment.objects.filter(pk=assessment.pk).update(updated_at=earlier)
    Roadmap.objects.filter(assessment=assessment).update(updated_at=earlier)
    assert report_prerender.call(assessment.pk, settle_seconds=60) == 1  # settled: the last task renders
    assert report_prerender.call(assessment.pk, settle_seconds=60) == 0  # and the next finds it cached


def test_a_deleted_assessment_or_an_unfinished_one_renders_nothing(
    version, django_capture_on_commit_callbacks
):
    respondent = finished_self_assessment(version, django_capture_on_commit_callbacks)
    assessment_id = respondent.participant.assessment_id
    unfinished = Respondent(Client(), version)
    assert report_prerender.call(unfinished.participant.assessment_id) == 0  # nobody downloads it yet
    Assessment.objects.filter(pk=assessment_id).delete()
    assert report_prerender.call(assessment_id) == 0
