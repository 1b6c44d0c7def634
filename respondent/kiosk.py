"""The kiosk: a tablet on an event stand runs the short version of the self-assessment for one visitor after
another.

Starting and ending clear the browser's session, a script ends it after KIOSK_IDLE_SECONDS without input, and
nothing is downloaded or remembered on the device: the result leaves by e-mail or by QR code on the visitor's
own phone. The short version is the first KIOSK_QUESTIONS_PER_FIELD questions of each field, scored by the
usual rule, and labelled as an indicative result everywhere it is shown.
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_http_methods, require_POST

from cjm_assess.http import private
from respondent import services
from standortbestimmung import access
from standortbestimmung.versions import current_version

SESSION_KEY = "kiosk"


def kiosk_mode(request) -> dict:
    """Tells the templates whether this browser is a kiosk (base.html then shows the kiosk bar and its timer);
    a browser without a session cookie is not, and is not given a session for asking."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return {"kiosk": False}
    return {
        "kiosk": bool(request.session.get(SESSION_KEY)),
        "kiosk_idle_seconds": settings.KIOSK_IDLE_SECONDS,
    }


@private
@require_http_methods(["GET", "POST"])
def start(request):
    """The kiosk's start page; starting clears whatever the browser held and begins a short self-assessment."""
    version = current_version()
    if version is None:
        raise Http404
    if request.method == "POST":
        request.session.flush()  # nothing of the previous visitor survives, not even a consultant's login
        link = services.self_assessment_start(
            version=version,
            language=translation.get_language(),
            questions_per_field=settings.KIOSK_QUESTIONS_PER_FIELD,
        )
        access.session_grant(request, link.participant)
        request.session[SESSION_KEY] = True
        return redirect("respondent:continue", key=link.participant.key)
    per_field = settings.KIOSK_QUESTIONS_PER_FIELD
    return render(
        request,
        "respondent/kiosk.html",
        {"per_field": per_field, "questions": 6 * per_field, "minutes": max(2, round(6 * per_field * 0.25))},
    )


@private
@require_POST
def end(request):
    """Ends the visit (the button, or the timer after KIOSK_IDLE_SECONDS): the session is deleted."""
    request.session.flush()
    return redirect("respondent:kiosk")
