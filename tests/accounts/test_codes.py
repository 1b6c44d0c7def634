"""The second factor's codes and QR code: pure functions, no database."""

import base64

import pyotp
import pytest
import segno
from hypothesis import given
from hypothesis import strategies as st

from accounts import codes
from accounts.qr import QUIET_ZONE, dark_modules_path, qr_code


@pytest.mark.parametrize(
    ("typed", "totp"),
    [
        ("123456", True),
        ("123 456", True),
        (" 123456 ", True),
        ("12345", False),
        ("1234567", False),
        ("12a456", False),
    ],
)
def test_six_digits_are_an_app_code_anything_else_may_be_a_recovery_code(typed, totp):
    assert codes.is_totp_code(typed) is totp


def test_a_code_from_a_real_authenticator_matches_its_time_step_and_neighbours_only():
    key = codes.totp_key_new()
    app = pyotp.TOTP(base64.b32encode(bytes.fromhex(key)).decode())
    now = 1_800_000_015.0
    step = int(now) // 30
    assert codes.totp_step(key, app.at(now), now=now) == step
    assert codes.totp_step(key, app.at(now - 30), now=now) == step - 1  # a phone a little late
    assert codes.totp_step(key, app.at(now + 30), now=now) == step + 1
    assert codes.totp_step(key, app.at(now - 90), now=now) is None
    assert codes.totp_step(codes.totp_key_new(), app.at(now), now=now) is None  # another secret
    assert codes.totp_step("not-hex", app.at(now), now=now) is None


def test_the_typed_secret_is_the_apps_base32_in_groups():
    key = codes.totp_key_new()
    typed = codes.totp_key_base32(key)
    assert all(len(group) == 4 for group in typed.split(" "))
    assert (
        pyotp.TOTP(typed.replace(" ", "")).now()
        == pyotp.TOTP(base64.b32encode(bytes.fromhex(key)).decode()).now()
    )


def test_recovery_codes_are_random_120_bits_and_stored_as_a_hash_of_what_may_be_typed():
    made = [codes.recovery_code_new() for _ in range(200)]
    assert len(set(made)) == 200
    code = made[0]
    assert len(codes.normalised(code)) == 24  # 24 base32 characters = 120 bits
    digest = codes.recovery_code_digest(code)
    assert len(digest) == 64 and code not in digest
    assert codes.recovery_code_digest(code.upper().replace("-", " ")) == digest


@given(st.lists(st.lists(st.booleans(), min_size=21, max_size=21), min_size=21, max_size=21))
def test_the_path_covers_exactly_the_dark_modules(matrix):
    path = dark_modules_path(matrix, border=QUIET_ZONE)
    covered = set()
    for run in filter(None, path.split("M")):
        start, rest = run.split("h", 1)
        x, y = (int(v) for v in start.split(" "))
        width = int(rest.split("v", 1)[0])
        covered |= {(x - QUIET_ZONE + i, y - QUIET_ZONE) for i in range(width)}
    assert covered == {(x, y) for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark}


def test_the_qr_code_holds_the_set_up_address():
    uri = "otpauth://totp/CJM:alice?secret=ABCDEFGHIJKLMNOP&issuer=CJM"
    code = qr_code(uri)
    reference = segno.make(uri, error="m", micro=False)
    assert code.size == len(reference.matrix) + 2 * QUIET_ZONE
    assert code.path == dark_modules_path(reference.matrix)
    assert set(code.path) <= set("Mhvz-0123456789 ")  # nothing in it needs escaping
