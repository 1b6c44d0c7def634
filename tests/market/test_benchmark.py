"""The peer benchmark: counting, distributions, the market partition and what an attacker gets out of it."""

import dataclasses
import itertools
import math
import statistics
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from market.benchmark import (
    DIMENSIONS,
    Band,
    Basis,
    Distribution,
    Filters,
    MarketView,
    Placement,
    Reason,
    Record,
    Suppressed,
    cohort_candidates,
    combinations,
    distribution,
    latest_per_period,
    may_show,
    partition,
    period_of,
    place,
    quartiles,
    summary,
    top_holding_back,
    top_measures,
)
from standortbestimmung.scoring import FieldCode, Level

U, A, B, C = Level.UNAWARE, Level.ADOPT, Level.BUILD, Level.COMMIT
MAY = date(2026, 5, 4)


def rec(
    organisation, *, finished=MAY, industry="bank", size="50-249", region="de", level=B, score=3.0, **more
):
    return Record(
        organisation, finished, industry, size, region, level, score, more.pop("fields", {}), **more
    )


def many(count, prefix, **values):
    return [rec(f"{prefix}{i}", **values) for i in range(count)]


def organisations(records):
    return len({r.organisation for r in records})


def hidden(breakdown):
    return {value for value, figure in breakdown.groups.items() if isinstance(figure, Suppressed)}


# --- counting ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "period"),
    [
        (date(2026, 1, 1), "2026-Q1"),
        (date(2026, 3, 31), "2026-Q1"),
        (date(2026, 4, 1), "2026-Q2"),
        (date(2026, 9, 30), "2026-Q3"),
        (date(2026, 12, 31), "2026-Q4"),
    ],
)
def test_periods_are_calendar_quarters(day, period):
    assert period_of(day) == period


def test_an_organisation_counts_once_per_quarter_with_its_latest_assessment():
    early, late = rec("x", finished=date(2026, 4, 2), level=A), rec("x", finished=date(2026, 6, 30), level=C)
    next_quarter = rec("x", finished=date(2026, 7, 1), level=B)
    assert latest_per_period([late, next_quarter, early]) == [late, next_quarter]


def test_two_assessments_on_the_same_day_give_the_same_choice_in_any_order():
    one, other = rec("x", level=A, score=2.0), rec("x", level=C, score=4.0)
    assert latest_per_period([one, other]) == latest_per_period([other, one])


# --- distribution and placement ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([3.0], (3.0, 3.0, 3.0)),
        ([1.0, 4.0], (1.75, 2.5, 3.25)),
        ([1.0, 2.0, 3.0, 4.0], (1.75, 2.5, 3.25)),
        ([5.0, 1.0, 4.0, 2.0, 3.0], (2.0, 3.0, 4.0)),  # unsorted input; positions 1, 2 and 3 exactly
        ([2.0, 2.0, 2.0, 2.0, 2.0], (2.0, 2.0, 2.0)),
        ([1.0, 1.0, 1.0, 4.0, 4.0, 4.0], (1.0, 2.5, 4.0)),
    ],
)
def test_quartiles_interpolate_between_closest_ranks(scores, expected):
    assert quartiles(scores) == pytest.approx(expected)


def test_quartiles_need_a_score():
    with pytest.raises(ValueError, match="at least one"):
        quartiles([])


def test_the_distribution_counts_levels_and_leaves_the_not_assessable_out():
    records = [
        *many(2, "u", level=U, score=1.2),
        *many(3, "b", level=B, score=3.1),
        rec("c", level=C, score=3.9),
    ]
    records.append(rec("n", level=None, score=None))
    result = distribution(records, k=5)
    assert result.counts == (2, 0, 3, 1)
    assert result.n == 6
    assert (result.q1, result.median, result.q3) == pytest.approx((1.675, 3.1, 3.1))


