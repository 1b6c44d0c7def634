"""Planned against done, quarter by quarter: the numbers behind the burn-up chart. Pure Python, no ORM."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from roadmap.quarters import Quarter


@dataclass(frozen=True)
class Track:
    """A roadmap item as the burn-up counts it: where it is planned and how its progress was recorded."""

    first: Quarter  # the quarter it starts in
    last: Quarter  # the quarter it is planned to end in
    history: tuple[tuple[date, int], ...] = ()  # (day, percent), oldest first


@dataclass(frozen=True)
class BurnUp:
    """Cumulative measures per quarter of a plan: planned to be finished, and done as recorded."""

    quarters: tuple[Quarter, ...]
    scope: int  # the measures planned within the horizon
    planned: tuple[float, ...]  # by the end of each quarter, if every measure ends on time
    done: tuple[
        float | None, ...
    ]  # by the end of each quarter (by today in the current one); None: not begun

    @property
    def rows(self) -> list[tuple[Quarter, float, float | None]]:
        """Per quarter: planned and done by its end."""
        return list(zip(self.quarters, self.planned, self.done, strict=True))

    @property
    def latest(self) -> tuple[Quarter, float, float] | None:
        """The last quarter that has begun, with what was planned and what is done by then."""
        begun = [i for i, value in enumerate(self.done) if value is not None]
        if not begun:
            return None
        i = begun[-1]
        return self.quarters[i], self.planned[i], self.done[i]


def quarter_end(quarter: Quarter) -> date:
    """The last day of a quarter."""
    following = quarter + 1
    return date(following.year, 3 * following.number - 2, 1) - timedelta(days=1)


def quarter_start(quarter: Quarter) -> date:
    """The first day of a quarter."""
    return date(quarter.year, 3 * quarter.number - 2, 1)


def share_planned(track: Track, quarter: Quarter) -> float:
    """The part of a measure planned to be done by the end of a quarter, spread evenly over the quarters it runs."""
    runs = track.last - track.first + 1
    return min(max((quarter - track.first + 1) / runs, 0.0), 1.0)


def share_done(track: Track, day: date) -> float:
    """The part of a measure done by a day: its last recorded progress on or before it."""
    percent = 0
    for recorded_on, value in track.history:
        if recorded_on > day:
            break
        percent = value
    return percent / 100


def burnup(tracks: Iterable[Track], quarters: Sequence[Quarter], today: date) -> BurnUp:
    """Planned and done per quarter, cumulative, in measures (a half-done measure counts one half).

    Planned: each measure spread evenly over the quarters it runs. Done: the progress recorded by the end of
    each quarter, for the quarters that have begun (the current one as of today).
    """
    tracks = list(tracks)
    planned = tuple(round(sum(share_planned(t, q) for t in tracks), 2) for q in quarters)
    done = tuple(
        round(sum(share_done(t, min(quarter_end(q), today)) for t in tracks), 2)
        if quarter_start(q) <= today
        else None
        for q in quarters
    )
    return BurnUp(tuple(quarters), len(tracks), planned, done)
