"""Saving answers: no lost answers under concurrency (real threads and transactions, on PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from standortbestimmung.access import participant_add
from standortbestimmung.answering import StaleAnswer, answers_save
from standortbestimmung.models import Answer, Assessment, Question
from standortbestimmung.versions import current_version

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL"),
]


def run_threads(*targets):
    errors = []

    def wrap(target):
        try:
            target()
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=wrap, args=(t,)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return errors


def test_two_writers_interleaving_200_saves_each_lose_nothing(content):
    version = current_version()
    assessment = Assessment.objects.create(version=version, kind=Assessment.Kind.WORKSHOP)
    first = participant_add(assessment=assessment, name="Erste").participant
    second = participant_add(assessment=assessment, name="Zweite").participant
    questions = list(Question.objects.filter(field__version=version).prefetch_related("options"))
    acknowledged = {first.pk: {}, second.pk: {}}

    def writer(participant, offset):
        for i in range(200):
            question = questions[(i * 5 + offset) % len(questions)]
            option = question.options.get(level=1 + (i + offset) % 4)
            answers_save(participant=participant, answers={question: option})
            acknowledged[participant.pk][question.pk] = option.pk

    errors = run_threads(lambda: writer(first, 0), lambda: writer(second, 1))
    assert errors == []
    for participant_id, answers in acknowledged.items():
        stored = dict(
            Answer.objects.filter(participant_id=participant_id).values_list("question_id", "option_id")
        )
        assert stored == answers
    assert Answer.objects.count() == len(acknowledged[first.pk]) + len(acknowledged[second.pk])


def test_racing_saves_of_the_same_question_never_duplicate_and_a_stale_one_conflicts(content):
    version = current_version()
    assessment = Assessment.objects.create(version=version)
    participant = participant_add(assessment=assessment).participant
    question = Question.objects.filter(field__version=version).first()
    options = list(question.options.order_by("level"))
    outcomes = []
    barrier = threading.Barrier(2)

    def save(option):
        barrier.wait()
        try:
            answers_save(participant=participant, answers={question: option}, seen_revisions={question.pk: 0})
            outcomes.append(("saved", option.pk))
        except StaleAnswer:
            outcomes.append(("conflict", option.pk))

    for _round in range(20):
        Answer.objects.all().delete()
        outcomes.clear()
        errors = run_threads(lambda: save(options[0]), lambda: save(options[3]))
        assert errors == []  # no IntegrityError, no deadlock
        assert sorted(kind for kind, _pk in outcomes) == ["conflict", "saved"]
        saved = next(pk for kind, pk in outcomes if kind == "saved")
        assert list(Answer.objects.values_list("option_id", flat=True)) == [saved]
    assert connection.vendor == "postgresql"
