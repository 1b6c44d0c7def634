"""Join codes of live workshops: short, typed from a projector, with no characters that look alike. Pure."""

import secrets
from collections.abc import Callable

# Digits and capitals without 0/O, 1/I/L and U/V (Crockford's reasoning): nothing to confuse across a room.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
LENGTH = 6
_SEPARATORS = str.maketrans("", "", " -_.\u00a0\u2009")


def code_new(choose: Callable[[str], str] = secrets.choice) -> str:
    """A fresh random join code of LENGTH characters from ALPHABET (about 594 million possibilities)."""
    return "".join(choose(ALPHABET) for _ in range(LENGTH))


def code_normalise(text: str) -> str | None:
    """The code someone typed, in its canonical form (capitals, no spaces or dashes), or None if it cannot be one."""
    if not isinstance(text, str) or len(text) > 4 * LENGTH:
        return None
    code = text.translate(_SEPARATORS).upper()
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def code_display(code: str) -> str:
    """The code as shown on the screens: two groups of three, easier to read out and to type."""
    half = len(code) // 2
    return f"{code[:half]} {code[half:]}"
