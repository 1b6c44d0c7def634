from django import forms
from django.conf import settings
from django.utils.translation import gettext, gettext_lazy

from market.benchmark import Filters
from roadmap.quarters import Quarter
from standortbestimmung.models import CompanySize, Industry, Region

MARKET, OWN = "market", "own"


NOT_GIVEN = ("", gettext_lazy("not specified"))


class ProfileFields(forms.Form):
    """What the peer benchmark compares by, all optional, and the consent to count in it, unticked."""

    industry = forms.ChoiceField(
        label=gettext_lazy("Sector"), choices=[NOT_GIVEN, *Industry.choices], required=False
    )
    size = forms.ChoiceField(
        label=gettext_lazy("Number of employees"), choices=[NOT_GIVEN, *CompanySize.choices], required=False
    )
    region = forms.ChoiceField(
        label=gettext_lazy("Region"), choices=[NOT_GIVEN, *Region.choices], required=False
    )
    benchmark_consent = forms.BooleanField(
        label=gettext_lazy("My anonymous result may count in the benchmark."), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["benchmark_consent"].help_text = gettext(
            "Optional, and you can withdraw it on the result page at any time. Counted are the levels and scores "
            "with sector, size and region, never your name or your organisation's, and only in groups of at "
            "least %(k)s organisations."
        ) % {"k": settings.BENCHMARK_K}


class MarketFilterForm(forms.Form):
    """The market view's menus (a GET form): whose figures, and which industry, size, region and quarter."""

    scope = forms.ChoiceField(
        label=gettext_lazy("Figures"),
        choices=[
            (MARKET, gettext_lazy("Benchmark (everyone)")),
            (OWN, gettext_lazy("Your clients")),
        ],
        required=False,
    )
    industry = forms.ChoiceField(
        label=gettext_lazy("Sector"),
        choices=[("", gettext_lazy("All sectors")), *Industry.choices],
        required=False,
    )
    size = forms.ChoiceField(
        label=gettext_lazy("Company size"),
        choices=[("", gettext_lazy("All sizes")), *CompanySize.choices],
        required=False,
    )
    region = forms.ChoiceField(
        label=gettext_lazy("Region"),
        choices=[("", gettext_lazy("All regions")), *Region.choices],
        required=False,
    )
    period = forms.ChoiceField(label=gettext_lazy("Quarter"), required=False)

    def __init__(self, *args, periods: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"
        self.fields["period"].choices = [
            ("", gettext_lazy("All quarters")),
            *((code, str(Quarter.parse(code))) for code in reversed(periods)),
        ]

    @property
    def own(self) -> bool:
        return self.is_bound and self.cleaned_data.get("scope") == OWN

    def filters(self) -> Filters:
        """The chosen filter combination (none for an unbound form)."""
        data = self.cleaned_data if self.is_bound else {}
        period = data.get("period") or None
        return Filters(
            industry=data.get("industry") or None,
            size=data.get("size") or None,
            region=data.get("region") or None,
            periods=(period, period) if period else None,
        )
