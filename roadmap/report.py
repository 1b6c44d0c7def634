"""Everything the PDF report shows, built once from the same pieces as the result and roadmap pages."""

from django.conf import settings

from roadmap.access import roadmap_of
from roadmap.presentation import roadmap_view
from standortbestimmung import scoring
from standortbestimmung.presentation import appendix, comparison, result_context
from standortbestimmung.result import assessment_result, previous_assessment


def report_context(assessment, *, for_owner: bool) -> dict:
    """The report of an assessment in the active language.

    for_owner: the consultant's copy, which compares with the client's previous assessment; a respondent's
    copy shows their own assessment only.
    """
    result = assessment_result(assessment)
    roadmap = roadmap_of(assessment)
    previous = previous_assessment(assessment) if for_owner else None
    before = assessment_result(previous) if previous else None
    plan = roadmap_view(roadmap, result, previous=before) if roadmap else None
    is_workshop = assessment.kind == assessment.Kind.WORKSHOP
    context = result_context(result)
    for card in context["cards"]:  # for workshops: the questions of the field that divided the room most
        spreads = [result.spreads[q.code] for q in card["field"].questions.all()] if is_workshop else []
        card["spreads"] = sorted((s for s in spreads if s.spread), key=lambda s: (-s.spread, -s.deviation))[
            :3
        ]
    return {
        **context,
        "plan": plan,
        "first_quarter": plan.first_quarter if plan else None,
        "appendix": appendix(result, with_spreads=is_workshop),
        "is_workshop": is_workshop,
        "participant_count": result.participant_count,
        "comparison": comparison(result, before) if before else None,
        "version": assessment.version,
        "fields": result.questionnaire.fields,
        "branding": settings.BRANDING,
        "consultant": settings.CONSULTANT,
        "created": max(
            assessment.updated_at, roadmap.updated_at if roadmap else assessment.updated_at
        ).date(),
        "min_count": scoring.MIN_COUNT,
    }
