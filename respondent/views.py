"""The pages of a respondent: start, personal link, the six steps with autosave, review, result, downloads.

Every page is found through the browser's grant for the participant (access.get_participant_for): 404 for
anything else. Each POST calls one service.
"""

from dataclasses import dataclass

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cjm_assess.http import bad_request, private, too_many
from cjm_assess.ratelimit import over_limit
from cjm_assess.security import client_ip, security_event
from respondent import services
from respondent.forms import StartForm
from roadmap.access import roadmap_of
from roadmap.downloads import export_response, pdf_response
from roadmap.presentation import first_quarter_of, focus_names, roadmap_view
from standortbestimmung import access
from standortbestimmung.answering import AnswerProblem, participant_answer_count, participant_answers
from standortbestimmung.forms import DONT_KNOW, parse_answers, parse_revisions
from standortbestimmung.models import Question
from standortbestimmung.personal_data import export_participant
from standortbestimmung.presentation import result_context
from standortbestimmung.questionnaire import Questionnaire, questionnaire_of
from standortbestimmung.result import assessment_result, participant_result
from standortbestimmung.scoring import FieldCode
from standortbestimmung.versions import current_version


@dataclass(frozen=True)
class QuestionRow:
    """A question on a step page with what the participant chose ("" unanswered, "dk" don't know, else the
    option's id) and the revision of that answer (0 when unanswered), as the form posts them back."""

    question: Question
    chosen: str
    revision: int


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@require_http_methods(["GET", "POST"])
def start(request):
    version = current_version()
    if version is None:
        raise Http404
    form = StartForm(request.POST or None, initial={"language": translation.get_language()})
    if request.method == "POST" and form.is_valid():
        link = services.self_assessment_start(
            version=version,
            organisation=form.cleaned_data["organisation"],
            respondent_name=form.cleaned_data["respondent_name"],
            language=form.cleaned_data["language"],
        )
        access.session_grant(request, link.participant)
        with translation.override(form.cleaned_data["language"]):
            response = _link_page(request, link)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            form.cleaned_data["language"],
            samesite="Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=True,
        )
        return response
    return render(
        request,
        "respondent/start.html",
        {"form": form, "retention_months": settings.SELF_ASSESSMENT_RETENTION_MONTHS},
        status=400 if request.method == "POST" else 200,
    )


def _link_page(request, link: access.PersonalLink | None, participant=None) -> HttpResponse:
    """The page with the personal link: the secret is in this response only, never stored readable."""
    url = request.build_absolute_uri(reverse("respondent:resume", args=[link.token])) if link else None
    response = render(
        request,
        "respondent/link.html",
        {"participant": link.participant if link else participant, "link": url},
    )
    response["Cache-Control"] = "no-store"
    return response


@private
@require_GET
def link(request, key):
    """Where the personal link was shown once; offers a new one."""
    return _link_page(request, None, access.get_participant_for(request, key))


@private
@require_POST
def new_link(request, key):
    participant = access.get_participant_for(request, key)
    link = services.participant_new_link(participant=participant)
    access.session_grant(request, link.participant)  # this browser keeps access; every other one loses it
    return _link_page(request, link)


@private
@require_GET
def resume(request, token):
    limit_key = f"bad-link:{client_ip(request)}"
    limits = {"limit": settings.BAD_LINKS_PER_IP_PER_HOUR, "window_seconds": 3600}
    if over_limit(limit_key, count=False, **limits):
        security_event(request, "rate_limited", what="personal_links")
        return too_many(request)
    participant = access.participant_by_token(token)
    if participant is None:
        security_event(request, "bad_link")
        over_limit(limit_key, **limits)
        raise Http404
    access.session_grant(request, participant)
    response = redirect("respondent:continue", key=participant.key)
    response["Referrer-Policy"] = "no-referrer"
    return response


@private
@require_GET
def continue_(request, key):
    """Continues where the participant left off."""
    participant = access.get_participant_for(request, key)
    if participant.finished_at:
        return redirect("respondent:result", key=key)
    questionnaire = questionnaire_of(participant.assessment)
    answered = participant_answers(participant=participant)
    for field in questionnaire.fields:
        if any(q.pk not in answered for q in field.questions.all()):
            return redirect("respondent:step", key=key, field=field.code)
    return redirect("respondent:summary", key=key)


