from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy

from standortbestimmung.forms import clean_text, inline_helper
from standortbestimmung.models import Client


class ClientForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = ["name", "contact_name", "contact_email", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = inline_helper()

    def clean_name(self):
        return clean_text(self.cleaned_data["name"])

    def clean_contact_name(self):
        return clean_text(self.cleaned_data["contact_name"])


class InviteForm(forms.Form):
    """A participant: with an e-mail address the invitation is mailed, without it the link is shown once."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    email = forms.EmailField(label=gettext_lazy("E-mail (optional)"), required=False, max_length=254)
    # the language of the mails to the participant; an old form without the field means the assessment's
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=settings.LANGUAGES, required=False)

    def clean_name(self):
        return clean_text(self.cleaned_data["name"])


class ClaimForm(forms.Form):
    link = forms.CharField(
        label=gettext_lazy("Personal link of the self-assessment"),
        max_length=500,
        help_text=gettext_lazy("The respondent's link to continue, e.g. https://…/r/…/"),
    )


class ConfirmDeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("Yes, delete it with all answers, participants, roadmap and reports."),
        required=True,
    )
