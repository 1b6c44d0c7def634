"""Everything the PDF report shows, built once from the same pieces as the result and roadmap pages."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from cjm_assess.mail import public_url
from roadmap.access import roadmap_of
from roadmap.presentation import roadmap_view
from standortbestimmung import scoring
from standortbestimmung.breakdown import segment_breakdown
from standortbestimmung.presentation import appendix, comparison, radar_of, result_context
from standortbestimmung.result import assessment_result, participant_result, previous_assessment


@dataclass(frozen=True)
class Section:
    """A part of the report that an app above the roadmap adds without the roadmap importing it (the market
    app's peer benchmark, registered in market/apps.py)."""

    build: Callable  # (assessment, profile) -> what the template shows, or None
    stamp: Callable[..., str]  # (assessment) -> changes whenever that does, cheaply: part of the PDF's digest


SECTIONS: dict[str, Section] = {}


def report_context(assessment, *, for_owner: bool, participant=None) -> dict:
    """The report of an assessment in the active language.

    for_owner: the consultant's copy, which compares with the client's previous assessment; a respondent's
    copy shows their own assessment only. participant: the respondent whose copy it is, built from their own
    answers (nobody else's, even in a self-assessment that got invitees before that was refused).
    """
    result = participant_result(participant) if participant is not None else assessment_result(assessment)
    roadmap = roadmap_of(assessment)
    previous = previous_assessment(assessment) if for_owner else None
    before = assessment_result(previous) if previous else None
    plan = roadmap_view(roadmap, result, previous=before) if roadmap else None
    is_workshop = assessment.kind == assessment.Kind.WORKSHOP
    context = result_context(result)
    breakdown = segment_breakdown(result)
    names = result.questionnaire.field_names()
    uncertain = [names[code] for code in breakdown.uncertain]
    if breakdown.uncertain:  # the summary's radar marks the fields that rest on unchecked guesses
        context["radar"] = radar_of(result, uncertain=breakdown.uncertain)
    rows = appendix(result, with_spreads=is_workshop)
    for block in rows:  # how sure the answers were, and whether the workshop checked them
        for row in block["items"]:
            row["confidence"] = breakdown.questions[row["question"].code]
    for card in context["cards"]:  # for workshops: the questions of the field that divided the room most
        spreads = (
            [{"question": q, "spread": result.spreads[q.code]} for q in card["field"].questions.all()]
            if is_workshop
            else []
        )
        card["spreads"] = sorted(
            (s for s in spreads if s["spread"].spread),
            key=lambda s: (-s["spread"].spread, -s["spread"].deviation),
        )[:3]
    return {
        **context,
        "plan": plan,
        "first_quarter": plan.first_quarter if plan else None,
        "appendix": rows,
        "is_workshop": is_workshop,
        "breakdown": breakdown if is_workshop else None,
        "uncertain_fields": uncertain,
        "participant_count": result.participant_count,
        "result": result,
        "comparison": comparison(result, before) if before else None,
        "version": assessment.version,
        "fields": result.questionnaire.fields,
        "branding": settings.BRANDING,
        "consultant": settings.CONSULTANT,
        "created": max(
            assessment.updated_at, roadmap.updated_at if roadmap else assessment.updated_at
        ).date(),
        "min_count": scoring.MIN_COUNT,
        "sections": {name: section.build(assessment, result.profile) for name, section in SECTIONS.items()},
        # the respondent's copy of a self-assessment invites a conversation (the page asks for consent)
        "contact_url": _contact_url(assessment) if not for_owner else "",
    }


def _contact_url(assessment) -> str:
    """Where the respondent of a self-assessment asks for a conversation ("" for a workshop)."""
    respondent = assessment.participants.order_by("created_at", "pk").first()
    if assessment.kind != assessment.Kind.SELF or respondent is None:
        return ""
    return public_url(reverse("respondent:contact", args=[respondent.key]))
