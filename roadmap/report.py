"""Everything the PDF report shows, built from the same functions as the result and roadmap pages."""

from django.conf import settings
from django.utils import timezone

from roadmap import services as roadmap_services
from roadmap.presentation import first_quarter, roadmap_view
from standortbestimmung import scoring
from standortbestimmung.content import questionnaire
from standortbestimmung.presentation import appendix, result_context
from standortbestimmung.services import participant_answers, participant_levels


def report_context(assessment) -> dict:
    """The report of an assessment in the active language."""
    content = questionnaire(assessment.version)
    participant = assessment.participants.order_by("created_at").first()
    levels = participant_levels(participant=participant, content=content, version=assessment.version)
    roadmap = roadmap_services.roadmap_get_or_create(assessment=assessment)
    plan = roadmap_view(roadmap, content, levels)
    chosen = participant_answers(participant=participant) if participant else {}
    return {
        **result_context(assessment, content, *levels),
        **plan,
        "first_quarter": first_quarter(plan),
        "appendix": appendix(content, levels[1], chosen),
        "version": assessment.version,
        "fields": content.fields,
        "branding": settings.BRANDING,
        "consultant": settings.CONSULTANT,
        "created": timezone.localdate(),
        "min_count": scoring.MIN_COUNT,
    }
