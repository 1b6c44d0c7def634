"""The benchmark as the pages and the report show it: a self-assessor's place among comparable organisations,
and the consultant's market view, both from the latest snapshot."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from market import charts
from market.benchmark import Band, Basis, Distribution, Filters, Placement, Ranking, cohort_candidates, place
from market.counting import profile_value
from market.figures import MEASURES, distribution_in, key_of, ranking_in
from market.models import Figures, Snapshot
from market.snapshots import cohort_figures, latest_snapshot
from roadmap.quarters import Quarter
from standortbestimmung.models import CompanySize, Industry
from standortbestimmung.questionnaire import Questionnaire
from standortbestimmung.scoring import Level, Profile

# The size bands in a sentence ("mit 50–249 Beschäftigten": German declines the noun after "mit").
WITH_SIZE = {
    CompanySize.MICRO: gettext_lazy("with 1–9 employees"),
    CompanySize.SMALL: gettext_lazy("with 10–49 employees"),
    CompanySize.MEDIUM: gettext_lazy("with 50–249 employees"),
    CompanySize.LARGE: gettext_lazy("with 250–999 employees"),
    CompanySize.VERY_LARGE: gettext_lazy("with 1,000 employees or more"),
}


def as_of(snapshot: Snapshot) -> Quarter:
    """The quarter a snapshot was computed in ("Stand: Q4 2026")."""
    return Quarter.containing(timezone.localdate(snapshot.created_at))


@dataclass(frozen=True)
class Row:
    """One measure (the overall level or a field) of a distribution chart; figure None: too few to show."""

    name: str
    figure: Distribution | None
    bar: charts.LevelBar | None = None
    box: charts.ScoreBox | None = None
    own_level: Level | None = None
    own_score: float | None = None
    placement: Placement | None = None
    overall: bool = False

    @property
    def placement_text(self) -> str:
        """Where one's own score and level lie in the distribution, in words."""
        if self.figure is None or self.placement is None:
            return ""
        texts = []
        band = self.placement.band
        if band is not None:
            score = _number(self.own_score)
            texts.append(
                {
                    Band.BELOW_Q1: _(
                        "Your score %(score)s is in the lowest quarter of the comparison group."
                    ),
                    Band.Q1_TO_MEDIAN: _(
                        "Your score %(score)s lies between the lower quartile and the median."
                    ),
                    Band.MEDIAN_TO_Q3: _(
                        "Your score %(score)s lies between the median and the upper quartile."
                    ),
                    Band.ABOVE_Q3: _("Your score %(score)s is in the top quarter of the comparison group."),
                }[band]
                % {"score": score}
            )
        if self.placement.lower is not None:
            values = {
                "lower": _percent(self.placement.lower),
                "same": _percent(self.placement.same),
                "level": self.own_level.label,
            }
            if self.own_level == Level.UNAWARE:  # nobody can be lower
                texts.append(_("%(same)s of them are at %(level)s too.") % values)
            else:
                texts.append(
                    _("%(lower)s of them are at a lower level than %(level)s, %(same)s at the same.") % values
                )
        return " ".join(texts)

    @property
    def description(self) -> str:
        """The chart's figures in words (its SVG description)."""
        if self.figure is None:
            return str(_("Too few comparable results"))
        counts = ", ".join(
            f"{level.label} {count}" for level, count in zip(Level, self.figure.counts, strict=True)
        )
        quartiles = _("lower quartile %(q1)s, median %(median)s, upper quartile %(q3)s") % {
            "q1": _number(self.figure.q1),
            "median": _number(self.figure.median),
            "q3": _number(self.figure.q3),
        }
        own = ""
        if self.own_score is not None:
            own = " " + _("Your score: %(score)s.") % {"score": _number(self.own_score)}
        return f"{counts}; {quartiles}.{own}"


