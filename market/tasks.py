"""The benchmark's background work: a refresh after every change that moves it, and on a schedule (cron)."""

from datetime import datetime

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from market.snapshots import snapshot_refresh


@task()
def benchmark_refresh(requested_at: str) -> int | None:
    """Computes a new snapshot unless one begun after the request exists; returns its id (None: not needed)."""
    snapshot = snapshot_refresh(requested_at=datetime.fromisoformat(requested_at))
    return snapshot.pk if snapshot else None


def refresh_after_commit() -> None:
    """Queues a refresh once the current transaction has committed, so that the worker reads the change."""
    transaction.on_commit(lambda: benchmark_refresh.enqueue(timezone.now().isoformat()))
