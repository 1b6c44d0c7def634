"""Join codes: short, unambiguous, forgiving about spaces and case, strict about everything else."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from live.codes import ALPHABET, LENGTH, code_display, code_new, code_normalise


def test_the_alphabet_has_no_characters_that_look_alike():
    assert not set("0O1lIL") & set(ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET) >= 28


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("K7MP4Q", "K7MP4Q"),
        ("k7mp4q", "K7MP4Q"),
        ("K7M P4Q", "K7MP4Q"),
        (" k7m-p4q ", "K7MP4Q"),
        ("K7M\u00a0P4Q", "K7MP4Q"),
        ("K7MP4", None),  # too short
        ("K7MP4QQ", None),  # too long
        ("K7MP40", None),  # a zero is never part of a code
        ("K7MPOQ", None),  # nor an O
        ("K1MP4Q", None),  # nor a one
        ("KLMP4Q", None),  # nor an L
        ("K7MP4Ä", None),
        ("", None),
        ("K" * 500, None),
        ("K7MP4Q\x00", None),
    ],
)
def test_a_typed_code_is_normalised_or_refused(typed, code):
    assert code_normalise(typed) == code


def test_a_new_code_has_the_length_and_comes_from_the_alphabet():
    chooser = random.Random(7).choice
    codes = {code_new(chooser) for _ in range(200)}
    assert all(len(c) == LENGTH and set(c) <= set(ALPHABET) for c in codes)
    assert len(codes) == 200  # 29**6 possibilities: no repeats in a few hundred


@given(st.text(alphabet=ALPHABET, min_size=LENGTH, max_size=LENGTH))
def test_a_displayed_code_typed_back_is_the_same_code(code):
    assert code_normalise(code_display(code)) == code
    assert code_normalise(code_display(code).lower()) == code


@given(st.text(max_size=40))
def test_normalising_never_fails_and_its_result_is_a_code(text):
    code = code_normalise(text)
    assert code is None or (len(code) == LENGTH and set(code) <= set(ALPHABET))
