"""The result of an assessment as the result page and the report show it, from one AssessmentResult."""

from collections.abc import Collection

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from standortbestimmung import charts
from standortbestimmung.result import AssessmentResult
from standortbestimmung.scoring import FIELD_ORDER, FieldResult, Profile


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
        "levers": [questionnaire.field_names()[r.field] for r in weakest_fields(profile)],
        "tied_level": _tied_level(profile),
        "max_score": charts.MAX_SCORE,
        "findings": key_findings(result),
    }


def key_findings(result: AssessmentResult) -> list[str]:
    """Up to four sentences a manager should take away: where the company stands, its strengths, its lever.

    Honest about ties: when every field is on the same level, it says so instead of crowning a "strongest"
    field; strongest and weakest are the fields on the highest and on the lowest level, all of them.
    """
    profile = result.profile
    ranked = profile.ranked()
    if not ranked:
        return [_("Too few questions were answered to assess the fields reliably.")]
    name = result.questionnaire.field_names()
    findings = []
    if profile.assessable:
        findings.append(
            _("Overall the company is at %(level)s, with an average score of %(score)s of %(max)s.")
            % {
                "level": profile.level.label,
                "score": _number(profile.score),
                "max": _number(charts.MAX_SCORE),
            }
        )
    top, bottom = ranked[-1].level, ranked[0].level
    if top == bottom:
        scores = sorted({r.score for r in ranked})
        if len(scores) == 1:
            findings.append(
                _(
                    "All assessed fields are at %(level)s, with the same score (%(score)s): no field stands out."
                )
                % {"level": top.label, "score": _number(scores[0])}
            )
        else:
            findings.append(
                _(
                    "All assessed fields are at %(level)s; their scores lie close together, from %(low)s to "
                    "%(high)s: no field stands out."
                )
                % {"level": top.label, "low": _number(scores[0]), "high": _number(scores[-1])}
            )
    else:
        strongest = sorted(
            (r for r in ranked if r.level == top), key=lambda r: (-r.score, FIELD_ORDER.index(r.field))
        )
        findings.append(
            ngettext(
                "The strongest field is %(fields)s.",
                "The strongest fields are %(fields)s.",
                len(strongest),
            )
            % {"fields": _names(strongest, name)}
        )
        levers = weakest_fields(profile)
        findings.append(
            ngettext(
                "The biggest lever is %(fields)s: measures there lift the whole profile.",
                "The biggest lever lies in %(fields)s: measures there lift the whole profile.",
                len(levers),
            )
            % {"fields": _names(levers, name)}
        )
    missing = [name[r.field] for r in profile.fields if not r.assessable]
    if missing:
        findings.append(_("Not assessable for lack of answers: %(fields)s.") % {"fields": ", ".join(missing)})
    return findings[:4]


def weakest_fields(profile: Profile) -> list[FieldResult]:
    """The fields on the lowest level, lowest score first, when they really are weaker than others (else none)."""
    ranked = profile.ranked()
    if not ranked or ranked[0].level == ranked[-1].level:
        return []
    return [r for r in ranked if r.level == ranked[0].level]


def _tied_level(profile: Profile):
    """The level every assessed field is on, when they are all on one (else None)."""
    levels = {r.level for r in profile.fields if r.assessable}
    return levels.pop() if len(levels) == 1 else None


def _names(results: list[FieldResult], name: dict[str, str]) -> str:
    """Field names with level and score for a sentence: "Journeys (Adopt, 2,1) and Insights (Adopt, 2,3)"."""
    return join_names([f"{name[r.field]} ({r.level.label}, {_number(r.score)})" for r in results])


def join_names(names: list[str]) -> str:
    """Names as a list in a sentence of the active language: "A, B and C"."""
    if len(names) < 2:
        return "".join(names)
    return "{} {} {}".format(", ".join(names[:-1]), _("and"), names[-1])


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
