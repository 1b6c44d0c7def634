from django import forms
from django.utils.translation import gettext_lazy as _

from roadmap.models import Roadmap, RoadmapItem
from roadmap.planning import MAX_CAPACITY, MAX_HORIZON
from roadmap.quarters import Quarter
from standortbestimmung.models import FIELD_CHOICES, LEVEL_CHOICES
from standortbestimmung.scoring import Level, Profile

LATER = "later"
OUT_OF_DATE = _("This page is out of date. Please reload it and try again.")


def quarter_choices(quarters: list[Quarter]) -> list[tuple[str, str]]:
    return [(q.code, str(q)) for q in quarters]


def _quarter_or_later(value: str) -> Quarter | None:
    return None if value == LATER else Quarter.parse(value)


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


class TargetFieldsMixin:
    """A target level per field, never below the field's level today (the company's, or one unit's)."""

    def add_target_fields(self, profile: Profile) -> None:
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

    def targets(self) -> dict[str, int]:
        return {r.field.value: self.cleaned_data[f"target_{r.field.value}"] for r in self.results}


class SettingsForm(TargetFieldsMixin, RevisionForm):
    start = forms.ChoiceField(label=_("First quarter"))
    horizon = forms.IntegerField(label=_("Quarters"), min_value=1, max_value=MAX_HORIZON)
    capacity = forms.IntegerField(label=_("Measures per quarter"), min_value=1, max_value=MAX_CAPACITY)
    capacity_in_points = forms.BooleanField(
        label=_("Count capacity in effort points (S = 1, M = 2, L = 3)"), required=False
    )

    def __init__(self, *args, roadmap: Roadmap, profile: Profile, **kwargs):
        kwargs.setdefault("auto_id", "settings_%s")  # the page has several forms with a revision field
        super().__init__(*args, **kwargs)
        first = roadmap.start + -2
        self.fields["start"].choices = quarter_choices([first + i for i in range(12)])
        self.add_target_fields(profile)

    @classmethod
    def for_roadmap(cls, roadmap: Roadmap, profile: Profile) -> "SettingsForm":
        """The form filled with the roadmap's settings as they are."""
        return cls(
            roadmap=roadmap,
            profile=profile,
            initial={
                "revision": roadmap.revision,
                "start": roadmap.start.code,
                "horizon": roadmap.horizon,
                "capacity": roadmap.capacity,
                "capacity_in_points": roadmap.capacity_in_points,
                **{f"target_{code}": level for code, level in roadmap.targets.items()},
            },
        )

    def clean_start(self):
        return Quarter.parse(self.cleaned_data["start"])


class ItemForm(RevisionForm):
    when = forms.ChoiceField(label=_("Quarter"))
    status = forms.ChoiceField(label=_("Status"), choices=RoadmapItem.Status.choices)
    progress = forms.IntegerField(label=_("Progress in %"), min_value=0, max_value=100, required=False)
    owner = forms.CharField(label=_("Responsible"), max_length=200, required=False)
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, roadmap: Roadmap, item: RoadmapItem, **kwargs):
        super().__init__(*args, **kwargs)
        quarters = roadmap.quarters()
        if item.when and item.when not in quarters:  # an item moved outside the frame keeps its quarter
            quarters = sorted([*quarters, item.when])
        self.fields["when"].choices = [*quarter_choices(quarters), (LATER, _("later"))]

    @classmethod
    def for_item(cls, item: RoadmapItem) -> "ItemForm":
        """The review form of one item, filled with where it stands."""
        return cls(
            roadmap=item.roadmap,
            item=item,
            prefix=f"item{item.pk}",
            initial={
                "revision": item.roadmap.revision,
                "when": item.when.code if item.when else LATER,
                "status": item.status,
                "progress": item.progress,
                "owner": item.owner,
                "note": item.note,
            },
        )

    def clean_when(self):
        return _quarter_or_later(self.cleaned_data["when"])


class CustomItemForm(RevisionForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    field = forms.ChoiceField(label=_("Field"), choices=FIELD_CHOICES)
    when = forms.ChoiceField(label=_("Quarter"))

    def __init__(self, *args, roadmap: Roadmap, **kwargs):
        kwargs.setdefault("auto_id", "custom_%s")
        super().__init__(*args, **kwargs)
        self.fields["when"].choices = [*quarter_choices(roadmap.quarters()), (LATER, _("later"))]

    def clean_when(self):
        return _quarter_or_later(self.cleaned_data["when"])


class UnitTargetsForm(TargetFieldsMixin, forms.Form):
    """The target level per field of one business unit (never below the unit's level today)."""

    def __init__(self, *args, profile: Profile, **kwargs):
        kwargs.setdefault("auto_id", "unit_%s")
        super().__init__(*args, **kwargs)
        self.add_target_fields(profile)
