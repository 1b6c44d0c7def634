"""The PDF report: HTML rendered by WeasyPrint, cached until anything it shows changes."""

import base64
import hashlib
import json
import mimetypes
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connection
from django.template.loader import render_to_string
from django.utils import timezone, translation

from roadmap.models import Report, Roadmap, RoadmapItem
from roadmap.quarters import Quarter
from roadmap.report import SECTIONS, report_context
from standortbestimmung.models import Answer, ConsensusAnswer, Participant, Segment, ValidatedAnswer
from standortbestimmung.result import previous_assessment

# Relative URLs in the report resolve against this address; the fetcher maps it onto our static files.
BASE_URL = "https://report.invalid/"
STATIC_PREFIX = BASE_URL + settings.STATIC_URL.lstrip("/")
TEMPLATE = "roadmap/report.html"
SVG_FONT = "Report Sans, DejaVu Sans, sans-serif"  # the document's CSS does not reach into inline SVG
STYLESHEET = "css/report.css"

_lock = threading.Lock()  # one render at a time per process: WeasyPrint's font configuration is shared


@cache
def _weasyprint():
    """WeasyPrint, one font configuration and one URL fetcher, made once per process (the import is slow)."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesOnly(URLFetcher):
        """Serves data: URLs and our own static files; refuses everything else (network, local files)."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith(STATIC_PREFIX):
                try:
                    path = finders.find(unquote(url[len(STATIC_PREFIX) :].split("?")[0]))
                except Exception:  # noqa: BLE001 - a traversal attempt is just not found
                    path = None
                if path:
                    kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
                    return URLFetcherResponse(
                        url, body=Path(path).read_bytes(), headers={"Content-Type": kind}
                    )
            raise ValueError(f"The report fetches only its own static files, not {url[:100]}")

    return weasyprint, FontConfiguration(), StaticFilesOnly()


def render_pdf(assessment, language: str, *, for_owner: bool, participant=None) -> bytes:
    """Renders the report of an assessment in a language (for_owner, participant: see report_context)."""
    with translation.override(language):
        html = render_to_string(
            TEMPLATE,
            {
                **report_context(assessment, for_owner=for_owner, participant=participant),
                "logo": _logo(),
                "lang": language,
                "stylesheet": STATIC_PREFIX + STYLESHEET,
                "svg_font": SVG_FONT,
            },
        )
    weasyprint, fonts, fetcher = _weasyprint()
    with _lock:
        document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
        return document.write_pdf(font_config=fonts, pdf_variant="pdf/ua-1")


@dataclass(frozen=True)
class RenderedReport:
    pdf: bytes
    digest: str  # of everything the PDF shows; the download's ETag


def cached_report(assessment, language: str, *, for_owner: bool, digest: str) -> RenderedReport | None:
    """The cached report if it shows exactly what the digest describes, else None (a render is due)."""
    cached = (
        Report.objects.filter(assessment=assessment, language=language, for_owner=for_owner, digest=digest)
        .only("pdf")
        .first()
    )
    return RenderedReport(bytes(cached.pdf), digest) if cached is not None else None


def report_pdf(
    assessment, language: str, *, for_owner: bool, participant=None, digest: str | None = None
) -> RenderedReport:
    """The report: from the cache when nothing it shows has changed, else rendered anew (and cached)."""
    digest = digest or report_digest(assessment, language, for_owner=for_owner, participant=participant)
    cached = cached_report(assessment, language, for_owner=for_owner, digest=digest)
    if cached is not None:
        return cached
    pdf = render_pdf(assessment, language, for_owner=for_owner, participant=participant)
    Report.objects.update_or_create(
        assessment=assessment,
        language=language,
        for_owner=for_owner,
        defaults={"digest": digest, "pdf": pdf},
    )
    return RenderedReport(pdf, digest)