def test_a_field_distribution_uses_the_fields_own_results():
    records = [rec(f"o{i}", fields={FieldCode.TOOLS: (A, 2.0 + i / 10)}) for i in range(5)]
    result = distribution(records, FieldCode.TOOLS, k=5)
    assert result.counts == (0, 5, 0, 0)
    assert result.median == pytest.approx(2.2)
    assert distribution(records, FieldCode.CULTURE, k=5) == Suppressed(Reason.TOO_FEW)


def test_fewer_than_k_organisations_are_suppressed_even_with_k_records():
    quarterly = [rec("x", finished=date(2026, m, 1)) for m in (1, 4, 7, 10)] + [rec("y")]
    assert distribution(quarterly, k=5) == Suppressed(Reason.TOO_FEW)
    assert isinstance(distribution(many(5, "o"), k=5), Distribution)


@pytest.mark.parametrize("k", [2, 1, 0, -5, True, 2.5, "5"])
def test_it_refuses_a_k_below_three(k):
    with pytest.raises(ValueError, match="at least 3"):
        distribution(many(5, "o"), k=k)
    with pytest.raises(ValueError, match="at least 3"):
        MarketView(many(5, "o"), k=k)


SPREAD = Distribution(None, (1, 2, 1, 1), 5, 2.0, 2.5, 3.0)


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (1.99, Band.BELOW_Q1),
        (2.0, Band.Q1_TO_MEDIAN),
        (2.49, Band.Q1_TO_MEDIAN),
        (2.5, Band.MEDIAN_TO_Q3),
        (3.0, Band.MEDIAN_TO_Q3),
        (3.01, Band.ABOVE_Q3),
        (None, None),
    ],
)
def test_a_score_is_placed_between_the_quartiles(score, band):
    assert place(SPREAD, level=None, score=score) == Placement(band, None, None)


@pytest.mark.parametrize(
    ("level", "lower", "same"), [(U, 0.0, 0.2), (A, 0.2, 0.4), (B, 0.6, 0.2), (C, 0.8, 0.2)]
)
def test_the_placement_tells_the_share_at_a_lower_level(level, lower, same):
    placement = place(SPREAD, level=level, score=2.7)
    assert (placement.band, placement.lower, placement.same) == (Band.MEDIAN_TO_Q3, lower, same)


# --- breakdowns: primary and secondary suppression -----------------------------------------------


def market_by_size(counts, k=5):
    """A market that differs only in size: one band per entry, with that many organisations."""
    records = [r for size, count in counts.items() for r in many(count, f"{size}-", size=size)]
    return MarketView(records, k=k).breakdown(Filters(), "size")


@pytest.mark.parametrize(
    ("counts", "suppressed"),
    [
        ({"1-9": 8, "10-49": 6, "50-249": 5}, set()),
        ({"1-9": 8, "10-49": 6, "50-249": 2}, {"10-49", "50-249"}),  # the next smallest joins the small one
        ({"1-9": 8, "10-49": 6, "50-249": 1, "250-999": 2}, {"10-49", "50-249", "250-999"}),
        ({"1-9": 8, "10-49": 6, "50-249": 3, "250-999": 3}, {"50-249", "250-999"}),  # 6 together: enough
        ({"1-9": 2, "10-49": 1}, {"1-9", "10-49"}),
    ],
)
def test_a_small_group_never_stands_alone_among_the_hidden(counts, suppressed):
    result = market_by_size(counts)
    assert hidden(result) == suppressed
    assert all(
        figure == Suppressed(Reason.PROTECTED)
        for value, figure in result.groups.items()
        if value in suppressed
    )


def test_two_small_groups_do_not_protect_each_other():
    # 1 and 2 organisations hidden, the rest shown: total minus shown groups would describe 3 organisations.
    result = market_by_size({"1-9": 8, "10-49": 6, "50-249": 1, "250-999": 2})
    shown = [figure for figure in result.groups.values() if isinstance(figure, Distribution)]
    assert result.total.n - sum(figure.n for figure in shown) >= 5


