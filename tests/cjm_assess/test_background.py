"""Background work: the real worker takes queued tasks from the database; a failing task retries, then gives up."""

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus, task
from django.test import override_settings

from cjm_assess.background import RETRY_DELAYS, retry_later
from cjm_assess.models import RateCounter

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@task()
def mark(key: str, fail_first: int = 0, attempt: int = 1) -> int:
    """Records that it ran (a counter row per attempt); fails its first `fail_first` attempts."""
    RateCounter.objects.create(key=key, window=attempt, hits=1)
    if attempt <= fail_first:
        if retry_later(mark, attempt=attempt, key=key, fail_first=fail_first):
            return attempt  # this attempt is over; the next one is queued
        raise RuntimeError("the last attempt failed too")
    return attempt


@pytest.mark.django_db(transaction=True)  # the worker commits, and on PostgreSQL closes the test's connection
def test_the_worker_runs_what_was_queued_and_only_then():
    with override_settings(TASKS=DATABASE_QUEUE):
        result = mark.enqueue("queued")
        assert not RateCounter.objects.filter(key="queued").exists()  # enqueued, not run in the request
        call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)
        result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 1
    assert RateCounter.objects.filter(key="queued").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_retry_waits_in_the_queue_until_its_time():
    with override_settings(TASKS=DATABASE_QUEUE):
        mark.enqueue("later", fail_first=1)
        call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)
    # the first attempt ran; the second waits a minute (RETRY_DELAYS[0]), so the batch does not take it
    assert list(RateCounter.objects.filter(key="later").values_list("window", flat=True)) == [1]


@pytest.mark.django_db
def test_a_failing_task_retries_until_it_succeeds_or_its_attempts_are_used_up():
    succeeding = mark.enqueue("flaky", fail_first=2)  # the immediate backend runs every attempt at once
    assert succeeding.status == TaskResultStatus.SUCCESSFUL
    assert sorted(RateCounter.objects.filter(key="flaky").values_list("window", flat=True)) == [1, 2, 3]
    failing = mark.enqueue("broken", fail_first=99)
    attempts = len(RETRY_DELAYS) + 1
    assert RateCounter.objects.filter(key="broken").count() == attempts
    assert failing.status == TaskResultStatus.SUCCESSFUL  # the first attempt handed over to the next one
    with pytest.raises(RuntimeError, match="last attempt"):  # the last attempt gives up instead of queueing
        mark.call("given-up", fail_first=99, attempt=attempts)
    assert RateCounter.objects.filter(key="given-up").count() == 1
