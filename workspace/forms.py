from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from market.forms import ProfileFields
from standortbestimmung.forms import clean_text, inline_helper
from standortbestimmung.grouping import Definition, segment_names
from standortbestimmung.models import MAX_GROUP_SIZE, Assessment, Client
from standortbestimmung.segments import MIN_PARTICIPANTS

# What a consultant usually names as roles in a workshop; offered for a client's first workshop.
ROLE_SUGGESTIONS = (
    gettext_lazy("Management"),
    gettext_lazy("Manager"),
    gettext_lazy("Staff with customer contact"),
    gettext_lazy("CX/UX team"),
)

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


class AssessmentSettingsForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=120, required=False)
    counting = forms.ChoiceField(
        label=gettext_lazy("Whose answers count"), choices=Assessment.Counting.choices
    )

    def clean_title(self):
        return clean_text(self.cleaned_data["title"])


class SegmentsForm(forms.Form):
    """A workshop's business units and roles (one name a line, in the order the pages show them) and the
    group size below which a unit's or role's result stays hidden."""

    units = forms.CharField(
        label=gettext_lazy("Business units or key journeys"),
        help_text=gettext_lazy("One per line, e.g. Sales, Service, Claims."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    roles = forms.CharField(
        label=gettext_lazy("Roles"),
        help_text=gettext_lazy("One per line."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    min_group_size = forms.IntegerField(
        label=gettext_lazy("Minimum group size"),
        help_text=gettext_lazy(
            "A unit or role shows its result only when at least this many of its participants answered, so "
            "that nobody's answers can be read off a small group (at least 2)."
        ),
        min_value=2,
        max_value=MAX_GROUP_SIZE,
        initial=MIN_PARTICIPANTS,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "segments_%s")
        super().__init__(*args, **kwargs)

    @classmethod
    def for_definition(
        cls, definition: Definition, *, suggest_roles: bool = False, **kwargs
    ) -> "SegmentsForm":
        """The form filled with these segments (with suggest_roles and no roles: the usual four roles)."""
        roles = definition.roles or (tuple(str(r) for r in ROLE_SUGGESTIONS) if suggest_roles else ())
        initial = {
            "units": "\n".join(definition.units),
            "roles": "\n".join(roles),
            "min_group_size": definition.min_group_size,
        }
        return cls(initial=initial, **kwargs)

    def _names(self, name: str) -> tuple[str, ...]:
        try:
            return segment_names(self.cleaned_data[name])
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None

    def clean_units(self):
        return self._names("units")

    def clean_roles(self):
        return self._names("roles")

    def definition(self) -> Definition:
        data = self.cleaned_data
        return Definition(
            units=data["units"],
            roles=data["roles"],
            min_group_size=data["min_group_size"] or MIN_PARTICIPANTS,
        )

    @classmethod
    def posted(cls, data) -> bool:
        """Whether a request carries the form at all (a bare "start" carries the previous segments over)."""
        return any(name in data for name in cls.base_fields)