def test_a_total_below_k_hides_everything():
    result = market_by_size({"1-9": 2, "10-49": 2})
    assert result.total == Suppressed(Reason.PROTECTED)
    assert hidden(result) == {"1-9", "10-49"}


def test_the_partition_pools_small_values_and_a_small_pool_joins_the_smallest_part():
    records = [*many(8, "a", size="1-9"), *many(6, "b", size="10-49"), *many(1, "c", size="50-249")]
    blocks = partition(records, k=5)
    assert sorted(sorted({r.size for r in block}) for block in blocks) == [["1-9"], ["10-49", "50-249"]]
    assert all(organisations(block) >= 5 for block in blocks)
    assert partition(many(4, "o"), k=5) == [many(4, "o")]


# --- filters -------------------------------------------------------------------------------------


def test_a_filter_that_differs_from_a_shown_one_by_one_organisation_is_hidden():
    records = [*many(11, "de", industry="bank", region="de"), rec("at", industry="bank", region="at")]
    records += many(6, "r", industry="retail")
    view = MarketView(records, k=5)
    assert view.may_show(Filters(industry="bank"))  # 12
    assert not view.may_show(Filters(industry="bank", region="de"))  # 11: the one in Austria by difference
    assert not view.may_show(Filters(region="de"))  # 17 of 18, the same one by difference


def test_a_filter_that_differs_by_k_organisations_is_shown():
    records = [*many(7, "de", industry="bank", region="de"), *many(5, "at", industry="bank", region="at")]
    view = MarketView(records, k=5)
    assert view.may_show(Filters(industry="bank")) and view.may_show(Filters(industry="bank", region="de"))


def test_period_ranges_cannot_be_subtracted_down_to_one_organisation():
    records = [*many(6, "q1", finished=date(2026, 2, 1)), *many(6, "q2", finished=date(2026, 5, 1))]
    records.append(rec("late", finished=date(2026, 8, 1)))  # the running quarter, one assessment so far
    view = MarketView(records, k=5)
    quarters = ["2026-Q1", "2026-Q2", "2026-Q3"]
    ranges = [(a, b) for a in quarters for b in quarters if a <= b]
    shown = [r for r in ranges if view.may_show(Filters(periods=r))]
    assert shown == [("2026-Q1", "2026-Q1"), ("2026-Q1", "2026-Q3"), ("2026-Q2", "2026-Q3")]
    assert may_show(records, Filters(periods=("2026-Q1", "2026-Q2")), k=5) is False


def test_a_field_is_hidden_where_too_few_are_assessable_in_it():
    records = [rec(f"o{i}", fields={FieldCode.TOOLS: (B, 3.0)} if i < 3 else {}) for i in range(6)]
    view = MarketView(records, k=5)
    assert isinstance(view.distribution(Filters()), Distribution)
    assert view.distribution(Filters(), FieldCode.TOOLS) == Suppressed(Reason.PROTECTED)


@pytest.mark.parametrize(
    "wrong",
    [lambda: Filters(periods=("2026-Q3", "2026-Q1")), lambda: MarketView([], order=("size", "industry"))],
)
def test_it_rejects_a_reversed_range_or_an_incomplete_order(wrong):
    with pytest.raises(ValueError):
        wrong()


def test_a_breakdown_is_by_a_known_dimension():
    with pytest.raises(ValueError, match="breakdown"):
        MarketView(many(5, "o")).breakdown(Filters(), "country")


