"""The report and the exchange format as downloads, for the respondent's and the consultant's pages."""

from django.http import HttpResponse, HttpResponseNotModified
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cjm_assess.http import PRIVATE_CACHE_CONTROL, bad_request, too_many
from cjm_assess.ratelimit import RENDERS_PER_ADDRESS, RENDERS_PER_PERSON
from cjm_assess.security import client_ip, security_event
from cjm_assess.translation import LANGUAGE_CODES
from roadmap import exchange, pdf


def pdf_response(request, assessment, *, for_owner: bool, participant=None) -> HttpResponse:
    """The report as a download, with the digest of what it shows as ETag (304 when the reader has it).

    participant: the respondent whose copy it is (built from their own answers only). A report that is not in
    the cache costs a render, which is limited per person and per address; cached ones are free.
    """
    language = request.GET.get("lang") or assessment.language
    if language not in LANGUAGE_CODES:
        return bad_request(request, _("This language is not available."))
    digest = pdf.report_digest(assessment, language, for_owner=for_owner, participant=participant)
    etag = f'"{digest}"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified(headers={"ETag": etag})
    rendered = pdf.cached_report(assessment, language, for_owner=for_owner, digest=digest)
    if rendered is None:
        if _renders_refused(request, participant):
            return too_many(
                request,
                _(
                    "Many reports were created here in the last hour. Please wait a while before you create "
                    "a new one; reports you downloaded before stay available."
                ),
            )
        rendered = pdf.report_pdf(
            assessment, language, for_owner=for_owner, participant=participant, digest=digest
        )
    name = slugify(assessment.organisation)[:60] or "report"
    response = HttpResponse(rendered.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="CJM-Standortbestimmung-{name}-{language}.pdf"'
    response["ETag"] = etag
    response["Cache-Control"] = PRIVATE_CACHE_CONTROL
    return response


def _renders_refused(request, participant) -> bool:
    """Counts a fresh render for the person (the participant, else the signed-in user) and the address."""
    if participant is not None:
        person = f"participant:{participant.pk}"
    elif request.user.is_authenticated:
        person = f"user:{request.user.pk}"
    else:
        person = "anonymous"
    over_person = RENDERS_PER_PERSON.hit(person)
    over_address = RENDERS_PER_ADDRESS.hit(client_ip(request))
    if over_person or over_address:
        security_event(request, "rate_limited", what="report_renders")
    return over_person or over_address


def export_response(assessment, kind: str, *, participant=None) -> HttpResponse:
    """The assessment in the exchange format (JSON) or its answers as CSV, as a download (participant: a
    respondent's own download, with nobody else's answers, names or e-mail addresses)."""
    name = slugify(assessment.organisation)[:60] or "assessment"
    if kind == "json":
        response = HttpResponse(
            exchange.export_json(assessment, participant=participant),
            content_type="application/json; charset=utf-8",
        )
    else:
        response = HttpResponse(
            exchange.export_csv(assessment, participant=participant), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="CJM-Standortbestimmung-{name}.{kind}"'
    response["Cache-Control"] = PRIVATE_CACHE_CONTROL
    return response
