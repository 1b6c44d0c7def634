"""The few forms of a live workshop: the join code, the name, starting a session."""

from django import forms
from django.utils.translation import gettext_lazy as _

from standortbestimmung.forms import clean_text

NAME_MAX = 60


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=24)


class JoinForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=NAME_MAX, required=False)

    def __init__(self, *args, allow_anonymous: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.allow_anonymous = allow_anonymous
        self.fields["name"].required = not allow_anonymous
        if allow_anonymous:
            self.fields["name"].label = _("Your name (optional)")

    def clean_name(self) -> str:
        return clean_text(self.cleaned_data["name"])