# --- the cohort of a self-assessor ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("industry", "size", "basis"),
    [
        ("bank", "50-249", Basis.INDUSTRY_SIZE),
        ("retail", "50-249", Basis.SIZE),  # 2 retailers of that size
        ("energy", "50-249", Basis.SIZE),  # nobody in that industry
        ("bank", "1-9", Basis.ALL),  # 2 of that size
        (None, "50-249", Basis.SIZE),
        ("bank", None, Basis.ALL),
    ],
)
def test_the_cohort_falls_back_from_industry_and_size_to_size_to_everyone(industry, size, basis):
    records = [
        *many(6, "b", industry="bank"),
        *many(5, "i", industry="insurance"),
        *many(2, "r", industry="retail"),
    ]
    records += [*many(5, "m", size="10-49"), *many(2, "s", size="1-9")]  # the 2 hide together with the 5
    cohort = MarketView(records, k=5).cohort(industry=industry, size=size)
    assert cohort.basis == basis


def test_there_is_no_cohort_below_k_organisations():
    assert MarketView(many(4, "o"), k=5).cohort(industry="bank", size="50-249") == Suppressed(Reason.TOO_FEW)


# --- the market lists ----------------------------------------------------------------------------


def test_the_lists_count_organisations_and_say_how_many_codes_were_left_out():
    records = [
        rec(f"o{i}", holding_back=("j.1", "t.2") if i < 6 else ("j.1",), measures=("m1",)) for i in range(7)
    ]
    records += [rec("o0", finished=date(2026, 8, 1), holding_back=("j.1",)), rec("o9", holding_back=("c.3",))]
    ranking = top_holding_back(records, k=5)
    assert ranking.items == (("j.1", 7), ("t.2", 6))
    assert ranking.left_out == 1
    assert top_measures(records, k=5).items == (("m1", 7),)
    view = MarketView(records, k=5)
    assert view.top_holding_back(Filters()) == ranking  # o0's second quarter counts o0 once
    assert view.top_measures(Filters(region="at")) == Suppressed(Reason.PROTECTED)


# --- properties ----------------------------------------------------------------------------------

levels = st.sampled_from(list(Level))


@st.composite
def results(draw):
    """A level and score, not assessable one time in five."""
    level = draw(st.integers(0, 4))
    return (None, None) if level == 0 else (Level(level), draw(st.floats(1.0, 4.0)))


CHOICES = {
    "organisation": [f"org{i}" for i in range(15)],
    "month": [1, 2, 4, 5, 7, 9],
    "industry": ["bank", "retail", None],
    "size": ["10-49", "50-249", None],
    "region": ["de", "at"],
    "holding_back": [(), ("j.1",), ("t.2",), ("j.1", "t.2")],
}


@st.composite
def a_record(draw):
    """A record of a small market (15 organisations, three quarters, few values) so that groups collide."""
    # One integer for all the choices keeps generation fast; it still shrinks towards the first of each.
    number, picked = draw(st.integers(0, math.prod(len(v) for v in CHOICES.values()) - 1)), {}
    for name, values in CHOICES.items():
        number, index = divmod(number, len(values))
        picked[name] = values[index]
    (level, score), tools = draw(results()), draw(results())
    return Record(
        organisation=picked["organisation"],
        finished=date(2026, picked["month"], 15),
        industry=picked["industry"],
        size=picked["size"],
        region=picked["region"],
        level=level,
        score=score,
        fields={FieldCode.TOOLS: tools},
        holding_back=picked["holding_back"],
    )


records = st.lists(a_record(), min_size=10, max_size=45)
ks = st.integers(min_value=3, max_value=4)
MEASURES = [None, FieldCode.TOOLS]


def every_filter(view):
    values = {
        d: [None, *sorted({r.value(d) for r in view.records} - {None})]
        for d in ("industry", "size", "region")
    }
    periods = sorted({r.period for r in view.records})
    ranges = [None, *((a, b) for a in periods for b in periods if a <= b)]
    for industry in values["industry"]:
        for size in values["size"]:
            for region in values["region"]:
                for periods_ in ranges:
                    yield Filters(industry, size, region, periods_)


def counted(view, filters, field):
    return [r for r in view.records if filters.matches(r) and _assessable(r, field)]


