"""Everything the PDF report shows, built from the same functions as the result and roadmap pages."""

from django.conf import settings

from roadmap import services as roadmap_services
from roadmap.presentation import first_quarter, roadmap_view
from standortbestimmung import scoring
from standortbestimmung.content import questionnaire_of
from standortbestimmung.presentation import appendix, comparison, result_context
from standortbestimmung.services import assessment_answers, assessment_levels, previous_assessment


def report_context(assessment) -> dict:
    """The report of an assessment in the active language."""
    content = questionnaire_of(assessment)
    levels = assessment_levels(assessment=assessment, content=content)
    roadmap = roadmap_services.roadmap_get_or_create(assessment=assessment)
    plan = roadmap_view(roadmap, content, levels)
    is_workshop = assessment.kind == assessment.Kind.WORKSHOP
    spreads = None
    if is_workshop:
        per_participant, _consensus = assessment_answers(assessment=assessment, content=content)
        spreads = {
            q.code: scoring.question_spread(q.code, [a[q.code] for a in per_participant if q.code in a])
            for q in content.questions.values()
        }
    previous = previous_assessment(assessment)
    context = result_context(assessment, content, *levels)
    for card in context["cards"]:  # for workshops: the questions of the field that divided the room most
        card["spreads"] = sorted(
            (spreads[q.code] for q in card["field"].questions.all() if spreads and spreads[q.code].spread),
            key=lambda s: (-s.spread, -s.deviation),
        )[:3]
    return {
        **context,
        **plan,
        "first_quarter": first_quarter(plan),
        "appendix": appendix(content, levels[1], spreads),
        "is_workshop": is_workshop,
        "participant_count": assessment.participants.filter(revoked_at__isnull=True).count(),
        "comparison": comparison(assessment, previous) if previous else None,
        "version": assessment.version,
        "fields": content.fields,
        "branding": settings.BRANDING,
        "consultant": settings.CONSULTANT,
        "created": max(assessment.updated_at, roadmap.updated_at).date(),
        "min_count": scoring.MIN_COUNT,
    }
