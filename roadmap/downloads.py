"""The report and the exchange format as downloads, for the respondent's and the consultant's pages."""

from django.http import HttpResponse, HttpResponseNotModified
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cjm_assess.http import bad_request
from cjm_assess.translation import LANGUAGE_CODES
from roadmap import exchange, pdf


def pdf_response(request, assessment, *, for_owner: bool) -> HttpResponse:
    """The report as a download, with the digest of what it shows as ETag (304 when the reader has it)."""
    language = request.GET.get("lang") or assessment.language
    if language not in LANGUAGE_CODES:
        return bad_request(request, _("This language is not available."))
    digest = pdf.report_digest(assessment, language, for_owner=for_owner)
    etag = f'"{digest}"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified(headers={"ETag": etag})
    rendered = pdf.report_pdf(assessment, language, for_owner=for_owner, digest=digest)
    name = slugify(assessment.organisation)[:60] or "report"
    response = HttpResponse(rendered.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="CJM-Standortbestimmung-{name}-{language}.pdf"'
    response["ETag"] = etag
    return response


def export_response(assessment, kind: str) -> HttpResponse:
    """The assessment in the exchange format (JSON) or its answers as CSV, as a download."""
    name = slugify(assessment.organisation)[:60] or "assessment"
    if kind == "json":
        response = HttpResponse(
            exchange.export_json(assessment), content_type="application/json; charset=utf-8"
        )
    else:
        response = HttpResponse(exchange.export_csv(assessment), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="CJM-Standortbestimmung-{name}.{kind}"'
    return response
