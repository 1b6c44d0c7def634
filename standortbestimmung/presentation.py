"""The result of an assessment as the result page and the report show it, from one AssessmentResult."""

from collections.abc import Collection

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from standortbestimmung import charts
from standortbestimmung.result import AssessmentResult
from standortbestimmung.scoring import Profile


def radar_of(
    result: AssessmentResult, compare: Profile | None = None, uncertain: Collection[str] = ()
) -> dict:
    """The radar chart of a result, optionally with an earlier profile drawn behind it and a mark on the fields
    (codes) whose result rests largely on unchecked guesses."""
    names = result.questionnaire.field_names()
    return charts.radar(
        [(names[r.field], r.score, r.level) for r in result.profile.fields],
        compare=[compare.field(r.field).score for r in result.profile.fields] if compare else None,
        uncertain=[r.field.value in uncertain for r in result.profile.fields],
    )


def result_context(result: AssessmentResult) -> dict:
    """Overall level, radar, one card per field, key findings: the same for page and PDF."""
    questionnaire, answers, profile = result.questionnaire, result.answers, result.profile
    cards = []
    for r in profile.fields:
        field = questionnaire.field(r.field)
        questions = list(field.questions.all())
        by_code = {q.code: q for q in questions}
        answered = [(q, answers[q.code]) for q in questions if answers.get(q.code) is not None]
        ranked = [
            (q, level, questionnaire.option_text(q, level))
            for q, level in sorted(answered, key=lambda pair: (-pair[1], pair[0].position))
        ]
        cards.append(
            {
                "field": field,
                "result": r,
                "level_text": questionnaire.level_text(r.field, r.level) if r.level else "",
                "holding_back": [by_code[c] for c in r.holding_back_most],
                "strongest": ranked[:2],
                "weakest": list(reversed(ranked[-2:])) if len(ranked) > 2 else [],
            }
        )
    return {
        "assessment": result.assessment,
        "profile": profile,
        "cards": cards,
        "radar": radar_of(result),
        "weakest": profile.ranked()[:2],
        "findings": key_findings(result),
    }


def key_findings(result: AssessmentResult) -> list[str]:
    """Three sentences a manager should take away: where the company stands, its strength, its lever."""
    profile = result.profile
    ranked = profile.ranked()
    if not ranked:
        return [_("Too few questions were answered to assess the fields reliably.")]
    name = result.questionnaire.field_names()
    strongest, weakest = ranked[-1], ranked[0]
    findings = []
    if profile.assessable:
        findings.append(
            _("Overall the company is at %(level)s, with an average score of %(score)s of 4.0.")
            % {"level": profile.level.label, "score": _number(profile.score)}
        )
    findings.append(
        _("The strongest field is %(field)s (%(level)s, %(score)s).")
        % {"field": name[strongest.field], "level": strongest.level.label, "score": _number(strongest.score)}
    )
    if weakest.field != strongest.field:
        findings.append(
            _("The biggest lever is %(field)s (%(level)s, %(score)s): measures there lift the whole profile.")
            % {"field": name[weakest.field], "level": weakest.level.label, "score": _number(weakest.score)}
        )
    missing = [name[r.field] for r in profile.fields if not r.assessable]
    if missing:
        findings.append(_("Not assessable for lack of answers: %(fields)s.") % {"fields": ", ".join(missing)})
    return findings[:4]


def appendix(result: AssessmentResult, with_spreads: bool = False) -> list[dict]:
    """Every question of every field with the answer that counts (or that none was), for a group its spread."""
    rows = []
    for field in result.questionnaire.fields:
        items = []
        for q in field.questions.all():
            level = result.answers.get(q.code)
            if q.code not in result.answers:
                answer = _("not answered")
            elif level is None:
                answer = _("Don't know")
            else:
                answer = result.questionnaire.option_text(q, level)
            spread = result.spreads[q.code] if with_spreads else None
            items.append({"question": q, "answer": answer, "level": level, "spread": spread})
        rows.append({"field": field, "items": items})
    return rows


def _number(value: float | None) -> str:
    """One decimal, rounded and localised exactly like the floatformat filter on the pages."""
    return floatformat(value, 1) if value is not None else "–"


def comparison(now: AssessmentResult, before: AssessmentResult) -> dict:
    """Both profiles, the change per field and a radar with both; also used by the report."""
    rows = []
    for r in now.profile.fields:
        old = before.profile.field(r.field)
        change = round(r.score - old.score, 2) if (r.score is not None and old.score is not None) else None
        rows.append({"field": now.questionnaire.field(r.field), "now": r, "before": old, "change": change})
    return {
        "previous": before.assessment,
        "now_profile": now.profile,
        "before_profile": before.profile,
        "rows": rows,
        "compare_radar": radar_of(now, compare=before.profile),
    }
