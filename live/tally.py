"""The distribution of the room's votes on one question, as the bars of the presenter and the phones. Pure."""

from dataclasses import dataclass

from standortbestimmung.scoring import Level, QuestionSpread


@dataclass(frozen=True)
class Bar:
    """One bar: a level (None for "weiß nicht"), how many chose it, and its length as a share of the votes."""

    level: Level | None
    count: int
    percent: int  # 0..100, of all votes on the question
    is_consensus: bool


def bars(spread: QuestionSpread, consensus: Level | None = None, has_consensus: bool = False) -> list[Bar]:
    """A bar per level from Unaware to Commit, then "weiß nicht"; the consensus bar is marked."""
    total = sum(spread.counts) + spread.dont_know
    levels: list[Level | None] = [*Level, None]
    counts = [*spread.counts, spread.dont_know]
    return [
        Bar(
            level=level,
            count=count,
            percent=round(100 * count / total) if total else 0,
            is_consensus=has_consensus and consensus == level,
        )
        for level, count in zip(levels, counts, strict=True)
    ]


@dataclass(frozen=True)
class Segment:
    """A bar laid into one stacked bar of 100 units: where it starts and how wide it is."""

    bar: Bar
    start: float
    width: float


def stacked(bar_list: list[Bar]) -> list[Segment]:
    """The bars end to end in one stacked bar of 100 units, empty ones left out (widths add up to 100)."""
    total = sum(bar.count for bar in bar_list)
    segments, start = [], 0.0
    for bar in bar_list:
        if not bar.count:
            continue
        width = 100 * bar.count / total
        segments.append(Segment(bar, round(start, 3), round(width, 3)))
        start += width
    return segments
