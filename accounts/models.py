"""A consultant's recovery codes: a django-otp device whose one-time codes are stored only as hashes.

(django-otp's own static device stores its codes readable; the authenticator app is django-otp's TOTPDevice.)
"""

from django.conf import settings
from django.db import models
from django_otp.models import Device, ThrottlingMixin

from accounts.codes import recovery_code_digest


class RecoveryCodes(ThrottlingMixin, Device):
    """The recovery codes of one user: each works once, when the authenticator app is not at hand."""

    class Meta(Device.Meta):
        verbose_name = "recovery codes"
        verbose_name_plural = "recovery codes"

    def verify_token(self, token) -> bool:
        """Uses up the code if it is one of the remaining ones; wrong codes slow further tries down."""
        allowed, _info = self.verify_is_allowed()
        if not allowed:
            return False
        used, _kinds = self.codes.filter(digest=recovery_code_digest(str(token))).delete()
        if used:
            self.throttle_reset()
            return True
        self.throttle_increment()
        return False

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_RECOVERY_THROTTLE_FACTOR", 1)

    @staticmethod
    def left_for(user) -> int:
        """How many recovery codes the user has not used yet."""
        return RecoveryCode.objects.filter(device__user=user).count()


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodes, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)  # SHA-256 of the normalised code

    class Meta:
        constraints = [models.UniqueConstraint(fields=["device", "digest"], name="one_code_once_per_device")]

    def __str__(self):
        return f"{self.digest[:8]}…"
