"""The result of an assessment as the result page and the report show it, from one profile."""

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from standortbestimmung import charts
from standortbestimmung.content import questionnaire_of
from standortbestimmung.models import Assessment
from standortbestimmung.scoring import Level, Profile
from standortbestimmung.services import assessment_levels


def result_context(assessment, content, profile: Profile, answers: dict[str, Level | None]) -> dict:
    """Overall level, radar, one card per field, key findings: the same for page and PDF."""
    chosen_text = _chosen_texts(content, answers)
    cards = []
    for r in profile.fields:
        field = content.field(r.field)
        questions = list(field.questions.all())
        by_code = {q.code: q for q in questions}
        answered = [(q, answers[q.code]) for q in questions if answers.get(q.code) is not None]
        ranked = sorted(answered, key=lambda pair: (-pair[1], pair[0].position))
        cards.append(
            {
                "field": field,
                "result": r,
                "level_text": content.level_text(r.field, r.level) if r.level else "",
                "holding_back": [by_code[c] for c in r.holding_back[: max(r.missing_for_next, 0)]],
                "strongest": [(q, level, chosen_text[q.code]) for q, level in ranked[:2]],
                "weakest": [(q, level, chosen_text[q.code]) for q, level in reversed(ranked[-2:])]
                if len(ranked) > 2
                else [],
            }
        )
    return {
        "assessment": assessment,
        "profile": profile,
        "cards": cards,
        "radar": charts.radar([(content.field(r.field).name, r.score, r.level) for r in profile.fields]),
        "weakest": profile.ranked()[:2],
        "findings": key_findings(content, profile),
    }


def key_findings(content, profile: Profile) -> list[str]:
    """Three sentences a manager should take away: where the company stands, its strength, its lever."""
    ranked = profile.ranked()
    if not ranked:
        return [_("Too few questions were answered to assess the fields reliably.")]
    name = {f.code: f.name for f in content.fields}
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


def appendix(content, answers: dict[str, Level | None], spreads: dict | None = None) -> list[dict]:
    """Every question of every field with the answer that counts (or that none was), and for a group its spread."""
    rows = []
    for field in content.fields:
        items = []
        for q in field.questions.all():
            level = answers.get(q.code)
            if q.code not in answers:
                answer = _("not answered")
            elif level is None:
                answer = _("Don't know")
            else:
                answer = next(o.text for o in q.options.all() if o.level == level)
            items.append(
                {"question": q, "answer": answer, "level": level, "spread": (spreads or {}).get(q.code)}
            )
        rows.append({"field": field, "items": items})
    return rows


def _chosen_texts(content, answers) -> dict[str, str]:
    texts = {}
    for q in content.questions.values():
        level = answers.get(q.code)
        texts[q.code] = next((o.text for o in q.options.all() if o.level == level), "") if level else ""
    return texts


def _number(value: float | None) -> str:
    """One decimal, rounded and localised exactly like the floatformat filter on the pages."""
    return floatformat(value, 1) if value is not None else "–"


def comparison(assessment: Assessment, previous: Assessment) -> dict:
    """Both profiles, the change per field and a radar with both; also used by the report."""
    content = questionnaire_of(assessment)
    now, _answers = assessment_levels(assessment=assessment, content=content)
    before, _answers = assessment_levels(assessment=previous)
    rows = []
    for r in now.fields:
        old = before.field(r.field) if any(b.field == r.field for b in before.fields) else None
        change = (
            round(r.score - old.score, 2) if (r.score is not None and old and old.score is not None) else None
        )
        rows.append({"field": content.field(r.field), "now": r, "before": old, "change": change})
    return {
        "previous": previous,
        "now_profile": now,
        "before_profile": before,
        "rows": rows,
        "compare_radar": charts.radar(
            [(content.field(r.field).name, r.score, r.level) for r in now.fields],
            compare=[before.field(r.field).score for r in now.fields],
        ),
    }
