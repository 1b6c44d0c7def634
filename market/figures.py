"""The figures of the market view and the peer benchmark for every filter combination at once, as plain data
(JSON) that a snapshot keeps until the next refresh, and read back. Pure, no ORM."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from market.benchmark import (
    Distribution,
    Filters,
    MarketView,
    Ranking,
    Record,
    Suppressed,
    combinations,
    latest_per_period,
    summary,
    top_holding_back,
    top_measures,
)
from standortbestimmung.scoring import FIELD_ORDER, FieldCode

MEASURES: tuple[FieldCode | None, ...] = (None, *FIELD_ORDER)  # the overall level, then the six fields
LISTS = ("holding_back", "measures")


def market_tables(records: Iterable[Record], *, k: int) -> dict[Filters, dict]:
    """The protected figures of every filter combination in which the market shows anything."""
    view = MarketView(records, k=k)
    tables = {}
    for filters in view.combinations():
        table = _table(
            {field: view.distribution(filters, field) for field in MEASURES},
            {"holding_back": view.top_holding_back(filters), "measures": view.top_measures(filters)},
        )
        if table is not None:
            tables[filters] = table
    return tables


def own_tables(records: Iterable[Record]) -> dict[Filters, dict]:
    """A consultant's figures of their own clients, unprotected, for every filter combination."""
    tables = {}
    for filters, group in combinations(latest_per_period(records)).items():
        table = _table(
            {field: summary(group, field) for field in MEASURES},
            {"holding_back": top_holding_back(group, k=None), "measures": top_measures(group, k=None)},
        )
        if table is not None:
            tables[filters] = table
    return tables


def key_of(filters: Filters) -> dict[str, str]:
    """A filter combination as stored: "" for no filter, the quarter for a one-quarter period."""
    return {
        "industry": filters.industry or "",
        "size": filters.size or "",
        "region": filters.region or "",
        "period": filters.periods[0] if filters.periods else "",
    }


def _table(distributions: Mapping, lists: Mapping) -> dict | None:
    figures = {_name(field): _distribution_data(d) for field, d in distributions.items()}
    rankings = {name: _ranking_data(ranking) for name, ranking in lists.items()}
    if not any(figures.values()):
        return None  # the lists count the organisations of the overall figure, so they are hidden with it
    return {"figures": figures, **rankings}


def _name(field: FieldCode | None) -> str:
    return "overall" if field is None else field.value


def _distribution_data(figure: Distribution | Suppressed | None) -> dict | None:
    if not isinstance(figure, Distribution):
        return None
    return {
        "counts": list(figure.counts),
        "n": figure.n,
        "organisations": figure.organisations,
        "q1": figure.q1,
        "median": figure.median,
        "q3": figure.q3,
    }


def _ranking_data(ranking: Ranking | Suppressed) -> dict | None:
    if not isinstance(ranking, Ranking):
        return None
    return {"items": [list(item) for item in ranking.items], "left_out": ranking.left_out}


def distribution_in(table: Mapping | None, field: FieldCode | None) -> Distribution | None:
    """The distribution of the overall level (field None) or a field in a stored table; None where hidden."""
    data = (table or {}).get("figures", {}).get(_name(field))
    if not data:
        return None
    return Distribution(
        field,
        tuple(data["counts"]),
        data["n"],
        data["q1"],
        data["median"],
        data["q3"],
        data["organisations"],
    )


def ranking_in(table: Mapping | None, name: str) -> Ranking | None:
    """A stored list ("holding_back" or "measures"); None where hidden."""
    data = (table or {}).get(name)
    if not data:
        return None
    return Ranking(tuple((code, n) for code, n in data["items"]), data["left_out"])
