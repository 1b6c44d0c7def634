"""The report's background work: a report is rendered when what it shows has changed (an assessment finished,
its roadmap planned or edited), so that the click on "Download PDF" is a cache hit instead of a render."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import task, task_backends
from django.utils import timezone

from roadmap import pdf
from roadmap.models import Roadmap
from standortbestimmung.access import respondent_of
from standortbestimmung.models import Assessment, Participant

# Changes come in bursts (a consultant editing the roadmap, a room answering): waiting a little renders the
# state after the burst once; the renders of earlier tasks find it in the cache and stop after a digest check.
SETTLE = timedelta(seconds=5)


def report_copies(assessment: Assessment) -> list[tuple[bool, Participant | None]]:
    """The copies of the report somebody will download: the consultant's (for_owner) when the assessment has
    an owner, and the respondent's own copy of a self-assessment (built from their answers)."""
    copies: list[tuple[bool, Participant | None]] = []
    if assessment.owner_id:
        copies.append((True, None))
    respondent = respondent_of(assessment)
    if respondent is not None and respondent.finished_at is not None:
        copies.append((False, respondent))
    return copies


@task()
def report_prerender(assessment_id: int, settle_seconds: float = 0) -> int:
    """Renders the copies of the assessment's report (in its language) that the cache does not hold for its
    current state; returns how many were rendered (0: deleted meanwhile, all of them cached already, or
    changed again within settle_seconds, whose change queued a task of its own that runs later)."""
    assessment = Assessment.objects.filter(pk=assessment_id).select_related("version").first()
    if assessment is None:
        return 0
    if settle_seconds:
        roadmap_changed = Roadmap.objects.filter(assessment=assessment).values_list("updated_at", flat=True)
        latest = max([assessment.updated_at, *roadmap_changed])
        if timezone.now() - latest < timedelta(seconds=settle_seconds):
            return 0
    rendered = 0
    for for_owner, participant in report_copies(assessment):
        digest = pdf.report_digest(
            assessment, assessment.language, for_owner=for_owner, participant=participant
        )
        if pdf.cached_report(assessment, assessment.language, for_owner=for_owner, digest=digest) is None:
            pdf.report_pdf(
                assessment, assessment.language, for_owner=for_owner, participant=participant, digest=digest
            )
            rendered += 1
    return rendered


def prerender_after_commit(assessment: Assessment) -> None:
    """Queues the report's render for when the current transaction has committed (REPORT_PRERENDER off: not)."""
    if not settings.REPORT_PRERENDER:
        return
    prerender, settle = report_prerender, 0.0
    if task_backends[prerender.backend].supports_defer:
        prerender, settle = prerender.using(run_after=timezone.now() + SETTLE), SETTLE.total_seconds()
    assessment_id = assessment.pk
    transaction.on_commit(lambda: prerender.enqueue(assessment_id, settle_seconds=settle))
