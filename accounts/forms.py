import time

from django import forms
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.core import signing
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from accounts.codes import is_totp_key, totp_key_new, totp_step
from accounts.tasks import password_reset_mail

# How long the set-up page's secret stays valid: time to install an app and scan the code.
ENROL_MAX_AGE_SECONDS = 30 * 60


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=40,
        help_text=gettext_lazy("The six digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


class EnrolForm(forms.Form):
    """The code from the authenticator app that was just given the secret; the secret travels in the page,
    signed for this user, so showing the page writes nothing."""

    key = forms.CharField(widget=forms.HiddenInput)
    code = forms.CharField(
        label=gettext_lazy("Code from the app"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.salt = f"accounts.enrol:{user.pk}"
        self.step = None
        if not self.is_bound:
            self.initial["key"] = signing.dumps(totp_key_new(), salt=self.salt)

    @property
    def secret(self) -> str | None:
        """The secret the page shows: the posted one while its signature holds, else a new one."""
        raw = self.data.get("key") if self.is_bound else self.initial["key"]
        try:
            key = signing.loads(raw or "", salt=self.salt, max_age=ENROL_MAX_AGE_SECONDS)
        except signing.BadSignature:
            return None
        return key if isinstance(key, str) and is_totp_key(key) else None

    def clean_key(self) -> str:
        key = self.secret
        if key is None:
            raise forms.ValidationError(_("The set-up took too long. Please scan the new code."))
        return key

    def clean(self):
        data = super().clean()
        if "key" in data and "code" in data:
            self.step = totp_step(data["key"], data["code"], now=time.time())
            if self.step is None:
                self.add_error(
                    "code", _("This code does not match. Check the time on your phone and try again.")
                )
        return data


class PasswordResetForm(DjangoPasswordResetForm):
    """Queues the mail instead of sending it: the answer takes the same time whether or not the address
    belongs to an account. The mail, with its one-time link, is composed in the background task, so the
    link's token is never stored."""

    def save(self, **kwargs) -> None:
        password_reset_mail.enqueue(email=self.cleaned_data["email"], language=get_language())
