"""The room's distribution as bars: a bar per level and "weiß nicht", shares of all votes, consensus marked."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from live.tally import bars, stacked
from standortbestimmung.scoring import Level, question_spread

U, A, B, C = Level.UNAWARE, Level.ADOPT, Level.BUILD, Level.COMMIT


@pytest.mark.parametrize(
    ("answers", "counts", "percents"),
    [
        ([], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0]),
        ([U, A, A, B], [1, 2, 1, 0, 0], [25, 50, 25, 0, 0]),
        ([None, None, C], [0, 0, 0, 1, 2], [0, 0, 0, 33, 67]),
        ([B] * 7, [0, 0, 7, 0, 0], [0, 0, 100, 0, 0]),
    ],
)
def test_a_bar_per_level_then_dont_know_with_its_share_of_all_votes(answers, counts, percents):
    result = bars(question_spread("journeys.1", answers))
    assert [bar.level for bar in result] == [U, A, B, C, None]
    assert [bar.count for bar in result] == counts
    assert [bar.percent for bar in result] == percents


@pytest.mark.parametrize(("consensus", "marked"), [(A, [A]), (None, [None]), (C, [C])])
def test_the_consensus_bar_is_marked_even_without_votes_on_it(consensus, marked):
    result = bars(question_spread("journeys.1", [U, A, A]), consensus, has_consensus=True)
    assert [bar.level for bar in result if bar.is_consensus] == marked


def test_without_a_consensus_no_bar_is_marked():
    assert not any(bar.is_consensus for bar in bars(question_spread("journeys.1", [None, U]), None))


answers = st.lists(st.sampled_from([U, A, B, C, None]), max_size=60)


@given(answers)
def test_the_bars_count_every_vote_once(given_answers):
    assert sum(bar.count for bar in bars(question_spread("q", given_answers))) == len(given_answers)


@given(answers)
def test_the_stacked_bar_fills_exactly_the_width_without_gaps(given_answers):
    segments = stacked(bars(question_spread("q", given_answers)))
    if not given_answers:
        assert segments == []
        return
    assert sum(s.width for s in segments) == pytest.approx(100, abs=0.01)
    assert all(s.width > 0 for s in segments)
    for before, after in zip(segments, segments[1:], strict=False):
        assert after.start == pytest.approx(before.start + before.width, abs=0.01)
