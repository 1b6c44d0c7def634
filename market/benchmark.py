"""The peer benchmark and the consultant's market view over consented, finished assessments. Pure, no ORM.

Counting: periods are calendar quarters ("2026-Q4"); an organisation counts once per quarter, with its latest
assessment there. A view over several quarters can hold one organisation several times, so every threshold
counts distinct organisations, never records.

Protection (k-anonymity, default k = 5, never below 3): a MarketView cuts the counted records into blocks of
at least k organisations (one partition per measure: the overall level and each field) and shows a figure only
when its records are whole blocks. Filters, breakdown groups and cohorts all pass that one test, so whatever
anybody adds or subtracts from shown figures (total minus shown groups, filter A minus A and B, chains of such
steps, ranges of quarters) is again whole blocks: k organisations or none. Rules that judge each figure on its
own (n >= k, the next smallest group hidden too, the difference to each dropped filter) do not compose; an
attacker chaining subtractions across filters and breakdowns beats them on small markets.

The price: blocks follow an order of dimensions (default size, period, industry, region). Views along it show
most; a self-assessor's cohort falls back from industry and size to size where the industry is thin in a
quarter.

Consultants: a consultant sees their own clients' results and can subtract them from any shown figure. So
a group is big enough only when it holds k organisations and, without the clients of any one consultant
(Record.source), still k - 1 others: the same k - 1 that an organisation subtracting itself is left with.
A block of one consultant's clients alone is hidden from the market view; the consultant sees it among
their own figures.

Not protected: an organisation comparing the view before and after its own assessment learns the sum of the
k-1 others that made a group visible; groups whose members all share one level; the quartiles of a small group
are scores of members; comparing overall and field figures tells how many in a block are assessable in that
field.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from standortbestimmung.scoring import FieldCode, Level

DEFAULT_K = 5
MIN_K = 3
DIMENSIONS = ("industry", "size", "region", "period")
DEFAULT_ORDER = ("size", "period", "industry", "region")


@dataclass(frozen=True)
class Record:
    """One counted assessment as the benchmark sees it."""

    organisation: str  # stable identity, e.g. a hash; one organisation may have several assessments
    finished: date  # a datetime tells two assessments of one day apart
    industry: str | None
    size: str | None
    region: str | None
    level: Level | None  # overall level, None = not assessable
    score: float | None
    fields: Mapping[FieldCode, tuple[Level | None, float | None]]
    holding_back: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()
    source: str | None = None  # who knows the record besides the organisation: its consultant, if any

    @property
    def period(self) -> str:
        """The quarter the assessment was finished in."""
        return period_of(self.finished)

    def value(self, dimension: str) -> str | None:
        """The record's value in one of DIMENSIONS."""
        return getattr(self, dimension)


class Reason(StrEnum):
    TOO_FEW = "too_few"  # fewer than k organisations
    # Not whole blocks. The market view does not tell this apart from TOO_FEW on purpose: "fewer than k" next
    # to "hidden for a neighbour" would say which hidden group is the small one.
    PROTECTED = "protected"


@dataclass(frozen=True)
class Suppressed:
    """A figure that is not shown, and why."""

    reason: Reason


def _checked_k(k: int) -> int:
    if isinstance(k, bool) or not isinstance(k, int) or k < MIN_K:
        raise ValueError(f"k must be an integer of at least {MIN_K}, not {k!r}.")
    return k


