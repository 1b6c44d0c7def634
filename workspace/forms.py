from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.utils.translation import gettext_lazy

from market.forms import ProfileFields
from standortbestimmung.forms import clean_text, inline_helper
from standortbestimmung.models import Client

PROFILE_FIELDS = ["industry", "size", "region", "benchmark_consent"]


class ClientForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = ["name", "contact_name", "contact_email", "notes", *PROFILE_FIELDS]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = inline_helper()
        for (
            name,
            field,
        ) in ProfileFields().fields.items():  # the same choices, labels and help as at the start
            self.fields[name] = field
        self.fields["benchmark_consent"].label = gettext_lazy(
            "The client agrees that its anonymous results count in the benchmark."
        )
        self.fields["benchmark_consent"].help_text = gettext_lazy(
            "Ask the client first. Counted are the levels and scores of its finished assessments with sector, "
            "size and region, never names; you see your own clients' figures on the market page either way."
        )
        self.helper.layout = Layout(
            "name",
            "contact_name",
            "contact_email",
            "notes",
            Fieldset(gettext_lazy("Comparison with other organisations (optional)"), *PROFILE_FIELDS),
        )

    def clean_name(self):
        return clean_text(self.cleaned_data["name"])

    def clean_contact_name(self):
        return clean_text(self.cleaned_data["contact_name"])


class InviteForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    email = forms.EmailField(label=gettext_lazy("E-mail (optional)"), required=False, max_length=254)

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
