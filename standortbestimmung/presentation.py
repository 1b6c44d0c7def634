"""The result of an assessment as the result page and the report show it, from one profile."""

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from standortbestimmung import charts
from standortbestimmung.scoring import Level, Profile


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


def appendix(content, answers: dict[str, Level | None], chosen_options: dict[int, int | None]) -> list[dict]:
    """Every question of every field with the answer given (or that none was)."""
    rows = []
    for field in content.fields:
        items = []
        for q in field.questions.all():
            if q.pk not in chosen_options:
                answer, level = _("not answered"), None
            elif chosen_options[q.pk] is None:
                answer, level = _("Don't know"), None
            else:
                option = content.options[chosen_options[q.pk]]
                answer, level = option.text, Level(option.level)
            items.append({"question": q, "answer": answer, "level": level})
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
