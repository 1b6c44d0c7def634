"""Geometry of the radar chart, drawn as SVG by a template so the page and the PDF show the same picture."""

import math
from dataclasses import dataclass, field

from standortbestimmung.scoring import Level

SIZE = 480  # the viewBox is SIZE x SIZE; labels need the margin around the chart
RADIUS = 130
CENTER = SIZE / 2
MAX_SCORE = 4.0


@dataclass(frozen=True)
class Axis:
    label: str
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str  # SVG text-anchor of the label


@dataclass(frozen=True)
class Ring:
    level: int
    label: str
    points: str
    label_y: float


@dataclass(frozen=True)
class Radar:
    axes: list[Axis]
    rings: list[Ring]  # from Unaware outwards
    series: list[str]  # polygon points, one per profile shown
    dots: list[list[tuple[float, float]]]
    size: int = SIZE
    marks: list[tuple[float, float]] = field(default_factory=list)  # dots of fields resting on guesses
    uncertain: list[str] = field(default_factory=list)  # the labels of those fields

    @property
    def center(self) -> float:
        return CENTER


def _point(index: int, count: int, radius: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return round(CENTER + radius * math.cos(angle), 1), round(CENTER + radius * math.sin(angle), 1)


def _polygon(points) -> str:
    return " ".join(f"{x},{y}" for x, y in points)


def radar(
    items: list[tuple[str, float | None, object]],
    compare: list[float | None] | None = None,
    uncertain: list[bool] | None = None,
) -> Radar:
    """Builds the chart for (label, score 1..4 or None, level) per axis; compare adds a second profile,
    uncertain (per axis) marks the dots of fields whose result rests largely on unchecked guesses."""
    count = len(items)
    axes = []
    for i, (label, _score, _level) in enumerate(items):
        x, y = _point(i, count, RADIUS)
        lx, ly = _point(i, count, RADIUS + 26)
        anchor = "middle" if abs(lx - CENTER) < 5 else ("start" if lx > CENTER else "end")
        axes.append(Axis(str(label), x, y, lx, ly + 4, anchor))
    rings = [
        Ring(
            level=level,
            label=level.label,
            points=_polygon(_point(i, count, RADIUS * level / MAX_SCORE) for i in range(count)),
            label_y=round(CENTER - RADIUS * level / MAX_SCORE - 3, 1),
        )
        for level in Level
    ]
    profiles = [[score for _label, score, _level in items]]
    if compare is not None:
        profiles.insert(0, list(compare))
    series, dots = [], []
    for scores in profiles:
        points = [_point(i, count, RADIUS * (s or 0) / MAX_SCORE) for i, s in enumerate(scores)]
        series.append(_polygon(points))
        dots.append(points)
    flags = list(uncertain or [False] * count)
    return Radar(
        axes=axes,
        rings=rings,
        series=series,
        dots=dots,
        marks=[point for point, flag in zip(dots[-1], flags, strict=True) if flag],
        uncertain=[axis.label for axis, flag in zip(axes, flags, strict=True) if flag],
    )
