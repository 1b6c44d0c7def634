import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from cjm_assess.http import bad_request
from roadmap.examples import EXAMPLE_LEVELS, example_plan
from roadmap.measures import catalogue_specs, current_catalogue
from roadmap.planning import FOUNDATIONS
from standortbestimmung import scoring
from standortbestimmung.questionnaire import questionnaire_for
from standortbestimmung.scoring import FieldCode, Level
from standortbestimmung.versions import current_version

logger = logging.getLogger(__name__)

# The worked example on the methodology page: seven answers of one field, scored by the real rule.
EXAMPLE_ANSWERS = {
    "journeys.1": Level.BUILD,
    "journeys.2": Level.ADOPT,
    "journeys.3": Level.BUILD,
    "journeys.4": Level.COMMIT,
    "journeys.5": Level.BUILD,
    "journeys.6": None,
    "journeys.7": Level.BUILD,
}


@require_safe
def home(request):
    return render(request, "pages/home.html", {"version": current_version()})


@require_safe
def methodology(request):
    example = scoring.score_field(FieldCode.JOURNEYS, list(EXAMPLE_ANSWERS), EXAMPLE_ANSWERS)
    version = current_version()
    questionnaire = questionnaire_for(version) if version else None
    return render(
        request,
        "pages/methodology.html",
        {
            "example": example,
            "example_answers": list(EXAMPLE_ANSWERS.items()),
            "fields": questionnaire.fields if questionnaire else [],
            "min_count": scoring.MIN_COUNT,
            "version": version,
            "foundations": [
                (level, [questionnaire.field_names()[f.value] for f in fields])
                for level, fields in FOUNDATIONS.items()
            ]
            if questionnaire
            else [],
            "examples": _example_plans(questionnaire),
        },
    )


def _example_plans(questionnaire) -> list[dict]:
    """The method's example companies, planned with the published questionnaire and catalogue: their levels,
    focus and first two quarters, as the methodology page shows them."""
    catalogue = current_catalogue()
    if questionnaire is None or catalogue is None:
        return []
    names = questionnaire.field_names()
    specs = catalogue_specs(catalogue)
    titles = {m.code: m.title for m in catalogue.measures.all()}
    examples = []
    for name in EXAMPLE_LEVELS:
        example = example_plan(name, questionnaire.structure(), specs)
        examples.append(
            {
                "name": name,
                "overall": example.overall,
                "levels": [(names[f.value], level) for f, level in example.levels.items()],
                "focus": [names[f.value] for f in example.plan.focus],
                "quarters": [
                    (
                        q.quarter,
                        [(titles[p.measure.code], names[p.measure.field.value]) for p in q.placements],
                    )
                    for q in example.plan.quarters[:2]
                ],
            }
        )
    return examples


@require_safe
@never_cache
def healthz(request):
    """Liveness and readiness in one: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("health check: database unreachable")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def trivial(request):
    """The benchmark baseline (only routed with BENCHMARK_VIEWS): no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def impressum(request):
    return render(request, "pages/impressum.html")


@require_safe
def datenschutz(request):
    return render(
        request,
        "pages/datenschutz.html",
        {
            "retention_months": settings.SELF_ASSESSMENT_RETENTION_MONTHS,
            "share_days": settings.SHARE_LINK_DAYS,
        },
    )


def handle_bad_request(request, exception=None):
    if isinstance(exception, TooManyFilesSent):
        return bad_request(request, _("This page takes no files."))
    if isinstance(exception, RequestDataTooBig):
        return bad_request(request, _("The request is too large."))
    return bad_request(request)


def handle_permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def handle_page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def handle_server_error(request):
    return render(request, "errors/500.html", status=500)
