"""The measures catalogue as the planner sees it, and the rules a catalogue must keep. Pure Python, no ORM."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from standortbestimmung.scoring import FieldCode, Level


class Effort(StrEnum):
    S = "S"
    M = "M"
    L = "L"


# Person-day ranges per effort class, and the effort points a quarter's capacity can be counted in.
EFFORT_DAYS = {Effort.S: (2, 5), Effort.M: (5, 15), Effort.L: (15, 40)}
EFFORT_POINTS = {Effort.S: 1, Effort.M: 2, Effort.L: 3}


@dataclass(frozen=True)
class MeasureSpec:
    """A catalogue measure as the planner sees it."""

    code: str
    field: FieldCode
    target_level: Level
    effort: Effort
    duration_quarters: int = 1
    prerequisites: tuple[str, ...] = ()
    question_codes: tuple[str, ...] = ()
    sustains: bool = False
    position: int = 1
    carries: bool = (
        False  # one of the few measures that make its field reach the level (the others deepen it)
    )


def catalogue_problems(measures: Iterable[MeasureSpec], question_codes: set[str] | None = None) -> list[str]:
    """Every rule the catalogue breaks: unknown or higher-level prerequisites, cycles, unknown questions."""
    measures = list(measures)
    by_code = {m.code: m for m in measures}
    problems = []
    seen = set()
    for m in measures:
        if m.code in seen:
            problems.append(f"{m.code}: code appears twice")
        seen.add(m.code)
        if m.target_level == Level.UNAWARE:
            problems.append(f"{m.code}: a measure must lead to Adopt, Build or Commit")
        if m.sustains and m.carries:
            problems.append(f"{m.code}: a measure that sustains Commit cannot carry a level")
        if not 1 <= m.duration_quarters <= 4:
            problems.append(f"{m.code}: duration must be 1 to 4 quarters")
        for pre in m.prerequisites:
            if pre == m.code:
                problems.append(f"{m.code}: a measure cannot require itself")
            elif pre not in by_code:
                problems.append(f"{m.code}: prerequisite {pre} does not exist")
            elif by_code[pre].target_level > m.target_level:
                problems.append(
                    f"{m.code}: prerequisite {pre} leads to a higher level than the measure itself"
                )
        if question_codes is not None:
            for q in m.question_codes:
                if q not in question_codes:
                    problems.append(f"{m.code}: question {q} does not exist")
    cycle = find_cycle(by_code)
    if cycle:
        problems.append("prerequisites form a cycle: " + " → ".join(cycle))
    return problems


def carrying_codes(measures: Iterable[MeasureSpec]) -> frozenset[str]:
    """The measures that carry their level: those marked so, or all of a field and level where none is marked."""
    groups: dict[tuple[FieldCode, Level], list[MeasureSpec]] = {}
    for m in measures:
        if not m.sustains:
            groups.setdefault((m.field, m.target_level), []).append(m)
    carrying: set[str] = set()
    for group in groups.values():
        carrying |= {m.code for m in group if m.carries} or {m.code for m in group}
    return frozenset(carrying)


def find_cycle(by_code: dict[str, MeasureSpec]) -> list[str] | None:
    """A cycle of prerequisites as a list of codes (first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(code: str) -> list[str] | None:
        state[code] = 1
        path.append(code)
        for pre in by_code[code].prerequisites:
            if pre not in by_code:
                continue
            if state.get(pre) == 1:
                return path[path.index(pre) :] + [pre]
            if pre not in state and (found := visit(pre)):
                return found
        path.pop()
        state[code] = 2
        return None

    for code in sorted(by_code):
        if code not in state and (found := visit(code)):
            return found
    return None