def rows_of(table: dict | None, names: dict[str, str], profile: Profile | None = None) -> list[Row]:
    """The overall level and the six fields of a stored table, each placed against one's own profile if given."""
    rows = []
    for measure in MEASURES:
        figure = distribution_in(table, measure)
        own = None
        if profile is not None:
            own = (profile.level, profile.score) if measure is None else _field_result(profile, measure)
        level, score = own or (None, None)
        name = _("Overall") if measure is None else names.get(measure.value, measure.value)
        if figure is None:
            rows.append(Row(name, None, own_level=level, own_score=score, overall=measure is None))
            continue
        rows.append(
            Row(
                name,
                figure,
                charts.level_bar(figure.counts, level),
                charts.score_box(figure.q1, figure.median, figure.q3, score),
                level,
                score,
                place(figure, level=level, score=score) if own else None,
                overall=measure is None,
            )
        )
    return rows


def _field_result(profile: Profile, code) -> tuple[Level | None, float | None]:
    result = profile.field(code)
    return result.level, result.score


# --- the self-assessor's place among comparable organisations --------------------------------------


@dataclass(frozen=True)
class Benchmark:
    """What the result page and the report show: the cohort, its date, and a row per measure; basis None when
    not even everyone together is enough to compare with."""

    snapshot: Snapshot | None
    basis: Basis | None
    rows: list[Row] = field(default_factory=list)
    cohort: str = ""
    fallback: str = ""

    @property
    def as_of(self) -> Quarter | None:
        return as_of(self.snapshot) if self.snapshot else None

    @property
    def levels(self) -> list[Level]:
        return list(Level)

    @property
    def k(self) -> int:
        return self.snapshot.k if self.snapshot else settings.BENCHMARK_K


def benchmark_of(
    assessment, profile: Profile | None, questionnaire: Questionnaire | None = None
) -> Benchmark:
    """Where an assessment stands among comparable organisations (one query; two for a client's assessment)."""
    industry, size = profile_value(assessment, "industry"), profile_value(assessment, "size")
    stored = {(f.industry, f.size): f for f in cohort_figures(industry=industry, size=size)}
    for candidate in cohort_candidates(industry=industry, size=size):
        found = stored.get((key_of(candidate.filters)["industry"], key_of(candidate.filters)["size"]))
        overall = distribution_in(found.data, None) if found else None
        if overall is not None:  # the cohort is the first whose overall figure is shown (MarketView.cohort)
            names = questionnaire.field_names() if questionnaire else {}
            return Benchmark(
                found.snapshot,
                candidate.basis,
                rows_of(found.data, names, profile),
                _cohort_text(candidate.basis, overall, industry, size),
                _fallback_text(candidate.basis, industry, size),
            )
    snapshot = next(iter(stored.values())).snapshot if stored else None
    return Benchmark(snapshot, None)


def benchmark_stamp(assessment) -> str:
    """Changes whenever the benchmark an assessment is shown changes, without computing it (one query): part of
    the cached PDF's digest. A snapshot's figures never change once written, so the latest snapshot and the
    sector and size that choose the cohort decide it; one's own place changes with the answers, which the
    digest covers."""
    snapshot = latest_snapshot()
    industry, size = profile_value(assessment, "industry"), profile_value(assessment, "size")
    return f"{snapshot.pk if snapshot else '-'}:{industry or '-'}:{size or '-'}"


def report_benchmark(assessment, profile: Profile | None) -> Benchmark:
    """The benchmark section of the report (registered in roadmap.report.SECTIONS by the app's config)."""
    from standortbestimmung.questionnaire import questionnaire_of

    return benchmark_of(assessment, profile, questionnaire_of(assessment) if profile is not None else None)


def _cohort_text(basis: Basis, overall: Distribution, industry: str | None, size: str | None) -> str:
    count = overall.organisations or overall.n
    values = {"count": count}
    if basis == Basis.INDUSTRY_SIZE:
        values |= {"industry": Industry(industry).label, "size": WITH_SIZE[CompanySize(size)]}
        text = ngettext(
            "%(count)s organisation from the sector “%(industry)s” %(size)s",
            "%(count)s organisations from the sector “%(industry)s” %(size)s",
            count,
        )
    elif basis == Basis.SIZE:
        values["size"] = WITH_SIZE[CompanySize(size)]
        text = ngettext("%(count)s organisation %(size)s", "%(count)s organisations %(size)s", count)
    else:
        text = ngettext(
            "%(count)s organisation of every size and sector",
            "%(count)s organisations of every size and sector",
            count,
        )
    text = text % values
    if overall.n > count:
        text += " " + _("(%(n)s results: an organisation counts once per quarter)") % {"n": overall.n}
    return text


