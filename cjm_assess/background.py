"""Background work on Django's tasks framework: a queue in our own database (django-tasks-db), worked off by
`manage.py db_worker`. Neither the framework nor the backend retries a failed task, so tasks that talk to the
outside world (SMTP) retry themselves through retry_later, with growing pauses."""

from datetime import timedelta

from django.tasks import Task, task_backends
from django.utils import timezone

# Pauses before the 2nd, 3rd, 4th attempt: a minute, five minutes, half an hour; then the task gives up.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30))


def retry_later(task: Task, *, attempt: int, **kwargs) -> bool:
    """Enqueues the task's next attempt after the next pause; False when every attempt is used up.

    The task takes `attempt` (1 for the first) among its arguments. A backend that cannot defer (the immediate
    one, in tests) runs the next attempt at once.
    """
    if attempt > len(RETRY_DELAYS):
        return False
    if task_backends[task.backend].supports_defer:
        task = task.using(run_after=timezone.now() + RETRY_DELAYS[attempt - 1])
    task.enqueue(attempt=attempt + 1, **kwargs)
    return True
