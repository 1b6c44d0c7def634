"""Deleting an assessment leaves no trace in any download: the reports of the client's other assessments,
which compared with it, are not served from a cache that still shows it."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from roadmap.models import Report
from standortbestimmung.models import Answer, Assessment
from standortbestimmung.models import Client as ClientModel
from tests.conftest import sign_in
from tests.roadmap.test_report import text_of
from tests.workspace.test_workspace import invite_and_answer
from workspace import services

pytestmark = pytest.mark.django_db

COMPARISON = "Was sich seit der letzten Standortbestimmung bewegt hat"


@pytest.fixture
def two_rounds(alice, version):
    """A client assessed twice: first Adopt (90 days ago), then Build; alice signed in."""
    client_org = ClientModel.objects.create(owner=alice, name="Muster AG")
    first = services.workshop_start(client=client_org, version=version)
    invite_and_answer(first, "Anna", lambda code: 2)
    Assessment.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=90))
    second = services.workshop_start(client=client_org, version=version)
    invite_and_answer(second, "Anna", lambda code: 3)
    return first, second, sign_in(Client(), alice)


def report_of(consultant, assessment):
    response = consultant.get(reverse("workspace:report", args=[assessment.key]))
    assert response.status_code == 200
    return response, " ".join(text_of(response.content)[0].split())


def test_a_change_of_the_compared_assessment_changes_the_report(two_rounds):
    first, second, consultant = two_rounds
    before, text = report_of(consultant, second)
    assert COMPARISON in text
    answer = Answer.objects.filter(participant__assessment=first).first()
    answer.option = answer.question.options.get(level=4)
    answer.save()
    after, _text = report_of(consultant, second)
    assert after["ETag"] != before["ETag"]


def test_deleting_the_compared_assessment_removes_it_from_every_download(two_rounds):
    first, second, consultant = two_rounds
    before, text = report_of(consultant, second)
    assert COMPARISON in text
    response = consultant.post(reverse("workspace:assessment_delete", args=[first.key]), {"confirm": "on"})
    assert response.status_code == 302
    # no cached PDF that compared with it is left in the database
    assert not Report.objects.filter(assessment__client=second.client).exists()
    after, text = report_of(consultant, second)
    assert after["ETag"] != before["ETag"] and COMPARISON not in text
    client_data = consultant.get(reverse("workspace:client_data", args=[second.client_id])).content.decode()
    assert str(first.key) not in client_data
