"""Text from people made safe to keep and to hand on: names without invisible characters, CSV cells that no
spreadsheet program runs as a formula. Pure functions, no database."""

import re
import unicodedata

# Control characters (Cc), format characters (Cf: bidi overrides and isolates, zero-width spaces and joiners,
# soft hyphens, the byte order mark) and line or paragraph separators (Zl, Zp): invisible in a name, but able to
# reorder or hide what a reader sees next to it (in a page, a PDF, a spreadsheet, a log line).
_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp"})
_LINE_BREAKS = str.maketrans({"\t": " ", "\n": " ", "\r": " "})

# Characters that make a spreadsheet cell a formula (or, tab and carriage return, start a new one), and the
# separators after which a spreadsheet may start a new cell: comma, semicolon (German Excel), tab, pipe and
# line breaks. A cell is quoted, but a program that splits on another separator ignores the quotes.
FORMULA_STARTS = "=+-@\t\r"
SEPARATORS = ",;\t|\r\n"
_FORMULA_AFTER_SEPARATOR = re.compile(f"(^|[{re.escape(SEPARATORS)}])(?=[{re.escape(FORMULA_STARTS)}])")


def visible_text(value: str) -> str:
    """The text in NFC with tabs and line breaks as spaces, every other invisible character removed, stripped."""
    value = unicodedata.normalize("NFC", value.translate(_LINE_BREAKS))
    return "".join(ch for ch in value if unicodedata.category(ch) not in _INVISIBLE).strip()


def csv_cell(value: str) -> str:
    """The value with an apostrophe before every formula start at its beginning or after any separator."""
    return _FORMULA_AFTER_SEPARATOR.sub(r"\1'", value)
