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


def _row(counts, own_level, own_score, name="Journeys <&>"):
    from market.benchmark import Distribution
    from market.presentation import Row

    figure = Distribution(None, tuple(counts), sum(counts), 2.0, 2.5, 3.0)
    return Row(
        name,
        figure,
        charts.level_bar(counts, own_level),
        charts.score_box(2.0, 2.5, 3.0, own_score),
        own_level,
        own_score,
    )


@pytest.mark.parametrize("font", ["", "Report Sans, DejaVu Sans, sans-serif"])
def test_the_chart_tags_draw_labelled_escaped_svg_with_ones_own_place(font):
    from django.template import Context, Template

    page = Template(
        "{% load benchmark_charts %}{% level_bar row 'bm' 3 %}{% score_box row 'bm' 3 %}"
        "{% level_bar other 'bm' 4 %}{% score_box other 'bm' 4 %}"
    ).render(
        Context(
            {
                "row": _row([1, 6, 2, 0], Level.ADOPT, 2.4),
                "other": _row([0, 0, 0, 5], None, None, name="Tools"),
                "svg_font": font,
            }
        )
    )
    assert page.count("<svg") == 4 and page.count("</svg>") == 4
    for chart in ("bm-3-bar", "bm-3-box", "bm-4-bar", "bm-4-box"):  # each names its title and description
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in page
        assert f'<title id="{chart}-title">' in page and f'<desc id="{chart}-desc">' in page
    assert "Journeys &lt;&amp;&gt;" in page and "Journeys <&>" not in page
    own_bar, other_bar = (part.split("</svg>")[0] for part in page.split('<svg class="level-bar"')[1:])
    assert own_bar.count("<path") == 1 and "<path" not in other_bar  # one's own level: outlined and marked
    assert own_bar.count('fill="#b54708"') == 1 and 'fill="#b42318"' in own_bar
    assert other_bar.count("<rect") == 1  # empty levels draw nothing
    assert page.count("<circle") == 1  # one's own score
    assert page.count(f'font-family="{font}"') == (0 if not font else page.count("<text"))
