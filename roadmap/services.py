from roadmap.models import Catalogue
from roadmap.planning import catalogue_problems
from standortbestimmung.models import Question


def catalogue_problems_all() -> list[str]:
    """Problems of every non-draft catalogue, checked against every question code that exists."""
    question_codes = set(Question.objects.values_list("code", flat=True))
    problems = []
    for catalogue in Catalogue.objects.exclude(status=Catalogue.Status.DRAFT).prefetch_related("measures"):
        specs = [m.spec() for m in catalogue.measures.all()]
        problems += [f"v{catalogue.number}: {p}" for p in catalogue_problems(specs, question_codes)]
    return problems
