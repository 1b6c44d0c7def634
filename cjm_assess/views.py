import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@require_GET
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


@require_GET
def impressum(request):
    return render(request, "pages/impressum.html")


@require_GET
def datenschutz(request):
    return render(
        request, "pages/datenschutz.html", {"retention_months": settings.SELF_ASSESSMENT_RETENTION_MONTHS}
    )


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    return render(request, "errors/500.html", status=500)