@private
@require_http_methods(["GET", "POST"])
def step(request, key, field):
    participant = access.get_participant_for(request, key)
    questionnaire = questionnaire_of(participant.assessment)
    current = questionnaire.field(field)
    if current is None:
        raise Http404
    if participant.finished_at:
        return redirect("respondent:result", key=key)
    index = questionnaire.fields.index(current)
    if request.method == "POST":
        try:
            answers = parse_answers(
                request.POST, questionnaire, allowed={q.pk for q in current.questions.all()}
            )
            services.answer_save(
                participant=participant, answers=answers, seen_revisions=parse_revisions(request.POST)
            )
        except AnswerProblem as problem:
            return bad_request(request, problem.message, status=problem.status)
        if request.POST.get("action") == "back" and index > 0:
            return redirect("respondent:step", key=key, field=questionnaire.fields[index - 1].code)
        if index + 1 < len(questionnaire.fields):
            return redirect("respondent:step", key=key, field=questionnaire.fields[index + 1].code)
        return redirect("respondent:summary", key=key)
    answered = participant_answers(participant=participant)
    rows = []
    for q in current.questions.all():
        option_id, revision = answered.get(q.pk, ("", 0))
        chosen = DONT_KNOW if option_id is None else str(option_id)
        rows.append(QuestionRow(q, chosen, revision))
    return render(
        request,
        "respondent/step.html",
        {
            "participant": participant,
            "questionnaire": questionnaire,
            "field": current,
            "questions": rows,
            "index": index + 1,
            "previous": questionnaire.fields[index - 1] if index else None,
            "is_last": index + 1 == len(questionnaire.fields),
            "progress": _progress(questionnaire, len(answered)),
            "dont_know": DONT_KNOW,
        },
    )


@private
@require_POST
def answer(request, key):
    """Autosave of one answer (htmx): answers with a short "saved" note or the reason it was refused."""
    participant = access.get_participant_for(request, key)
    questionnaire = questionnaire_of(participant.assessment)
    try:
        answers = parse_answers(request.POST, questionnaire)
        if len(answers) != 1:
            return bad_request(request, _("Exactly one answer is expected."))
        saved = services.answer_save(
            participant=participant, answers=answers, seen_revisions=parse_revisions(request.POST)
        )
    except AnswerProblem as problem:
        return bad_request(request, problem.message, status=problem.status)
    done = participant_answer_count(participant=participant)  # all of them from this questionnaire
    return render(
        request,
        "respondent/partials/saved.html",
        {"progress": _progress(questionnaire, done), "answer": saved.answers[0]},
    )


@private
@require_http_methods(["GET", "POST"])
def summary(request, key):
    participant = access.get_participant_for(request, key)
    if request.method == "POST":
        services.participant_finish(participant=participant)
        return redirect("respondent:result", key=key)
    result = participant_result(participant)
    answered = result.per_participant[participant.pk]
    gaps = [
        (field, [q for q in field.questions.all() if q.code not in answered])
        for field in result.questionnaire.fields
    ]
    return render(
        request,
        "respondent/summary.html",
        {
            "participant": participant,
            "questionnaire": result.questionnaire,
            "gaps": [(field, missing) for field, missing in gaps if missing],
            "not_assessable": [
                result.questionnaire.field(r.field) for r in result.profile.fields if not r.assessable
            ],
            "progress": _progress(result.questionnaire, len(answered)),
        },
    )


@private
@require_POST
def reopen(request, key):
    participant = access.get_participant_for(request, key)
    services.participant_reopen(participant=participant)
    return redirect("respondent:step", key=key, field=FieldCode.JOURNEYS.value)


@private
@require_GET
def result(request, key):
    participant = access.get_participant_for(request, key)
    if participant.finished_at is None:
        return redirect(
            "respondent:summary", key=key
        )  # the result (and its roadmap) comes from finished answers
    result = participant_result(participant)
    is_self = participant.assessment.kind == participant.assessment.Kind.SELF
    roadmap = roadmap_of(participant.assessment) if is_self else None  # a workshop's belongs to the group
    return render(
        request,
        "respondent/result.html",
        {
            **result_context(result),
            "participant": participant,
            "is_self": is_self,
            "first_quarter": first_quarter_of(roadmap, result.questionnaire) if roadmap else None,
            "plan_focus": focus_names(roadmap, result) if roadmap else [],
        },
    )


@private
@require_GET
def roadmap(request, key):
    """The full roadmap, read-only, for the respondent of a finished self-assessment."""
    participant = access.get_self_assessor_for(request, key)
    if participant.finished_at is None:
        return redirect("respondent:summary", key=key)
    assessment = participant.assessment
    roadmap = roadmap_of(assessment)
    if roadmap is None:
        raise Http404
    return render(
        request,
        "respondent/roadmap.html",
        {
            "plan": roadmap_view(roadmap, assessment_result(assessment)),
            "participant": participant,
            "assessment": assessment,
        },
    )


@private
@require_GET
def report(request, key):
    """The PDF report for the person who answered a self-assessment (their own assessment only)."""
    return pdf_response(request, access.get_self_assessor_for(request, key).assessment, for_owner=False)


@private
@require_GET
def export(request, key, kind):
    """The self-assessment's data, machine-readable (JSON or CSV)."""
    return export_response(access.get_self_assessor_for(request, key).assessment, kind)


@private
@require_GET
def my_data(request, key):
    """A participant's own data (GDPR): also for workshop participants, who see nobody else's answers."""
    response = HttpResponse(
        export_participant(access.get_participant_for(request, key)),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="meine-daten.json"'
    return response


def _progress(questionnaire: Questionnaire, done: int) -> Progress:
    return Progress(done=done, total=len(questionnaire.questions))
