from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.urls import include, path


def trivial(request):
    """The peer's floor: no database, no template, through the same middleware as the survey's pages."""
    return HttpResponse("ok", content_type="text/plain")


def healthz(request):
    """What bench/run.py's wrk() asks between runs to know the worker is idle."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("bench/trivial/", trivial),
    path("healthz", healthz),
    path("survey/", include("survey.urls")),
]
