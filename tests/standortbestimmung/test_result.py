"""The result snapshot: whose answers count, and what a group's result is made of."""

import pytest

from standortbestimmung.access import participant_add
from standortbestimmung.models import Answer, Assessment, ConsensusAnswer, Question
from standortbestimmung.result import assessment_result, participant_result, previous_assessment
from standortbestimmung.scoring import Level

pytestmark = pytest.mark.django_db


def answer_all(participant, level):
    questions = Question.objects.filter(field__version=participant.assessment.version)
    Answer.objects.bulk_create(
        Answer(participant=participant, question=q, option=q.options.get(level=level)) for q in questions
    )


@pytest.fixture
def workshop(version):
    return Assessment.objects.create(version=version, kind=Assessment.Kind.WORKSHOP)


def test_a_group_counts_active_participants_the_lower_median_and_the_consensus(workshop):
    people = [participant_add(assessment=workshop, name=n).participant for n in "ABCD"]
    for person, level in zip(people, [1, 2, 3, 4], strict=True):
        answer_all(person, level)
    question = Question.objects.get(field__version=workshop.version, code="journeys.1")
    ConsensusAnswer.objects.create(
        assessment=workshop, question=question, option=question.options.get(level=4)
    )
    people[0].revoked_at = people[0].created_at
    people[0].save()

    result = assessment_result(workshop)
    assert set(result.per_participant) == {p.pk for p in people[1:]}  # the revoked one no longer counts
    assert result.participant_count == 3
    assert result.answers["journeys.2"] == Level.BUILD  # lower median of Adopt, Build, Commit
    assert result.answers["journeys.1"] == result.consensus["journeys.1"] == Level.COMMIT
    assert result.profile.field("insights").level == Level.BUILD
    assert result.spreads["journeys.2"].counts == (0, 1, 1, 1)


def test_a_participant_result_is_their_own_answers_only(workshop):
    first = participant_add(assessment=workshop, name="A").participant
    second = participant_add(assessment=workshop, name="B").participant
    answer_all(first, 1)
    answer_all(second, 4)
    result = participant_result(first)
    assert list(result.per_participant) == [first.pk]
    assert set(result.answers.values()) == {Level.UNAWARE}
    assert result.profile.level == Level.UNAWARE


def test_the_previous_assessment_is_the_clients_one_before(version, alice):
    from standortbestimmung.models import Client

    client = Client.objects.create(owner=alice, name="Muster AG")
    first = Assessment.objects.create(version=version, client=client)
    second = Assessment.objects.create(version=version, client=client)
    Assessment.objects.create(version=version)  # of nobody: never a previous one
    assert previous_assessment(second) == first
    assert previous_assessment(first) is None
