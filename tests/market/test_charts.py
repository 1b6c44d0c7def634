"""The benchmark's chart geometry: bars that add up, quartiles in order, one's own place marked."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from market import charts
from standortbestimmung.scoring import Level


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 500), min_size=4, max_size=4).filter(any), st.sampled_from([None, *Level]))
def test_the_level_bar_fills_its_width_in_proportion_and_marks_ones_own_level(counts, own):
    bar = charts.level_bar(counts, own)
    assert sum(s.width for s in bar.segments) == pytest.approx(charts.WIDTH, abs=0.3)
    for left, right in zip(bar.segments, bar.segments[1:], strict=False):
        assert right.x == pytest.approx(left.x + left.width, abs=0.2)
    assert (bar.own.level if bar.own else None) == own
    assert bool(bar.marker) == (own is not None)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(1.0, 4.0), min_size=4, max_size=4))
def test_the_score_box_keeps_the_quartiles_in_order_on_the_axis(values):
    q1, median, q3, own = sorted(values[:3]) + values[3:]
    box = charts.score_box(q1, median, q3, own)
    assert box.ticks[0].x <= box.q1 <= box.median <= box.q3 <= box.ticks[-1].x
    assert box.ticks[0].x <= box.own <= box.ticks[-1].x
    assert [t.anchor for t in box.ticks] == ["start", "middle", "middle", "end"]


def test_the_trend_leaves_a_hidden_quarter_empty_and_stacks_the_others_to_full_height():
    trend = charts.trend([("Q1 26", [1, 2, 3, 4]), ("Q2 26", None)])
    shown, hidden = trend.columns
    assert shown.shown and shown.n == 10 and not hidden.shown and hidden.parts == []
    assert sum(height for _y, height, _c in shown.parts) == pytest.approx(trend.bar_height)
    assert shown.parts[0][0] + shown.parts[0][1] == pytest.approx(trend.baseline)  # Unaware at the bottom
