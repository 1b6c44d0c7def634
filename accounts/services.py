"""What a consultant does to sign in with a second factor: each function one action, in one transaction."""

import math
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.codes import (
    RECOVERY_CODE_COUNT,
    TOTP_DIGITS,
    TOTP_STEP_SECONDS,
    is_totp_code,
    normalised,
    recovery_code_digest,
    recovery_code_new,
)
from accounts.models import RecoveryCode, RecoveryCodes

AUTHENTICATOR_NAME = "Authenticator-App"
RECOVERY_NAME = "Wiederherstellungscodes"


class SecondFactorThrottled(Exception):
    """Too many wrong codes in a row: the device takes no code before `seconds` have passed."""

    def __init__(self, seconds: int):
        super().__init__(seconds)
        self.seconds = seconds


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    recovery_codes: list[str]  # shown once, in the response; only their hashes are stored


@transaction.atomic
def second_factor_enrol(*, user: AbstractBaseUser, key: str, step: int) -> Enrolment:
    """Makes the authenticator app with this secret the user's second factor (replacing an earlier one), with a
    new set of recovery codes. step: the time step of the code that confirmed it, which cannot be used again."""
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user,
        name=AUTHENTICATOR_NAME,
        key=key,
        step=TOTP_STEP_SECONDS,
        digits=TOTP_DIGITS,
        confirmed=True,
        last_t=step,
    )
    return Enrolment(device, _recovery_codes_new(user))


@transaction.atomic
def recovery_codes_renew(*, user: AbstractBaseUser) -> list[str]:
    """A new set of recovery codes; the earlier ones stop working."""
    return _recovery_codes_new(user)


def _recovery_codes_new(user) -> list[str]:
    RecoveryCodes.objects.filter(user=user).delete()
    device = RecoveryCodes.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [recovery_code_new() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, digest=recovery_code_digest(c)) for c in codes
    )
    return codes


@transaction.atomic
def second_factor_verify(*, user: AbstractBaseUser, code: str) -> Device | None:
    """The device that accepts the code (six digits: the authenticator app, else a recovery code, which is used
    up), or None. A wrong code slows the next tries of that device down (1, 2, 4, 8 … seconds)."""
    model = TOTPDevice if is_totp_code(code) else RecoveryCodes
    device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None:
        return None
    allowed, info = device.verify_is_allowed()
    if not allowed:
        remaining = (info["locked_until"] - timezone.now()).total_seconds()
        raise SecondFactorThrottled(max(1, math.ceil(remaining)))
    return device if device.verify_token(normalised(code)) else None


@transaction.atomic
def second_factor_reset(*, user: AbstractBaseUser) -> bool:
    """Removes the user's authenticator app and recovery codes (a lost phone): at the next sign-in, or the
    next request of a running session, they set up a new one. False when there was nothing to remove."""
    had = TOTPDevice.objects.filter(user=user).exists() or RecoveryCodes.objects.filter(user=user).exists()
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCodes.objects.filter(user=user).delete()
    return had