def report_digest(assessment, language: str, *, for_owner: bool, participant=None) -> str:
    """A hash of everything the report shows: answers, assessment, roadmap, branding, language, layout, whose
    copy it is, and in the consultant's copy the previous assessment it compares with.

    Rows are summarised by count and last change (every write of an answer, consensus or roadmap item
    updates its updated_at), so the check is one query per assessment, whatever the number of answers.
    """
    previous = previous_assessment(assessment) if for_owner else None
    state = {
        "assessment": [
            assessment.organisation,
            assessment.version_id,
            assessment.status,
            assessment.kind,
            assessment.counting,
            assessment.min_group_size,
            assessment.questions_per_field,
        ],
        "public_base_url": settings.PUBLIC_BASE_URL,  # the contact link in a respondent's copy
        "rows": _row_stamps(assessment.pk),
        "previous": [previous.pk, _row_stamps(previous.pk)] if previous else None,
        "branding": settings.BRANDING,
        "consultant": settings.CONSULTANT,
        "language": language,
        "for_owner": for_owner,
        "participant": participant.pk if participant is not None else None,
        "layout": _layout_fingerprint(),
        "sections": {name: section.stamp(assessment) for name, section in SECTIONS.items()},
        "quarter": Quarter.containing(timezone.localdate()).code,  # the burn-up counts progress up to today
    }
    return hashlib.sha256(json.dumps(state, sort_keys=True, default=str).encode()).hexdigest()


def _row_stamps(assessment_id: int) -> list:
    """Count and last change of the rows the report is built from: answers of active participants (their
    confidence too), consensus answers, roadmap items, active participants (last finish, last change of unit or
    role), units and roles, validated answers, and the roadmap's state. Plain SQL: the same statement through
    the ORM took longer to compile than to run, and this check is all a cached download costs."""
    tables = {
        "answer": Answer._meta.db_table,
        "participant": Participant._meta.db_table,
        "consensus": ConsensusAnswer._meta.db_table,
        "item": RoadmapItem._meta.db_table,
        "roadmap": Roadmap._meta.db_table,
        "segment": Segment._meta.db_table,
        "validated": ValidatedAnswer._meta.db_table,
    }
    answers = (
        "FROM {answer} a JOIN {participant} p ON a.participant_id = p.id "
        "WHERE p.assessment_id = %s AND p.revoked_at IS NULL"
    )
    consensus = "FROM {consensus} c WHERE c.assessment_id = %s"
    items = "FROM {item} i JOIN {roadmap} r ON i.roadmap_id = r.id WHERE r.assessment_id = %s"
    people = "FROM {participant} p WHERE p.assessment_id = %s AND p.revoked_at IS NULL"
    plan = "FROM {roadmap} r WHERE r.assessment_id = %s"
    groups = "FROM {segment} s WHERE s.assessment_id = %s"
    checked = "FROM {validated} v WHERE v.assessment_id = %s"
    parts = [
        f"(SELECT COUNT(*) {answers}), (SELECT MAX(a.updated_at) {answers})",
        f"(SELECT COUNT(*) {consensus}), (SELECT MAX(c.updated_at) {consensus})",
        f"(SELECT COUNT(*) {items}), (SELECT MAX(i.updated_at) {items})",
        f"(SELECT COUNT(*) {people}), (SELECT MAX(p.finished_at) {people}), (SELECT MAX(p.placed_at) {people})",
        f"(SELECT COUNT(*) {groups}), (SELECT MAX(s.updated_at) {groups})",
        f"(SELECT COUNT(*) {checked}), (SELECT MAX(v.created_at) {checked})",
        *(f"(SELECT r.{column} {plan})" for column in ROADMAP_STATE),
    ]
    with connection.cursor() as cursor:
        cursor.execute(  # nosec B608 - table and column names come from the models, values are parameters
            ("SELECT " + ", ".join(parts)).format(**tables), [assessment_id] * (13 + len(ROADMAP_STATE))
        )
        return list(cursor.fetchone())


# The roadmap's settings the report shows, and its revision (raised by every change of the plan); last, so
# that a missing roadmap reads as None at the end.
ROADMAP_STATE = ("targets", "start_year", "start_quarter", "horizon", "updated_at", "revision")


@cache
def _layout_fingerprint() -> str:
    """Changes with the report's templates, includes, stylesheet, fonts or translations (a new release), so PDFs
    cached by an older release are not served."""
    root = Path(settings.BASE_DIR)
    files = sorted(
        [
            *(root / "templates" / "roadmap").rglob("*.html"),
            *(root / "templates" / "includes").rglob("*.html"),
            *(root / "templates" / "market" / "includes").rglob("*.html"),
            *(root / "locale").rglob("*.mo"),
            *(root / "static" / "fonts").glob("*.ttf"),
            Path(finders.find(STYLESHEET)),
        ]
    )
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def _logo() -> str:
    """The consultancy's logo as a data: URL (the fetcher serves no other files)."""
    path = settings.BRANDING["logo_file"]
    if not path:
        return ""
    kind = "image/svg+xml" if path.lower().endswith(".svg") else "image/png"
    return f"data:{kind};base64,{base64.b64encode(Path(path).read_bytes()).decode()}"
