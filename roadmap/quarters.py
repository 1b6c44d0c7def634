"""Calendar quarters: the unit a roadmap is planned in. Pure Python."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_CODE = re.compile(r"^([0-9]{4})-Q([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1..4

    def __post_init__(self):
        if not 1 <= self.number <= 4:
            raise ValueError(f"A quarter is numbered 1 to 4, not {self.number}.")

    def __add__(self, quarters: int) -> Quarter:
        index = self.year * 4 + (self.number - 1) + quarters
        return Quarter(index // 4, index % 4 + 1)

    def __sub__(self, other: Quarter) -> int:
        return (self.year * 4 + self.number) - (other.year * 4 + other.number)

    def __str__(self) -> str:
        """For people: "Q1 2027"."""
        return f"Q{self.number} {self.year}"

    @property
    def code(self) -> str:
        """For machines (forms, exports, URLs): "2027-Q1"; `parse` reads it back."""
        return f"{self.year}-Q{self.number}"

    @classmethod
    def parse(cls, code: str) -> Quarter:
        """Reads a code such as "2027-Q1"; a ValueError for anything else."""
        match = _CODE.match(code or "")
        if not match or not 2000 <= int(match.group(1)) <= 2100:
            raise ValueError(f"not a quarter: {code!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: date) -> Quarter:
        """The calendar quarter a day falls in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def after(cls, day: date) -> Quarter:
        """The calendar quarter after the one containing day: the default start of a roadmap."""
        return cls.containing(day) + 1