def _assessable(record, field):
    level, score = (record.level, record.score) if field is None else record.fields.get(field, (None, None))
    return level is not None and score is not None


def shown_figures(view, field):
    """Every figure the view shows for one measure, as sets of record ids, and every breakdown as a line."""
    shown, lines = {frozenset()}, []
    for filters in every_filter(view):
        base = counted(view, filters, field)
        if view.may_show(filters, field):
            shown.add(frozenset(map(id, base)))
        for by in DIMENSIONS:
            result = view.breakdown(filters, by, field)
            groups = {v: frozenset(id(r) for r in base if r.value(by) == v) for v in result.groups}
            shown.update(groups[v] for v, figure in result.groups.items() if isinstance(figure, Distribution))
            lines.append((frozenset(map(id, base)), list(groups.values())))
    return shown, lines


def derivable(shown, lines):
    """What an attacker gets by completing breakdowns (total = sum of groups) and subtracting, repeatedly."""
    known = set(shown)
    while True:
        new = set()
        for total, groups in lines:
            unknown = [member for member in (total, *groups) if member not in known]
            if len(unknown) == 1:
                new.add(unknown[0])
        new |= {a - b for a in known for b in known if b < a}
        if new <= known:
            return known
        known |= new


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(1.0, 4.0), min_size=1, max_size=40))
def test_quartiles_are_ordered_within_the_scores_and_match_the_standard_method(scores):
    q1, median, q3 = quartiles(scores)
    assert min(scores) <= q1 <= median <= q3 <= max(scores)
    if len(scores) >= 2:
        assert [q1, median, q3] == pytest.approx(statistics.quantiles(scores, n=4, method="inclusive"))


@settings(max_examples=100, deadline=None)
@given(records, st.sampled_from(MEASURES))
def test_a_distributions_counts_add_up_to_n_and_its_quartiles_are_ordered(records_, field):
    result = distribution(records_, field, k=3)
    if isinstance(result, Distribution):
        assert sum(result.counts) == result.n == len([r for r in records_ if _assessable(r, field)])
        assert result.q1 <= result.median <= result.q3


@settings(max_examples=25, deadline=None)
@given(records, ks)
def test_no_shown_figure_rests_on_fewer_than_k_organisations(records_, k):
    view = MarketView(records_, k=k)
    for field in MEASURES:
        for filters in every_filter(view):
            base = counted(view, filters, field)
            if isinstance(view.distribution(filters, field), Distribution):
                assert organisations(base) >= k
            for by in DIMENSIONS:
                for value, figure in view.breakdown(filters, by, field).groups.items():
                    if isinstance(figure, Distribution):
                        assert organisations(r for r in base if r.value(by) == value) >= k
            ranking = view.top_holding_back(filters)
            assert isinstance(ranking, Suppressed) or all(n >= k for _, n in ranking.items)


@settings(max_examples=25, deadline=None)
@given(records, ks, st.data())
def test_the_decisions_do_not_depend_on_the_order_of_the_records(records_, k, data):
    shuffled = data.draw(st.permutations(records_))
    one, other = MarketView(records_, k=k), MarketView(shuffled, k=k)
    for filters in every_filter(one):
        assert one.may_show(filters) == other.may_show(filters)
        assert one.distribution(filters, FieldCode.TOOLS) == other.distribution(filters, FieldCode.TOOLS)
        for by in DIMENSIONS:
            assert one.breakdown(filters, by) == other.breakdown(filters, by)
    for industry in ["bank", "retail", None]:
        assert one.cohort(industry=industry, size="10-49") == other.cohort(industry=industry, size="10-49")


@settings(max_examples=30, deadline=None)
@given(records, ks)
def test_a_breakdown_group_and_its_filter_combination_get_the_same_answer(records_, k):
    view = MarketView(records_, k=k)
    for filters in every_filter(view):
        for by in ("industry", "size", "region"):
            for value, figure in view.breakdown(filters, by).groups.items():
                if value is not None and getattr(filters, by) is None:
                    narrower = Filters(**{**filters.__dict__, by: value})
                    assert isinstance(figure, Distribution) == view.may_show(narrower)


