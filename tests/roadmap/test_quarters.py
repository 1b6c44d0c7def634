"""Quarters: arithmetic across years, and the one text format machines read and write."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roadmap.quarters import Quarter


def test_quarters_count_across_years():
    assert Quarter(2026, 4) + 1 == Quarter(2027, 1)
    assert Quarter(2027, 2) - Quarter(2026, 3) == 3
    assert Quarter.after(date(2026, 11, 22)) == Quarter(2027, 1)
    assert Quarter.after(date(2027, 3, 31)) == Quarter(2027, 2)
    with pytest.raises(ValueError):
        Quarter(2027, 5)


@pytest.mark.parametrize(
    "text", ["2027-Q5", "2027-1", "27-Q1", "2027-q1", "", "1999-Q4", "2027-Q1 ", "２０２７-Q1"]
)
def test_anything_but_a_quarter_code_is_refused(text):
    with pytest.raises(ValueError, match="not a quarter"):
        Quarter.parse(text)


@given(st.integers(min_value=2000, max_value=2100), st.integers(min_value=1, max_value=4))
def test_a_code_reads_back_as_the_same_quarter(year, number):
    quarter = Quarter(year, number)
    assert quarter.code == f"{year}-Q{number}"
    assert Quarter.parse(quarter.code) == quarter


@given(st.dates(), st.integers(min_value=-40, max_value=40))
def test_adding_quarters_is_undone_by_subtracting(day, n):
    quarter = Quarter.containing(day)
    assert (quarter + n) - quarter == n
    assert Quarter.containing(day).year == day.year
