"""Which assessments count in the benchmark, and what it sees of each: the database turned into plain Records.

An assessment counts when it is finished and every consent that covers it was given: the respondent's for a
self-assessment, the client's for an assessment of a client (both for a self-assessment a consultant took
over: nobody's "no" is overridden). The organisation is the client for a consultant's assessments and the
assessment itself for an anonymous self-assessment; it counts once per quarter (benchmark.latest_per_period).
Its profile (industry, size, region) is the client's, where the client has one, else the assessment's own.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import BooleanField, Case, F, Q, QuerySet, Value, When
from django.utils import timezone

from market.benchmark import Record
from roadmap.models import RoadmapItem
from standortbestimmung.models import Assessment
from standortbestimmung.result import AssessmentResult, assessment_results
from standortbestimmung.scoring import FieldCode

FINISHED = Q(status=Assessment.Status.FINISHED, finished_at__isnull=False)
CONSENTED = Q(kind=Assessment.Kind.SELF, benchmark_consent=True) & (
    Q(client__isnull=True) | Q(client__benchmark_consent=True)
) | Q(kind=Assessment.Kind.WORKSHOP, client__benchmark_consent=True)
COUNTED = FINISHED & CONSENTED
BATCH = 500  # assessments read at a time: three queries for their results, one for their roadmaps' starts
# Items of a roadmap's first quarter that were not given up: the measures a company starts with.
STARTED = [s for s in RoadmapItem.Status.values if s not in {"postponed", "dropped"}]


def counting(assessments: QuerySet) -> bool:
    """Whether any of these assessments counts in the benchmark now."""
    return assessments.filter(COUNTED).exists()


@dataclass(frozen=True)
class Counted:
    """A finished assessment as the benchmark sees it: whether the market may count it, and its consultant's
    id (who sees it among their own clients' figures, consent or not)."""

    record: Record
    in_market: bool
    owner: int | None


def finished_assessments() -> Iterator[Counted]:
    """Every finished assessment, a batch of BATCH at a time (the background refresh reads them all)."""
    assessments = (
        Assessment.objects.filter(FINISHED)
        .select_related("client")
        .annotate(
            in_market=Case(When(CONSENTED, then=Value(True)), default=False, output_field=BooleanField())
        )
        .order_by("pk")
    )
    last = 0
    while batch := list(assessments.filter(pk__gt=last)[:BATCH]):
        last = batch[-1].pk
        started = _first_quarter_measures(batch)
        for result in assessment_results(batch):
            assessment = result.assessment
            yield Counted(
                record(result, started.get(assessment.pk, ())),
                assessment.in_market,
                assessment.owner_id or (assessment.client.owner_id if assessment.client else None),
            )


def _first_quarter_measures(assessments: Iterable[Assessment]) -> dict[int, tuple[str, ...]]:
    rows = (
        RoadmapItem.objects.filter(
            roadmap__assessment__in=assessments,
            year=F("roadmap__start_year"),
            quarter=F("roadmap__start_quarter"),
            measure__isnull=False,
            status__in=STARTED,
        )
        .order_by("measure__code")
        .values_list("roadmap__assessment_id", "measure__code")
    )
    measures: dict[int, list[str]] = {}
    for assessment_id, code in rows:
        measures.setdefault(assessment_id, []).append(code)
    return {pk: tuple(codes) for pk, codes in measures.items()}


def record(result: AssessmentResult, measures: tuple[str, ...] = ()) -> Record:
    """A finished assessment's result as a benchmark record (its roadmap's first-quarter measures given)."""
    assessment, profile = result.assessment, result.profile
    client = assessment.client
    owner = assessment.owner_id or (client.owner_id if client else None)
    return Record(
        organisation=f"client:{client.pk}" if client else f"assessment:{assessment.pk}",
        finished=timezone.localtime(assessment.finished_at),  # local: the quarter of the place
        industry=profile_value(assessment, "industry"),
        size=profile_value(assessment, "size"),
        region=profile_value(assessment, "region"),
        level=profile.level,
        score=profile.score,
        fields={FieldCode(r.field): (r.level, r.score) for r in profile.fields},
        holding_back=tuple(code for r in profile.fields for code in r.holding_back_most),
        measures=measures,
        source=f"consultant:{owner}" if owner else None,
    )


def profile_value(assessment: Assessment, name: str) -> str | None:
    """The assessment's industry, size or region: its client's where the client gave one, else its own."""
    client = assessment.client if assessment.client_id else None
    return (getattr(client, name) if client else "") or getattr(assessment, name) or None
