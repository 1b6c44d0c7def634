"""The codes of the second factor: what a person typed, an authenticator app's code, and recovery codes.

Recovery codes carry 120 random bits, so a plain SHA-256 is a safe way to store them (ASVS 5.0 6.5.2: secrets
of 112 bits or more need no slow password hash); only that hash is kept. Pure functions, no database.
"""

import base64
import hashlib
import re
import secrets

from django_otp.oath import TOTP

TOTP_DIGITS = 6
TOTP_STEP_SECONDS = 30
TOTP_KEY_BYTES = 20  # 160 bits, as RFC 4226 recommends
RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_BYTES = 15  # 120 bits: 24 characters of base32
_TOTP_CODE = re.compile(rf"^[0-9]{{{TOTP_DIGITS}}}$")
_HEX_KEY = re.compile(r"^[0-9a-f]{40}$")


def normalised(code: str) -> str:
    """The code as typed, without spaces and dashes, in lower case."""
    return re.sub(r"[\s-]+", "", code or "").lower()


def is_totp_code(code: str) -> bool:
    """True for what an authenticator app shows (six digits); anything else may be a recovery code."""
    return bool(_TOTP_CODE.match(normalised(code)))


def totp_key_new() -> str:
    """A new secret for an authenticator app, as hex (django-otp's format)."""
    return secrets.token_hex(TOTP_KEY_BYTES)


def is_totp_key(key: str) -> bool:
    """True for a secret in the format totp_key_new makes."""
    return bool(_HEX_KEY.match(key or ""))


def totp_key_base32(key: str) -> str:
    """The secret as people type it into an authenticator app: base32 in groups of four."""
    text = base64.b32encode(bytes.fromhex(key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def totp_step(key: str, code: str, *, now: float, tolerance: int = 1) -> int | None:
    """The time step at which the app shows this code for this secret (one step of clock drift either way
    allowed), or None when it does not match."""
    if not is_totp_code(code) or not is_totp_key(key):
        return None
    totp = TOTP(bytes.fromhex(key), step=TOTP_STEP_SECONDS, digits=TOTP_DIGITS)
    totp.time = now
    return totp.t() if totp.verify(int(normalised(code)), tolerance=tolerance) else None


def recovery_code_new() -> str:
    """A new recovery code: 24 characters of base32 in groups of four (e.g. abcd-efgh-…)."""
    text = base64.b32encode(secrets.token_bytes(RECOVERY_CODE_BYTES)).decode().lower()
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def recovery_code_digest(code: str) -> str:
    """What is stored of a recovery code: the SHA-256 of its normalised form."""
    return hashlib.sha256(normalised(code).encode()).hexdigest()
