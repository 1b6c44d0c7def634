"""When an automatic reminder is due: the pure rule."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outreach.reminders import reminder_due

NOW = datetime(2027, 3, 10, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("days_ago", "sent", "after_days", "max_reminders", "due"),
    [
        (7, 0, 7, 2, True),  # exactly the pause
        (6.9, 0, 7, 2, False),  # not yet
        (30, 1, 7, 2, True),
        (30, 2, 7, 2, False),  # the last one went out
        (30, 0, 0, 2, False),  # automatic reminders are off
        (30, 0, 7, 0, False),
        (None, 0, 7, 2, False),  # no mail ever reached this person
    ],
)
def test_a_reminder_is_due_after_the_pause_until_the_last_one(days_ago, sent, after_days, max_reminders, due):
    last = None if days_ago is None else NOW - timedelta(days=days_ago)
    assert (
        reminder_due(
            last_mail_at=last,
            reminders_sent=sent,
            now=NOW,
            after_days=after_days,
            max_reminders=max_reminders,
        )
        is due
    )


moments = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC))


@given(
    last=moments,
    gap=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60)),
    days=st.integers(-3, 30),
)
def test_once_due_a_reminder_stays_due_as_time_passes(last, gap, days):
    kwargs = {"last_mail_at": last, "reminders_sent": 0, "after_days": days, "max_reminders": 3}
    if reminder_due(now=last + gap, **kwargs):
        assert reminder_due(now=last + gap + timedelta(hours=1), **kwargs)
        assert days > 0 and gap >= timedelta(days=days)


@given(sent=st.integers(0, 10), limit=st.integers(0, 10))
def test_never_more_reminders_than_allowed(sent, limit):
    due = reminder_due(
        last_mail_at=NOW - timedelta(days=100),
        reminders_sent=sent,
        now=NOW,
        after_days=1,
        max_reminders=limit,
    )
    assert due == (sent < limit)