def period_of(day: date) -> str:
    """The calendar quarter of a day, e.g. "2026-Q4"."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def latest_per_period(records: Iterable[Record]) -> list[Record]:
    """Each organisation once per quarter: its latest assessment in that quarter."""
    latest: dict[tuple[str, str], Record] = {}
    for record in records:
        slot = (record.organisation, record.period)
        if slot not in latest or _recency(record) > _recency(latest[slot]):
            latest[slot] = record
    return sorted(latest.values(), key=lambda r: (r.period, r.organisation))


def _recency(record: Record) -> tuple[date, str]:
    # Two assessments finished on the same day are told apart by content, not by input order, so that every
    # decision built on the result is the same however the records were listed.
    fields = sorted((str(code), result) for code, result in record.fields.items())
    content = (record.level, record.score, fields, record.industry, record.size, record.region)
    return record.finished, repr((content, record.holding_back, record.measures))


def _result(record: Record, field: FieldCode | None) -> tuple[Level | None, float | None]:
    return (record.level, record.score) if field is None else record.fields.get(field, (None, None))


def _counted(record: Record, field: FieldCode | None) -> bool:
    level, score = _result(record, field)
    return level is not None and score is not None


def _organisations(records: Iterable[Record]) -> int:
    return len({r.organisation for r in records})


def _enough(records: Iterable[Record], k: int) -> bool:
    # k organisations, and k - 1 of them unknown to whoever knows most of them (a consultant their clients, an
    # organisation itself). Adding records never breaks it, so a union of big enough groups is big enough.
    sources = {r.organisation: r.source for r in records}
    if len(sources) < k:
        return False
    known = Counter(source for source in sources.values() if source is not None)
    return len(sources) - max(known.values(), default=1) >= k - 1


# --- distribution and placement -----------------------------------------------------------------


def quartiles(scores: Iterable[float]) -> tuple[float, float, float]:
    """Q1, median and Q3 by linear interpolation between closest ranks.

    That is Hyndman & Fan's type 7, as in Excel's QUARTILE.INC, numpy's default and statistics.quantiles(...,
    method="inclusive"): the p-quantile sits at position (n - 1) * p of the sorted scores, counted from 0.
    """
    values = sorted(scores)
    if not values:
        raise ValueError("Quartiles need at least one score.")
    return _quantile(values, 0.25), _quantile(values, 0.5), _quantile(values, 0.75)


def _quantile(values: Sequence[float], p: float) -> float:
    position = (len(values) - 1) * p
    low = math.floor(position)
    if low == position:
        return values[low]
    lower, upper = values[low], values[low + 1]
    # Clamped: float rounding must never put a quartile above the next score (or out of min..max).
    return min(upper, lower + (upper - lower) * (position - low))


@dataclass(frozen=True)
class Distribution:
    """How many organisations reached each level, and the quartiles of their scores (min and max never)."""

    field: FieldCode | None  # None = the overall level
    counts: tuple[int, int, int, int]  # Unaware, Adopt, Build, Commit; not assessable left out
    n: int  # results: one organisation once per quarter
    q1: float
    median: float
    q3: float
    organisations: int | None = None  # distinct organisations behind the n results


def summary(records: Iterable[Record], field: FieldCode | None = None) -> Distribution | None:
    """The distribution of records without any protection (an owner's own), None when none is assessable."""
    counted = [r for r in records if _counted(r, field)]
    if not counted:
        return None
    levels = Counter(_result(r, field)[0] for r in counted)
    q1, median, q3 = quartiles(_result(r, field)[1] for r in counted)
    counts = tuple(levels[level] for level in Level)
    return Distribution(field, counts, len(counted), q1, median, q3, _organisations(counted))


def distribution(
    records: Iterable[Record], field: FieldCode | None = None, *, k: int = DEFAULT_K
) -> Distribution | Suppressed:
    """The distribution of the overall level (field None) or of one field over the given counted records."""
    k = _checked_k(k)
    counted = [r for r in records if _counted(r, field)]
    if not _enough(counted, k):
        return Suppressed(Reason.TOO_FEW)
    return summary(counted, field)


class Band(StrEnum):
    BELOW_Q1 = "below_q1"
    Q1_TO_MEDIAN = "q1_to_median"  # Q1 <= score < median
    MEDIAN_TO_Q3 = "median_to_q3"  # median <= score <= Q3
    ABOVE_Q3 = "above_q3"


@dataclass(frozen=True)
class Placement:
    """Where one organisation stands in a distribution (None where its own result is not assessable)."""

    band: Band | None
    lower: float | None  # share of the counted organisations at a lower level
    same: float | None  # share at the same level (the organisation itself included when it is counted)


def place(dist: Distribution, *, level: Level | None, score: float | None) -> Placement:
    """Places an organisation's own level and score inside a shown distribution."""
    band = None
    if score is not None:
        if score < dist.q1:
            band = Band.BELOW_Q1
        elif score > dist.q3:
            band = Band.ABOVE_Q3
        else:
            band = Band.Q1_TO_MEDIAN if score < dist.median else Band.MEDIAN_TO_Q3
    if level is None:
        return Placement(band, None, None)
    return Placement(band, sum(dist.counts[: level - 1]) / dist.n, dist.counts[level - 1] / dist.n)


# --- the market partition -----------------------------------------------------------------------


def partition(
    records: Sequence[Record], *, k: int = DEFAULT_K, order: Sequence[str] = DEFAULT_ORDER
) -> list[list[Record]]:
    """Cuts records into blocks of at least k organisations, splitting by the dimensions in order.

    At each step the values with k organisations or more become parts of their own; the rest are pooled, and a
    pool of fewer than k joins the smallest part (so that value and the pooled ones stay hidden together, as
    secondary suppression would). Fewer than k organisations in all: one block, and nothing is shown.
    ("k organisations" always includes k - 1 beyond any one consultant's clients.)
    """
    k = _checked_k(k)
    if not _enough(records, k):
        return [list(records)]
    return _split(list(records), list(order), k)


def _split(records: list[Record], order: list[str], k: int) -> list[list[Record]]:
    if not order:
        return [records]
    groups = defaultdict(list)
    for record in records:
        groups[record.value(order[0])].append(record)
    ordered = [groups[value] for value in sorted(groups, key=_sort_key)]
    big = [_enough(group, k) for group in ordered]
    parts = [group for group, enough in zip(ordered, big, strict=True) if enough]
    pooled = [record for group, enough in zip(ordered, big, strict=True) if not enough for record in group]
    if pooled and parts and not _enough(pooled, k):
        # Among equally small parts the last: for quarters the latest, next to a thin running quarter.
        min(reversed(parts), key=_organisations).extend(pooled)
    elif pooled:
        parts.append(pooled)
    return [block for part in parts for block in _split(part, order[1:], k)]


def _sort_key(value: str | None) -> tuple[int, str]:
    return (0, "") if value is None else (1, value)


class _Plan:
    """The partition of one measure's counted records, and the test every figure passes before it is shown."""

    def __init__(self, records: Sequence[Record], k: int, order: Sequence[str]):
        self.k = k
        # Records hold a mapping and are not hashable; the view keeps them alive, so their identity is a key.
        self.block_of: dict[int, int] = {}
        self.sizes: list[int] = []
        for number, block in enumerate(partition(records, k=k, order=order)):
            self.sizes.append(len(block))
            self.block_of.update((id(record), number) for record in block)

    def shows(self, records: Sequence[Record]) -> bool:
        touched = Counter(self.block_of[id(record)] for record in records)
        return _enough(records, self.k) and all(self.sizes[b] == n for b, n in touched.items())


# --- the market view ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """A filter combination of the market view; None = no filter on that dimension."""

    industry: str | None = None
    size: str | None = None
    region: str | None = None
    periods: tuple[str, str] | None = None  # first and last quarter, both included

    def __post_init__(self):
        if self.periods is not None and self.periods[0] > self.periods[1]:
            raise ValueError(f"The period range {self.periods} ends before it starts.")

    def matches(self, record: Record) -> bool:
        """Whether a record passes every filter."""
        wanted = {"industry": self.industry, "size": self.size, "region": self.region}
        if any(v is not None and record.value(d) != v for d, v in wanted.items()):
            return False
        return self.periods is None or self.periods[0] <= record.period <= self.periods[1]


def combinations(records: Iterable[Record]) -> dict[Filters, list[Record]]:
    """Every filter combination of single values (one quarter or all quarters) that holds records, with them.

    The menus of the market view offer exactly these; each record lies in 16 of them (each dimension its own
    value or none; an unknown value only in none), so one pass indexes them all.
    """
    index: dict[Filters, list[Record]] = defaultdict(list)
    for record in records:
        choices = [
            (None,) if record.value(dimension) is None else (None, record.value(dimension))
            for dimension in ("industry", "size", "region")
        ]
        for industry, size, region, period in itertools.product(*choices, (None, record.period)):
            periods = (period, period) if period else None
            index[Filters(industry, size, region, periods)].append(record)
    return dict(index)


def _is_combination(filters: Filters) -> bool:
    return filters.periods is None or filters.periods[0] == filters.periods[1]


@dataclass(frozen=True)
class Breakdown:
    """A distribution per value of one dimension (None = unknown), with the total they add up to."""

    by: str
    total: Distribution | Suppressed
    groups: dict[str | None, Distribution | Suppressed]


class Basis(StrEnum):
    INDUSTRY_SIZE = "industry_size"
    SIZE = "size"
    ALL = "all"


@dataclass(frozen=True)
class Cohort:
    """The peers a self-assessor is compared with; their figures come from MarketView.distribution."""

    basis: Basis
    filters: Filters


def cohort_candidates(*, industry: str | None, size: str | None) -> list[Cohort]:
    """The cohorts to try for a self-assessor, best first: industry and size, size alone, everyone."""
    candidates = []
    if industry is not None and size is not None:
        candidates.append(Cohort(Basis.INDUSTRY_SIZE, Filters(industry=industry, size=size)))
    if size is not None:
        candidates.append(Cohort(Basis.SIZE, Filters(size=size)))
    candidates.append(Cohort(Basis.ALL, Filters()))
    return candidates


@dataclass(frozen=True)
class Ranking:
    """Codes by the number of organisations they come from, most first; left_out = codes from fewer than k."""

    items: tuple[tuple[str, int], ...]
    left_out: int


class MarketView:
    """Benchmark figures over consented assessments, each shown only when it is a union of whole blocks."""

    def __init__(
        self, records: Iterable[Record], *, k: int = DEFAULT_K, order: Sequence[str] = DEFAULT_ORDER
    ):
        if sorted(order) != sorted(DIMENSIONS):
            raise ValueError(f"The order must name each of {DIMENSIONS} once.")
        self.k = _checked_k(k)
        self.order = tuple(order)
        self.records = latest_per_period(records)
        self._plans: dict[FieldCode | None, _Plan] = {}
        self._combinations: dict[Filters, list[Record]] | None = None

    def _plan(self, field: FieldCode | None) -> _Plan:
        # One partition per measure: a field can be assessable for fewer organisations than the overall level,
        # and the difference of two distributions of that field must rest on k organisations assessable in it.
        if field not in self._plans:
            self._plans[field] = _Plan([r for r in self.records if _counted(r, field)], self.k, self.order)
        return self._plans[field]

    def combinations(self) -> dict[Filters, list[Record]]:
        """The filter combinations of the menus that hold records (see combinations), indexed once."""
        if self._combinations is None:
            self._combinations = combinations(self.records)
        return self._combinations

    def _counted(self, filters: Filters, field: FieldCode | None) -> list[Record]:
        if _is_combination(filters):  # the index answers without a pass over every record
            return [r for r in self.combinations().get(filters, ()) if _counted(r, field)]
        return [r for r in self.records if _counted(r, field) and filters.matches(r)]

    def may_show(self, filters: Filters, field: FieldCode | None = None) -> bool:
        """Whether the figures of a filter combination (overall level or one field) may be shown."""
        return self._plan(field).shows(self._counted(filters, field))

    def distribution(self, filters: Filters, field: FieldCode | None = None) -> Distribution | Suppressed:
        """The distribution of a filter combination, or Suppressed."""
        return self._shown(self._counted(filters, field), field)

    def _shown(self, records: list[Record], field: FieldCode | None) -> Distribution | Suppressed:
        if not self._plan(field).shows(records):
            return Suppressed(Reason.PROTECTED)
        return distribution(records, field, k=self.k)

    def breakdown(self, filters: Filters, by: str, field: FieldCode | None = None) -> Breakdown:
        """The distribution per industry, size, region or period (a trend) within a filter combination."""
        if by not in DIMENSIONS:
            raise ValueError(f"A breakdown is by one of {DIMENSIONS}, not {by!r}.")
        counted = self._counted(filters, field)
        groups = defaultdict(list)
        for record in counted:
            groups[record.value(by)].append(record)
        shown = {value: self._shown(groups[value], field) for value in sorted(groups, key=_sort_key)}
        return Breakdown(by, self._shown(counted, field), shown)

    def cohort(self, *, industry: str | None, size: str | None) -> Cohort | Suppressed:
        """The peers of a self-assessor: industry and size, else size alone, else everyone."""
        for candidate in cohort_candidates(industry=industry, size=size):
            # The market view's own test: a cohort is one of its figures, so comparing the cohorts of several
            # self-assessments reveals no more than the market view does.
            if self.may_show(candidate.filters):
                return candidate
        return Suppressed(Reason.TOO_FEW)

    def top_holding_back(self, filters: Filters) -> Ranking | Suppressed:
        """The most common holding-back questions of a filter combination."""
        return self._ranking(filters, top_holding_back)

    def top_measures(self, filters: Filters) -> Ranking | Suppressed:
        """The most started measures of a filter combination."""
        return self._ranking(filters, top_measures)

    def _ranking(self, filters: Filters, count: Callable[..., Ranking]) -> Ranking | Suppressed:
        # The lists count the organisations of the overall distribution, under its decision.
        if not self.may_show(filters):
            return Suppressed(Reason.PROTECTED)
        return count(self._counted(filters, None), k=self.k)


def may_show(
    records: Iterable[Record], filters: Filters, *, field: FieldCode | None = None, k: int = DEFAULT_K
) -> bool:
    """Whether a filter combination may be shown over these records, with the default order of dimensions."""
    return MarketView(records, k=k).may_show(filters, field)


def _top(records: Iterable[Record], codes_of: Callable[[Record], Iterable[str]], k: int | None) -> Ranking:
    # k None: an owner's own records, every code shown
    k = None if k is None else _checked_k(k)
    holders: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        for code in codes_of(record):
            holders[code].append(record)
    counts = {code: _organisations(group) for code, group in holders.items()}
    items = sorted(
        ((code, n) for code, n in counts.items() if k is None or _enough(holders[code], k)),
        key=lambda item: (-item[1], item[0]),
    )
    return Ranking(tuple(items), len(counts) - len(items))


def top_holding_back(records: Iterable[Record], *, k: int | None = DEFAULT_K) -> Ranking:
    """Holding-back questions by the number of organisations they hold back, each shown from k on (k None:
    all, for an owner's own records)."""
    return _top(records, lambda r: r.holding_back, k)


def top_measures(records: Iterable[Record], *, k: int | None = DEFAULT_K) -> Ranking:
    """Measures by the number of organisations that started them in the roadmap's first quarter, from k on (k
    None: all, for an owner's own records)."""
    return _top(records, lambda r: r.measures, k)