def _fallback_text(basis: Basis, industry: str | None, size: str | None) -> str:
    if basis == Basis.SIZE and industry is not None:
        return _(
            "Your sector has too few comparable results of your size yet, so the comparison is with all sectors."
        )
    if basis == Basis.ALL and size is not None:
        return _("Your company size has too few comparable results yet, so the comparison is with everyone.")
    if basis == Basis.ALL:
        return _("Without a company size the comparison is with everyone.")
    if basis == Basis.SIZE:
        return _("Without a sector the comparison is with all organisations of your size.")
    return ""


# --- the consultant's market view ---------------------------------------------------------------------


@dataclass(frozen=True)
class Listed:
    """A question or measure of a market list with the number of organisations it concerns."""

    code: str
    text: str
    field: str
    organisations: int


@dataclass(frozen=True)
class MarketView:
    """The market view of one filter combination and scope, from the rows of view_figures."""

    snapshot: Snapshot | None
    filters: Filters
    own: bool
    rows: list[Row]
    quarters: list[tuple[str, Distribution | None]]  # the overall level per quarter, oldest first
    trend: charts.Trend | None
    holding_back: list[Listed]
    measures: list[Listed]
    left_out: dict[str, int]

    @property
    def as_of(self) -> Quarter | None:
        return as_of(self.snapshot) if self.snapshot else None

    @property
    def overall(self) -> Row:
        return self.rows[0]

    @property
    def hidden_quarters(self) -> bool:
        return any(figure is None for _quarter, figure in self.quarters)

    @property
    def quarter_rows(self) -> list[tuple[Quarter, Distribution | None]]:
        """The trend's table: each quarter as people write it ("Q1 2026") with its figure."""
        return [(Quarter.parse(code), figure) for code, figure in self.quarters]

    @property
    def levels(self) -> list[Level]:
        return list(Level)


TOP = 10  # entries of each list shown on the page (the CSV has all)


def market_view(
    *,
    snapshot: Snapshot | None,
    figures: list[Figures],
    filters: Filters,
    own: bool,
    questionnaire: Questionnaire | None,
    measure_titles: dict[str, str],
    top: int | None = TOP,
) -> MarketView:
    """The page (or CSV) of a filter combination from its stored rows (every quarter and all of them)."""
    by_period = {f.period: f.data for f in figures}
    chosen = by_period.get(filters.periods[0] if filters.periods else "")
    names = questionnaire.field_names() if questionnaire else {}
    quarters = []
    if filters.periods is None and snapshot is not None:
        quarters = [(q, distribution_in(by_period.get(q), None)) for q in snapshot.periods]
    trend = (
        charts.trend([(_short(q), d.counts if d else None) for q, d in quarters])
        if len(quarters) > 1 and any(d for _q, d in quarters)
        else None
    )
    texts = {q.code: q.text for q in questionnaire.questions.values()} if questionnaire else {}
    holding = ranking_in(chosen, "holding_back")
    measures = ranking_in(chosen, "measures")
    return MarketView(
        snapshot,
        filters,
        own,
        rows_of(chosen, names),
        quarters,
        trend,
        _listed(holding, texts, names, top),
        _listed(measures, measure_titles, names, top),
        {
            "holding_back": holding.left_out if holding else 0,
            "measures": measures.left_out if measures else 0,
        },
    )


def _listed(
    ranking: Ranking | None, texts: dict[str, str], names: dict[str, str], top: int | None
) -> list[Listed]:
    # Question codes ("journeys.3") and measure codes ("journeys.adopt.1") begin with their field's code.
    if ranking is None:
        return []
    items = ranking.items[:top] if top else ranking.items
    return [Listed(code, texts.get(code, code), names.get(code.split(".")[0], ""), n) for code, n in items]


def _short(period: str) -> str:
    year, quarter = period.split("-")
    return f"{quarter} {year[2:]}"


def _number(value: float | None) -> str:
    return floatformat(value, 1) if value is not None else "–"


def _percent(share: float | None) -> str:
    return _("%(value)s%%") % {"value": floatformat(100 * share, 0)} if share is not None else "–"
