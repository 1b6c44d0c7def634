"""Where a live session stands, from the few facts stored about it: the one rule every screen and vote follows. Pure."""

import math
from datetime import datetime
from enum import StrEnum

TIMER_MIN_SECONDS = 10
TIMER_MAX_SECONDS = 900


class Status(StrEnum):
    """What the consultant set: the session runs, pauses, or has ended (stored on the session)."""

    RUNNING = "running"
    PAUSED = "paused"
    ENDED = "ended"


class Phase(StrEnum):
    """What the room sees, derived from the status, the open item, the reveal flag and the timer."""

    LOBBY = "lobby"  # running, nothing opened yet: people join
    VOTING = "voting"  # a question or a field is open for votes
    LOCKED = "locked"  # the timer ran out: votes are closed, results not yet shown
    REVEALED = "revealed"  # the distribution is shown; votes are closed
    PAUSED = "paused"
    ENDED = "ended"


def phase_of(
    *, status: str, has_item: bool, revealed: bool, timer_ends_at: datetime | None, now: datetime
) -> Phase:
    """The phase of a session at the moment now."""
    if status == Status.ENDED:
        return Phase.ENDED
    if status == Status.PAUSED:
        return Phase.PAUSED
    if not has_item:
        return Phase.LOBBY
    if revealed:
        return Phase.REVEALED
    if timer_ends_at is not None and now >= timer_ends_at:
        return Phase.LOCKED
    return Phase.VOTING


def accepts_votes(phase: Phase) -> bool:
    """Whether a vote may be written in this phase: only while an item is open and neither locked nor shown."""
    return phase == Phase.VOTING


def is_open(status: str) -> bool:
    """Whether the session can still be joined (its code is valid): running or paused, not ended."""
    return status != Status.ENDED


def seconds_left(timer_ends_at: datetime | None, now: datetime) -> int | None:
    """Whole seconds until the timer ends (rounded up, never below 0), None without a timer."""
    if timer_ends_at is None:
        return None
    return max(0, math.ceil((timer_ends_at - now).total_seconds()))


def valid_timer(seconds: int) -> bool:
    """Whether a timer of this many seconds may be started."""
    return TIMER_MIN_SECONDS <= seconds <= TIMER_MAX_SECONDS


def screen_version(*, revision: int, phase: Phase, people: int = 0, answers: int = 0) -> str:
    """The token a polling screen sends back: equal tokens mean nothing it shows has changed."""
    return f"{revision}-{phase.value}-{people}-{answers}"