@settings(max_examples=50, deadline=None)
@given(records, ks)
def test_dropping_filters_never_reveals_fewer_than_k_by_difference(records_, k):
    view = MarketView(records_, k=k)
    for filters in every_filter(view):
        if not view.may_show(filters):
            continue
        narrow = {id(r) for r in counted(view, filters, None)}
        set_ = [name for name, value in filters.__dict__.items() if value is not None]
        for dropped in (c for size in range(1, len(set_) + 1) for c in itertools.combinations(set_, size)):
            wider = Filters(**{**filters.__dict__, **dict.fromkeys(dropped)})
            if view.may_show(wider):
                rest = organisations(r for r in counted(view, wider, None) if id(r) not in narrow)
                assert rest == 0 or rest >= k


@settings(max_examples=100, deadline=None)
@given(records, ks, a_record())
def test_adding_a_record_never_leaves_a_hidden_group_alone(records_, k, extra):
    before, after = MarketView(records_, k=k), MarketView([*records_, extra], k=k)
    for by in DIMENSIONS:
        was_hidden = hidden(before.breakdown(Filters(), by))
        result = after.breakdown(Filters(), by)
        if isinstance(result.total, Suppressed):
            continue
        still_hidden = hidden(result)
        if was_hidden & still_hidden:
            # total minus shown groups is all the attacker gets: at least two groups, k organisations together
            shown_n = sum(figure.n for figure in result.groups.values() if isinstance(figure, Distribution))
            rest = [r for r in after.records if _assessable(r, None) and r.value(by) in still_hidden]
            assert (
                len(still_hidden) >= 2 and organisations(rest) >= k and len(rest) == result.total.n - shown_n
            )


@settings(max_examples=60, deadline=None)
@given(records, ks, st.sampled_from(MEASURES))
def test_no_chain_of_subtractions_isolates_fewer_than_k_organisations(records_, k, field):
    view = MarketView(records_, k=k)
    organisation_of = {id(r): r.organisation for r in view.records}
    for derived in derivable(*shown_figures(view, field)):
        behind = len({organisation_of[i] for i in derived})
        assert behind == 0 or behind >= k, sorted(organisation_of[i] for i in derived)


# --- consultants who know their own clients -----------------------------------------------------------


@pytest.mark.parametrize(
    ("sources", "shown"),
    [
        ([None] * 5, True),  # five anonymous self-assessments: k organisations, each knows only itself
        (["c1"] + [None] * 4, True),  # the consultant subtracts one client: four others remain
        (["c1", "c1"] + [None] * 3, False),  # two clients subtracted: three others, fewer than k - 1
        (["c1", "c1"] + [None] * 4, True),
        (["c1", "c1", "c2", "c2", "c2"] + [None], False),
        (["c1"] * 5, False),  # one consultant's clients alone: theirs to see, not the market's
    ],
)
def test_a_figure_needs_k_minus_1_organisations_beyond_any_one_consultants_clients(sources, shown):
    records = [rec(f"o{i}", source=source) for i, source in enumerate(sources)]
    assert isinstance(distribution(records, k=5), Distribution) == shown
    assert MarketView(records, k=5).may_show(Filters()) == shown


def test_a_consultants_clients_are_pooled_until_others_can_hide_them():
    # 50-249: 6 of c1's clients and 4 others; 10-49: 5 anonymous. Alone 50-249 leaves c1 only 4 others.
    records = [*many(6, "c", source="c1"), *many(4, "a"), *many(5, "s", size="10-49")]
    view = MarketView(records, k=5)
    assert view.may_show(Filters(size="50-249"))
    records = [*many(6, "c", source="c1"), *many(3, "a"), *many(5, "s", size="10-49")]
    view = MarketView(records, k=5)
    assert not view.may_show(Filters(size="50-249")) and not view.may_show(Filters(size="10-49"))
    assert view.may_show(Filters())  # together: 14 organisations, 8 beyond c1's


