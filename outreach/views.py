"""Pages opened with a secret from outside: a read-only share link (result and PDF, no answers, no forms) and the
withdrawal link of a contact request. Unknown, revoked or expired secrets are a 404; too many of them from
one address a 429 (the same counter as for personal links)."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from cjm_assess.http import private, too_many
from cjm_assess.ratelimit import over_limit
from cjm_assess.security import client_ip, security_event
from outreach import access, services
from roadmap.downloads import pdf_response
from standortbestimmung.presentation import key_findings, radar_of
from standortbestimmung.result import assessment_result


def _found(request, token, lookup):
    """What the secret opens, counting a wrong one against the address (429 past the limit)."""
    key = f"bad-link:{client_ip(request)}"
    limits = {"limit": settings.BAD_LINKS_PER_IP_PER_HOUR, "window_seconds": 3600}
    if over_limit(key, count=False, **limits):
        security_event(request, "rate_limited", what="links")
        return None, too_many(request)
    found = lookup(token)
    if found is None:
        security_event(request, "bad_link")
        over_limit(key, **limits)
        raise Http404
    return found, None


@private
@require_GET
def shared(request, token):
    """The result as a reader of a share link sees it: levels, radar, findings, and the PDF."""
    link, refused = _found(request, token, access.share_by_token)
    if refused:
        return refused
    result = assessment_result(link.assessment)
    response = render(
        request,
        "outreach/shared.html",
        {
            "assessment": link.assessment,
            "link": link,
            "token": token,
            "profile": result.profile,
            "radar": radar_of(result),
            "findings": key_findings(result),
            "cards": [
                {"field": result.questionnaire.field(r.field), "result": r} for r in result.profile.fields
            ],
        },
    )
    response["Referrer-Policy"] = "no-referrer"  # the secret is in this page's URL
    response["X-Robots-Tag"] = "noindex"
    return response


@private
@require_GET
def report(request, token):
    """The report of a shared result (the respondent's copy: this assessment only)."""
    link, refused = _found(request, token, access.share_by_token)
    if refused:
        return refused
    response = pdf_response(request, link.assessment, for_owner=False)
    response["Referrer-Policy"] = "no-referrer"
    return response


@private
@require_http_methods(["GET", "POST"])
def withdraw(request, token):
    """Withdrawing the consent of a contact request: a GET asks, a POST does it."""
    lead, refused = _found(request, token, access.lead_by_withdraw_token)
    if refused:
        return refused
    if request.method == "POST":
        services.lead_withdraw(lead=lead)
        return render(request, "outreach/withdrawn.html")
    return render(request, "outreach/withdraw.html", {"lead": lead})
