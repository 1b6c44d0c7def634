"""The measures catalogue in the database: the published one, its specs for the planner, its validation."""

from roadmap.catalogue import MeasureSpec, catalogue_problems
from roadmap.models import Catalogue
from standortbestimmung.models import Question

_specs_cache: dict[int, list[MeasureSpec]] = {}


def current_catalogue() -> Catalogue | None:
    """The newest published catalogue: the one new roadmaps are planned with."""
    return Catalogue.objects.filter(status=Catalogue.Status.PUBLISHED).order_by("-number").first()


def catalogue_specs(catalogue: Catalogue) -> list[MeasureSpec]:
    """The measures of a catalogue as the planner sees them; cached, a published catalogue never changes."""
    if catalogue.status == Catalogue.Status.DRAFT:
        return [m.spec() for m in catalogue.measures.all()]
    if catalogue.pk not in _specs_cache:
        _specs_cache[catalogue.pk] = [m.spec() for m in catalogue.measures.all()]
    return _specs_cache[catalogue.pk]


def catalogue_problems_all() -> list[str]:
    """Problems of every non-draft catalogue, checked against every question code that exists."""
    question_codes = set(Question.objects.values_list("code", flat=True))
    problems = []
    for catalogue in Catalogue.objects.exclude(status=Catalogue.Status.DRAFT).prefetch_related("measures"):
        specs = [m.spec() for m in catalogue.measures.all()]
        problems += [f"v{catalogue.number}: {p}" for p in catalogue_problems(specs, question_codes)]
    return problems


def clear_cache() -> None:
    _specs_cache.clear()
