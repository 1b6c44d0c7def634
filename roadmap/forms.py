from django import forms
from django.utils.translation import gettext_lazy as _

from roadmap.models import Roadmap, RoadmapItem
from roadmap.planning import MAX_HORIZON, Quarter
from standortbestimmung.models import FIELD_CHOICES, LEVEL_CHOICES
from standortbestimmung.scoring import Level

LATER = "later"


def quarter_choices(roadmap: Roadmap, extra: Quarter | None = None) -> list[tuple[str, str]]:
    quarters = roadmap.quarters()
    if extra and extra not in quarters:
        quarters = sorted([*quarters, extra])
    return [(f"{q.year}-{q.number}", str(q)) for q in quarters] + [(LATER, _("later"))]


def parse_quarter(value: str) -> Quarter | None:
    if value == LATER:
        return None
    year, number = value.split("-")
    return Quarter(int(year), int(number))


OUT_OF_DATE = _("This page is out of date. Please reload it and try again.")


class RevisionForm(forms.Form):
    revision = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        max_value=2**31,
        error_messages={
            "required": OUT_OF_DATE,
            "invalid": OUT_OF_DATE,
            "min_value": OUT_OF_DATE,
            "max_value": OUT_OF_DATE,
        },
    )


class SettingsForm(RevisionForm):
    start = forms.ChoiceField(label=_("First quarter"))
    horizon = forms.IntegerField(label=_("Quarters"), min_value=1, max_value=MAX_HORIZON)
    capacity = forms.IntegerField(label=_("Measures per quarter"), min_value=1, max_value=12)
    capacity_in_points = forms.BooleanField(
        label=_("Count capacity in effort points (S = 1, M = 2, L = 3)"), required=False
    )

    def __init__(self, *args, roadmap: Roadmap, profile, **kwargs):
        super().__init__(*args, **kwargs)
        first = roadmap.start + -2
        self.fields["start"].choices = [
            (f"{q.year}-{q.number}", str(q)) for q in (first + i for i in range(12))
        ]
        self.results = list(profile.fields)
        for result in self.results:
            current = int(result.level or Level.UNAWARE)
            self.fields[f"target_{result.field.value}"] = forms.TypedChoiceField(
                label=result.field.value.capitalize(),
                choices=[(value, label) for value, label in LEVEL_CHOICES if value >= current],
                coerce=int,
            )

    def target_fields(self):
        return [(result, self[f"target_{result.field.value}"]) for result in self.results]

    def clean_start(self):
        return parse_quarter(self.cleaned_data["start"])

    def targets(self) -> dict[str, int]:
        return {r.field.value: self.cleaned_data[f"target_{r.field.value}"] for r in self.results}


class ItemForm(RevisionForm):
    when = forms.ChoiceField(label=_("Quarter"))
    status = forms.ChoiceField(label=_("Status"), choices=RoadmapItem.Status.choices)
    owner = forms.CharField(label=_("Responsible"), max_length=200, required=False)
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, roadmap: Roadmap, item: RoadmapItem | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["when"].choices = quarter_choices(roadmap, item.when if item else None)

    def clean_when(self):
        return parse_quarter(self.cleaned_data["when"])


class CustomItemForm(RevisionForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    field = forms.ChoiceField(label=_("Field"), choices=FIELD_CHOICES)
    when = forms.ChoiceField(label=_("Quarter"))

    def __init__(self, *args, roadmap: Roadmap, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["when"].choices = quarter_choices(roadmap)

    def clean_when(self):
        return parse_quarter(self.cleaned_data["when"])
