"""Names without invisible characters, CSV cells that no spreadsheet runs: pure functions, no database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cjm_assess.text import FORMULA_STARTS, SEPARATORS, csv_cell, visible_text


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Muster AG", "Muster AG"),
        ("  Müller-Lüdenscheid  ", "Müller-Lüdenscheid"),
        ("Bank\u202e GmbH", "Bank GmbH"),  # right-to-left override
        ("Eva\u2066\u2069", "Eva"),  # bidi isolates
        ("Z\u200be\u200ci\u200dt\u2060", "Zeit"),  # zero-width space, non-joiner, joiner, word joiner
        ("\ufeffBOM", "BOM"),
        ("Soft\u00adhyphen", "Softhyphen"),
        ("Zeile\neins\ttab\rzwei", "Zeile eins tab zwei"),
        ("Bell\x07\x1b[31m", "Bell[31m"),
        ("a\u2028b\u2029c", "abc"),
        ("Cafe\u0301", "Café"),  # NFC: one character, as typed on another keyboard
        ("日本語 🙂", "日本語 🙂"),
    ],
)
def test_visible_text_removes_what_a_reader_cannot_see(typed, kept):
    assert visible_text(typed) == kept


@given(st.text())
def test_visible_text_leaves_no_control_format_or_separator_character(text):
    import unicodedata

    cleaned = visible_text(text)
    assert not any(unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} for ch in cleaned)
    assert cleaned == cleaned.strip()
    assert visible_text(cleaned) == cleaned  # cleaning twice changes nothing


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("Eva", "Eva"),
        ("=1+1", "'=1+1"),
        ("+49 30 123", "'+49 30 123"),
        ("-Dumm", "'-Dumm"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("y;=1+1", "y;'=1+1"),  # German Excel splits on the semicolon
        ("\t=1+1", "'\t'=1+1"),  # a tab before = : a new cell that is a formula when split on tabs
        ("a,=HYPERLINK(x)", "a,'=HYPERLINK(x)"),
        ("a|@x", "a|'@x"),
        ("Zeile\n=1", "Zeile\n'=1"),
        ("Müller-Lüdenscheid", "Müller-Lüdenscheid"),
        ("Journeys, Insights", "Journeys, Insights"),
    ],
)
def test_a_csv_cell_cannot_start_a_formula(cell, safe):
    assert csv_cell(cell) == safe


@given(st.text(alphabet=st.sampled_from("ab =+-@,;\t|\r\n'x1")))
def test_no_part_of_a_cell_starts_a_formula_whichever_separator_a_program_splits_on(cell):
    safe = csv_cell(cell)
    for separator in SEPARATORS:
        for part in safe.split(separator):
            assert not part.startswith(tuple(FORMULA_STARTS)), (cell, separator, part)
    # only apostrophes were added: the cell's own characters stay, in order
    rest = iter(safe)
    assert all(ch in rest for ch in cell)
