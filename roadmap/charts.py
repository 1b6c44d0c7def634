"""Geometry of the burn-up chart, drawn as SVG by a template so the pages and the PDF show the same picture."""

import math
from dataclasses import dataclass

from roadmap.progress import BurnUp

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 40, 40  # margins for the axis labels and the legend
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


@dataclass(frozen=True)
class Tick:
    value: int
    y: float

    @property
    def label_y(self) -> float:
        return round(self.y + 4, 1)


@dataclass(frozen=True)
class QuarterLabel:
    label: str
    x: float  # the middle of the quarter
    boundary: float  # its right edge


@dataclass(frozen=True)
class BurnUpChart:
    width: int
    height: int
    left: float
    right: float  # x of the plot's right edge
    top: float
    bottom: float  # y of the plot's bottom edge (zero)
    ticks: list[Tick]
    quarters: list[QuarterLabel]
    scope: float  # y of the scope line
    label_x: float  # right edge of the value labels
    label_y: float  # baseline of the quarter labels
    planned: str  # polyline points
    done: str  # polyline points, empty while no quarter has begun
    done_dots: list[tuple[float, float]]


def _step(top: float) -> int:
    """A tick distance that gives four to six grid lines."""
    return max(1, math.ceil(top / 5))


def burnup_chart(data: BurnUp) -> BurnUpChart:
    """Builds the chart of a burn-up: the scope line, planned and done as lines from zero at the start."""
    count = max(len(data.quarters), 1)
    step = _step(max(data.scope, 1))
    top_value = step * math.ceil(max(data.scope, 1) / step)

    def x(i: int) -> float:
        return round(LEFT + PLOT_WIDTH * i / count, 1)

    def y(value: float) -> float:
        return round(TOP + PLOT_HEIGHT * (1 - value / top_value), 1)

    planned = [(x(0), y(0))] + [(x(i + 1), y(v)) for i, v in enumerate(data.planned)]
    done = [(x(i + 1), y(v)) for i, v in enumerate(data.done) if v is not None]
    return BurnUpChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=LEFT + PLOT_WIDTH,
        top=TOP,
        bottom=TOP + PLOT_HEIGHT,
        ticks=[Tick(v, y(v)) for v in range(0, top_value + 1, step)],
        quarters=[
            QuarterLabel(str(q), round((x(i) + x(i + 1)) / 2, 1), x(i + 1))
            for i, q in enumerate(data.quarters)
        ],
        scope=y(data.scope),
        label_x=LEFT - 8,
        label_y=TOP + PLOT_HEIGHT + 22,
        planned=" ".join(f"{px},{py}" for px, py in planned),
        done=" ".join(f"{px},{py}" for px, py in [(x(0), y(0)), *done]) if done else "",
        done_dots=done,
    )
