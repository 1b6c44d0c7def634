"""The benchmark's snapshots: computed in the background over every finished assessment, read by the pages with
one query each (a page never reads the assessments themselves)."""

from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from market.benchmark import Filters, cohort_candidates, latest_per_period
from market.counting import finished_assessments
from market.figures import key_of, market_tables, own_tables
from market.models import Figures, Snapshot

KEEP = 2  # snapshots kept: the latest, and the one a page may still be reading


def snapshot_refresh(*, requested_at: datetime | None = None) -> Snapshot | None:
    """Computes the benchmark anew and keeps it as the latest snapshot; nothing when a computation that began
    after requested_at exists already (it saw everything up to the request, so a burst costs one)."""
    if requested_at is not None and Snapshot.objects.filter(started_at__gte=requested_at).exists():
        return None
    started = timezone.now()
    market, own, periods = [], defaultdict(list), set()
    for counted in finished_assessments():
        periods.add(counted.record.period)
        if counted.in_market:
            market.append(counted.record)
        if counted.owner is not None:
            own[counted.owner].append(counted.record)
    k = settings.BENCHMARK_K
    tables = [(None, filters, table) for filters, table in market_tables(market, k=k).items()]
    tables += [
        (owner, filters, table)
        for owner, records in own.items()
        for filters, table in own_tables(records).items()
    ]
    # Written in one short transaction after the long read, which holds no lock (SQLite would block writers).
    with transaction.atomic():
        owners = set(get_user_model().objects.filter(pk__in=own).values_list("pk", flat=True))  # none deleted
        snapshot = Snapshot.objects.create(
            started_at=started, k=k, results=len(latest_per_period(market)), periods=sorted(periods)
        )
        Figures.objects.bulk_create(
            (
                Figures(snapshot=snapshot, owner_id=owner, data=table, **key_of(filters))
                for owner, filters, table in tables
                if owner is None or owner in owners
            ),
            batch_size=500,
        )
        Snapshot.objects.filter(pk__in=list(Snapshot.objects.values_list("pk", flat=True)[KEEP:])).delete()
    return snapshot


def _latest() -> QuerySet:
    return Snapshot.objects.order_by("-pk").values("pk")[:1]


def latest_snapshot() -> Snapshot | None:
    """The snapshot the pages show, None before the first computation."""
    return Snapshot.objects.order_by("-pk").first()


def cohort_figures(*, industry: str | None, size: str | None) -> list[Figures]:
    """The market's stored figures of the cohorts a self-assessor may be compared with (each with its
    snapshot), in one query; the pages pick the first shown one, as MarketView.cohort does."""
    wanted = Q()
    for candidate in cohort_candidates(industry=industry, size=size):
        wanted |= Q(**key_of(candidate.filters))
    return list(Figures.objects.filter(wanted, snapshot=_latest(), owner=None).select_related("snapshot"))


def view_figures(*, owner: int | None, filters: Filters) -> list[Figures]:
    """The stored figures of a filter combination in every quarter and in all of them (the trend), of the
    market (owner None) or of one consultant's own clients; one query."""
    key = key_of(filters)
    return list(
        Figures.objects.filter(
            snapshot=_latest(),
            owner_id=owner,
            industry=key["industry"],
            size=key["size"],
            region=key["region"],
        ).order_by("period")
    )
