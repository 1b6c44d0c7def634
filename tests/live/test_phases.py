"""The phase rule: votes are open exactly while an item is open, not shown, not paused and the timer runs."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from live.phases import (
    TIMER_MAX_SECONDS,
    TIMER_MIN_SECONDS,
    Phase,
    Status,
    accepts_votes,
    is_open,
    phase_of,
    screen_version,
    seconds_left,
    valid_timer,
)

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
SOON, PAST = NOW + timedelta(seconds=30), NOW - timedelta(seconds=1)


@pytest.mark.parametrize(
    ("status", "has_item", "revealed", "timer", "phase"),
    [
        (Status.RUNNING, False, False, None, Phase.LOBBY),
        (Status.RUNNING, True, False, None, Phase.VOTING),
        (Status.RUNNING, True, False, SOON, Phase.VOTING),
        (Status.RUNNING, True, False, NOW, Phase.LOCKED),  # at zero the votes close
        (Status.RUNNING, True, False, PAST, Phase.LOCKED),
        (Status.RUNNING, True, True, None, Phase.REVEALED),
        (Status.RUNNING, True, True, PAST, Phase.REVEALED),
        (Status.PAUSED, True, False, SOON, Phase.PAUSED),
        (Status.PAUSED, False, False, None, Phase.PAUSED),
        (Status.ENDED, True, False, SOON, Phase.ENDED),
        (Status.ENDED, False, True, None, Phase.ENDED),
    ],
)
def test_the_phase_follows_status_item_reveal_and_timer(status, has_item, revealed, timer, phase):
    assert (
        phase_of(status=status, has_item=has_item, revealed=revealed, timer_ends_at=timer, now=NOW) == phase
    )


@given(
    status=st.sampled_from(list(Status)),
    has_item=st.booleans(),
    revealed=st.booleans(),
    offset=st.one_of(st.none(), st.integers(min_value=-1000, max_value=1000)),
)
def test_votes_are_accepted_only_while_an_open_item_is_unshown_unpaused_and_in_time(
    status, has_item, revealed, offset
):
    timer = None if offset is None else NOW + timedelta(seconds=offset)
    phase = phase_of(status=status, has_item=has_item, revealed=revealed, timer_ends_at=timer, now=NOW)
    expected = status == Status.RUNNING and has_item and not revealed and (offset is None or offset > 0)
    assert accepts_votes(phase) == expected


@pytest.mark.parametrize(
    ("status", "open_"), [(Status.RUNNING, True), (Status.PAUSED, True), (Status.ENDED, False)]
)
def test_a_session_can_be_joined_until_it_ended(status, open_):
    assert is_open(status) == open_


@pytest.mark.parametrize(
    ("timer", "left"),
    [(None, None), (NOW + timedelta(seconds=30), 30), (NOW + timedelta(seconds=0.2), 1), (NOW, 0), (PAST, 0)],
)
def test_seconds_left_round_up_and_stop_at_zero(timer, left):
    assert seconds_left(timer, NOW) == left


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=0, max_value=10_000))
def test_seconds_left_never_grow_as_time_passes(a, b):
    timer = NOW + timedelta(seconds=500)
    early, late = sorted([a, b])
    assert (
        seconds_left(timer, NOW + timedelta(seconds=early))
        >= seconds_left(timer, NOW + timedelta(seconds=late))
        >= 0
    )


@pytest.mark.parametrize(
    ("seconds", "valid"),
    [
        (TIMER_MIN_SECONDS - 1, False),
        (TIMER_MIN_SECONDS, True),
        (60, True),
        (TIMER_MAX_SECONDS, True),
        (TIMER_MAX_SECONDS + 1, False),
        (0, False),
    ],
)
def test_a_timer_runs_between_its_bounds(seconds, valid):
    assert valid_timer(seconds) == valid


@given(
    st.tuples(st.integers(1, 10**6), st.sampled_from(list(Phase)), st.integers(0, 500), st.integers(0, 5000)),
    st.tuples(st.integers(1, 10**6), st.sampled_from(list(Phase)), st.integers(0, 500), st.integers(0, 5000)),
)
def test_the_screen_version_changes_with_everything_a_screen_shows(a, b):
    version = lambda t: screen_version(revision=t[0], phase=t[1], people=t[2], answers=t[3])  # noqa: E731
    assert (version(a) == version(b)) == (a == b)