def test_the_lists_leave_out_a_code_only_one_consultants_clients_share():
    records = [rec(f"c{i}", source="c1", holding_back=("j.1",)) for i in range(6)]
    records += [rec(f"a{i}", holding_back=("t.2",)) for i in range(5)]
    ranking = top_holding_back(records, k=5)
    assert ranking.items == (("t.2", 5),)
    assert ranking.left_out == 1


# --- the index of filter combinations, unprotected summaries, cohort candidates ------------------------


def test_the_combinations_index_holds_exactly_what_each_one_value_filter_matches():
    records = [
        rec("a", industry="bank", size="10-49", finished=date(2026, 2, 1)),
        rec("b", industry=None, size="10-49", region="at"),
        rec("c", industry="retail", size=None),
    ]
    index = combinations(records)
    for filters, matched in index.items():
        assert matched == [r for r in records if filters.matches(r)]
    for r in records:  # each dimension its value or none; an unknown value only none; a quarter or all
        known = sum(v is not None for v in (r.industry, r.size, r.region))
        assert sum(any(m is r for m in matched) for matched in index.values()) == 2 ** (known + 1)
    assert index[Filters(size="10-49")] == records[:2]


def test_a_summary_shows_what_it_has_and_a_distribution_counts_organisations():
    records = [rec("x", level=A, score=2.0), rec("x", finished=date(2026, 8, 1), level=B, score=3.0)]
    shown = summary(records)
    assert (shown.counts, shown.n, shown.organisations) == ((0, 1, 1, 0), 2, 1)
    assert summary([rec("n", level=None, score=None)]) is None
    assert distribution(many(5, "o"), k=5).organisations == 5
    assert top_measures([rec("o", measures=("m1",))], k=None).items == (("m1", 1),)


@pytest.mark.parametrize(
    ("industry", "size", "bases"),
    [
        ("bank", "50-249", [Basis.INDUSTRY_SIZE, Basis.SIZE, Basis.ALL]),
        (None, "50-249", [Basis.SIZE, Basis.ALL]),
        ("bank", None, [Basis.ALL]),
        (None, None, [Basis.ALL]),
    ],
)
def test_the_cohort_candidates_go_from_narrow_to_everyone(industry, size, bases):
    candidates = cohort_candidates(industry=industry, size=size)
    assert [c.basis for c in candidates] == bases
    assert candidates[-1].filters == Filters()


@settings(max_examples=40, deadline=None)
@given(records, ks)
def test_the_index_gives_the_same_figures_as_a_scan(records_, k):
    view = MarketView(records_, k=k)
    for filters in every_filter(view):
        for field in MEASURES:
            expected = [r for r in view.records if filters.matches(r) and _assessable(r, field)]
            assert view._counted(filters, field) == expected


SOURCE_OF = {org: ("c1", "c2", None)[i % 3] for i, org in enumerate(CHOICES["organisation"])}


@settings(max_examples=60, deadline=None)
@given(records, ks, st.sampled_from(MEASURES))
def test_no_consultant_subtracts_their_clients_down_to_fewer_than_k_minus_1_others(records_, k, field):
    records_ = [dataclasses.replace(r, source=SOURCE_OF[r.organisation]) for r in records_]
    view = MarketView(records_, k=k)
    organisation_of = {id(r): r.organisation for r in view.records}
    for derived in derivable(*shown_figures(view, field)):
        behind = {organisation_of[i] for i in derived}
        for consultant in ("c1", "c2"):
            others = {o for o in behind if SOURCE_OF[o] != consultant}
            assert not behind or len(others) >= k - 1, (consultant, sorted(behind))
