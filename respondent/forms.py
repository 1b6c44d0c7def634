from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy

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
