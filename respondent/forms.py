import re

from crispy_forms.layout import Field, Fieldset, Layout
from django import forms
from django.conf import settings
from django.utils.translation import gettext, gettext_lazy

from market.forms import ProfileFields
from standortbestimmung.forms import clean_text, inline_helper


class StartForm(ProfileFields):
    organisation = forms.CharField(
        label=gettext_lazy("Organisation"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Optional. Appears on the result and in the report."),
    )
    respondent_name = forms.CharField(
        label=gettext_lazy("Your name"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Optional."),
    )
    language = forms.ChoiceField(label=gettext_lazy("Language of the assessment"), choices=settings.LANGUAGES)

    field_order = ["organisation", "respondent_name", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = inline_helper()
        self.helper.layout = Layout(
            "organisation",
            "respondent_name",
            "language",
            Fieldset(
                gettext_lazy("Comparison with other organisations (optional)"),
                "industry",
                "size",
                "region",
                "benchmark_consent",
                css_class="benchmark-fields",
            ),
        )

    def clean_organisation(self):
        return clean_text(self.cleaned_data["organisation"])

    def clean_respondent_name(self):
        return clean_text(self.cleaned_data["respondent_name"])


PHONE = re.compile(r"^[0-9+()/. -]{5,40}$")


def consent_text(consultant: str) -> str:
    """The sentence a person agrees to when asking for a conversation (stored with the request)."""
    return gettext(
        "I agree that %(consultant)s sees this assessment (answers, result and roadmap) and my details, to "
        "contact me about it. I can withdraw this at any time with the link in the confirmation e-mail."
    ) % {"consultant": consultant or gettext("the consultant")}


class ContactForm(forms.Form):
    """A request for a conversation: who, how to reach them, and the explicit consent to share the assessment.
    `website` is a trap for bots: people do not see it, so it stays empty."""

    name = forms.CharField(label=gettext_lazy("Your name"), max_length=200)
    email = forms.EmailField(label=gettext_lazy("Your e-mail"), max_length=254)
    phone = forms.CharField(label=gettext_lazy("Phone (optional)"), max_length=40, required=False)
    organisation = forms.CharField(
        label=gettext_lazy("Organisation (optional)"), max_length=200, required=False
    )
    message = forms.CharField(
        label=gettext_lazy("Message (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        required=True,
        error_messages={
            "required": gettext_lazy(
                "Without your consent the consultant cannot see your assessment, so no request was sent. "
                "Please tick the box if you agree."
            )
        },
    )
    website = forms.CharField(label=gettext_lazy("Leave this field empty"), required=False, max_length=200)

    # what browsers may fill in for the person; on the kiosk nothing (a shared device remembers no one)
    AUTOCOMPLETE = {"name": "name", "email": "email", "phone": "tel", "organisation": "organization"}

    def __init__(self, *args, consultant: str = "", kiosk: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = consent_text(consultant)
        for name, hint in self.AUTOCOMPLETE.items():
            self.fields[name].widget.attrs["autocomplete"] = "off" if kiosk else hint
        self.helper = inline_helper()
        self.helper.layout = Layout(
            "name",
            "email",
            "phone",
            "organisation",
            "message",
            Field("website", wrapper_class="hp-field", tabindex="-1", autocomplete="off"),
            "consent",
        )

    def clean_name(self):
        return clean_text(self.cleaned_data["name"])

    def clean_organisation(self):
        return clean_text(self.cleaned_data["organisation"])

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(
                gettext("Please enter a phone number with digits and + ( ) / - only, or leave it empty.")
            )
        return phone

    def clean_message(self):
        message = self.cleaned_data["message"]
        if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in message):
            raise forms.ValidationError(gettext("Please remove control characters."))
        return message.strip()

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError(
                gettext(
                    "This request looks automated and was not sent. If you are a person, please leave the "
                    "field “Leave this field empty” empty and send again."
                )
            )
        return ""


class ReportMailForm(forms.Form):
    """Where to send the report (the kiosk: nothing is downloaded onto the shared device)."""

    email = forms.EmailField(label=gettext_lazy("Your e-mail"), max_length=254)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()
