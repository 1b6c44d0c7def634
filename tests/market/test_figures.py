"""The stored figures: every filter combination at once, only what the market may show, read back unchanged."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from market.benchmark import Distribution, Filters, MarketView, Ranking, Record, summary
from market.figures import distribution_in, key_of, market_tables, own_tables, ranking_in
from standortbestimmung.scoring import FieldCode, Level

B = Level.BUILD


def rec(organisation, *, size="50-249", industry="bank", source=None, month=5, level=B, score=3.0, **more):
    fields = {FieldCode.TOOLS: (level, score)}
    return Record(
        organisation, date(2026, month, 4), industry, size, "de", level, score, fields, source=source, **more
    )


def test_the_market_stores_only_combinations_it_shows_and_the_same_figures_as_its_view():
    records = [rec(f"b{i}", holding_back=("j.1",)) for i in range(6)]
    records += [rec(f"r{i}", industry="retail") for i in range(2)]  # too few: hidden with the bank's
    tables = market_tables(records, k=5)
    view = MarketView(records, k=5)
    assert Filters(industry="retail") not in tables
    assert Filters(industry="bank") not in tables  # 6 of 8: the retailers by difference
    for filters, table in tables.items():
        assert distribution_in(table, None) == view.distribution(filters)
        assert distribution_in(table, FieldCode.TOOLS) == view.distribution(filters, FieldCode.TOOLS)
        assert ranking_in(table, "holding_back") == view.top_holding_back(filters)
    assert distribution_in(tables[Filters()], None).organisations == 8


def test_a_combination_with_nothing_shown_has_no_table_and_reads_as_hidden():
    assert market_tables([rec(f"o{i}") for i in range(4)], k=5) == {}
    assert distribution_in(None, None) is None and ranking_in(None, "measures") is None


def test_own_figures_are_unprotected_and_count_each_organisation_once_a_quarter():
    mine = [
        rec("a", source="c1", month=4),
        rec("a", source="c1", level=Level.COMMIT, score=4.0, measures=("m.1",)),
    ]
    tables = own_tables(mine)
    overall = distribution_in(tables[Filters()], None)
    assert overall.counts == (0, 0, 0, 1) and overall.organisations == 1  # the latest of the quarter, alone
    assert ranking_in(tables[Filters()], "measures") == Ranking((("m.1", 1),), 0)


@pytest.mark.parametrize(
    ("filters", "key"),
    [
        (Filters(), {"industry": "", "size": "", "region": "", "period": ""}),
        (
            Filters("bank", "1-9", "at", ("2026-Q2", "2026-Q2")),
            {"industry": "bank", "size": "1-9", "region": "at", "period": "2026-Q2"},
        ),
    ],
)
def test_a_combination_is_stored_by_its_values(filters, key):
    assert key_of(filters) == key


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(list(Level)), st.floats(1.0, 4.0, allow_nan=False)), min_size=1, max_size=12
    )
)
def test_a_distribution_survives_the_round_trip(results):
    records = [rec(f"o{i}", level=level, score=score) for i, (level, score) in enumerate(results)]
    shown = summary(records)
    table = {"figures": {"overall": {**shown.__dict__, "counts": list(shown.counts), "field": None}}}
    back = distribution_in(table, None)
    assert isinstance(back, Distribution) and back == shown
