"""When an invited participant who has not finished gets an automatic reminder. Pure Python, no ORM."""

from datetime import datetime, timedelta


def reminder_due(
    *, last_mail_at: datetime | None, reminders_sent: int, now: datetime, after_days: int, max_reminders: int
) -> bool:
    """True when `after_days` (> 0) have passed since the last mail that reached the participant and fewer
    than `max_reminders` reminders went out; never for someone no mail has reached."""
    if after_days <= 0 or last_mail_at is None or reminders_sent >= max_reminders:
        return False
    return now - last_mail_at >= timedelta(days=after_days)
