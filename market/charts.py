"""Geometry of the benchmark's charts, drawn as SVG by market/templatetags/benchmark_charts.py, so that page and PDF
show the same picture."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from standortbestimmung.scoring import Level

WIDTH = 320  # viewBox width of the bar and the box; they scale to their container
LEVEL_COLOURS = {
    Level.UNAWARE: "#b42318",
    Level.ADOPT: "#b54708",
    Level.BUILD: "#1d4ed8",
    Level.COMMIT: "#067647",
}
MIN_SCORE, MAX_SCORE = 1.0, 4.0
MIN_LABEL_WIDTH = 16  # a segment narrower than this carries no number (the description has them all)


@dataclass(frozen=True)
class Segment:
    level: Level
    count: int
    x: float
    width: float
    colour: str
    labelled: bool
    own: bool  # the level of the organisation the chart is shown to

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class LevelBar:
    """A bar cut into the four levels in proportion to how many organisations reached each."""

    segments: list[Segment]
    own: Segment | None
    width: int = WIDTH
    height: int = 40  # bar 26, room below for the marker of one's own level

    @property
    def marker(self) -> str:
        """The path of the triangle under one's own level ("" without one)."""
        if self.own is None:
            return ""
        x = min(max(self.own.centre, 7), WIDTH - 7)
        return f"M{x - 7:.1f},39 L{x:.1f},29 L{x + 7:.1f},39 Z"


def level_bar(counts: Sequence[int], own: Level | None = None) -> LevelBar:
    """The bar of a distribution's level counts (Unaware first), with one's own level marked."""
    total = sum(counts) or 1
    x, segments = 0.0, []
    for level, count in zip(Level, counts, strict=True):
        width = round(WIDTH * count / total, 1)
        segments.append(
            Segment(
                level, count, round(x, 1), width, LEVEL_COLOURS[level], width >= MIN_LABEL_WIDTH, level == own
            )
        )
        x += WIDTH * count / total
    return LevelBar(segments, next((s for s in segments if s.own), None))


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    anchor: str  # SVG text-anchor: the outer labels stay inside the picture


@dataclass(frozen=True)
class ScoreBox:
    """The middle half of the scores (first to third quartile) and the median on a 1 to 4 axis."""

    q1: float
    median: float
    q3: float
    own: float | None  # x of one's own score
    ticks: list[Tick]
    width: int = WIDTH
    height: int = 44

    @property
    def box_width(self) -> float:
        return round(max(self.q3 - self.q1, 1.0), 1)  # a box of equal quartiles stays visible as a line


def _x(score: float) -> float:
    pad = 10
    share = (min(max(score, MIN_SCORE), MAX_SCORE) - MIN_SCORE) / (MAX_SCORE - MIN_SCORE)
    return round(pad + (WIDTH - 2 * pad) * share, 1)


def score_box(q1: float, median: float, q3: float, own: float | None = None) -> ScoreBox:
    """The quartiles of the scores on the 1 to 4 axis, with one's own score marked."""
    anchors = {Level.UNAWARE: "start", Level.COMMIT: "end"}
    ticks = [Tick(_x(float(level)), level.label, anchors.get(level, "middle")) for level in Level]
    return ScoreBox(_x(q1), _x(median), _x(q3), _x(own) if own is not None else None, ticks)


@dataclass(frozen=True)
class Column:
    label: str
    x: float
    shown: bool
    n: int
    parts: list[tuple[float, float, str]]  # y, height, colour from Commit (top) to Unaware (bottom)


@dataclass(frozen=True)
class Trend:
    """A column per quarter with the share of each level; hidden quarters stay empty columns."""

    columns: list[Column]
    width: float
    height: int = 200
    top: int = 22  # room for the number above a column
    bar_height: int = 150
    column_width: int = 36

    @property
    def baseline(self) -> int:
        return self.top + self.bar_height

    @property
    def label_y(self) -> int:
        return self.baseline + 18


def trend(quarters: Sequence[tuple[str, Sequence[int] | None]]) -> Trend:
    """Columns of the level shares per quarter ((label, counts or None where hidden), oldest first)."""
    step, top, bar = 56, 22, 150
    columns = []
    for i, (label, counts) in enumerate(quarters):
        x = 12 + i * step
        parts, y = [], float(top + bar)
        if counts:
            total = sum(counts) or 1
            for level, count in zip(Level, counts, strict=True):  # stacked from the bottom: Unaware first
                height = bar * count / total
                y -= height
                parts.append((round(y, 1), round(height, 1), LEVEL_COLOURS[level]))
        columns.append(Column(label, x, counts is not None, sum(counts or ()), parts))
    return Trend(columns, width=max(12 + len(quarters) * step, 120))
