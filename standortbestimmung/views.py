from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cjm_assess.ratelimit import over_limit
from cjm_assess.security import client_ip, security_event
from roadmap import services as roadmap_services
from roadmap.presentation import first_quarter_of
from standortbestimmung import access, scoring, services
from standortbestimmung.content import questionnaire, questionnaire_of
from standortbestimmung.forms import DONT_KNOW, BadAnswer, StartForm, parse_answers, parse_revisions
from standortbestimmung.models import Answer
from standortbestimmung.presentation import result_context
from standortbestimmung.scoring import FieldCode, Level

NEW_LINK_SESSION_KEY = "new_link"

# The worked example on the methodology page: seven answers of one field, scored by the real rule.
EXAMPLE_ANSWERS = {
    "journeys.1": Level.BUILD,
    "journeys.2": Level.ADOPT,
    "journeys.3": Level.BUILD,
    "journeys.4": Level.COMMIT,
    "journeys.5": Level.BUILD,
    "journeys.6": None,
    "journeys.7": Level.BUILD,
}


def private(view):
    """Pages of one participant: never cached, and no Referer to any other site.

    same-origin rather than no-referrer: with no-referrer Chromium sends "Origin: null" on form posts, which
    the CSRF check must refuse. The secret itself is only ever in the URL of `resume`, which sends no Referer.
    """

    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def bad_request(request, message: str, status: int = 400) -> HttpResponse:
    """A 4xx with a message in the page's language; htmx requests get just the message."""
    if request.htmx:
        return HttpResponse(f'<span class="text-danger">{escape(message)}</span>', status=status)
    return render(request, "errors/400.html", {"message": message}, status=status)


def conflict(request, message: str) -> HttpResponse:
    """409: the page is out of date; nothing was written."""
    return bad_request(request, message, status=409)


@require_GET
def home(request):
    return render(request, "standortbestimmung/home.html", {"version": services.current_version()})


@require_GET
def methodology(request):
    example = scoring.score_field(FieldCode.JOURNEYS, list(EXAMPLE_ANSWERS), EXAMPLE_ANSWERS)
    version = services.current_version()
    return render(
        request,
        "standortbestimmung/methodology.html",
        {
            "example": example,
            "example_answers": list(EXAMPLE_ANSWERS.items()),
            "fields": questionnaire(version).fields if version else [],
            "min_count": scoring.MIN_COUNT,
            "version": version,
        },
    )


@require_http_methods(["GET", "POST"])
def start(request):
    version = services.current_version()
    if version is None:
        raise Http404
    form = StartForm(request.POST or None, initial={"language": translation.get_language()})
    if request.method == "POST" and form.is_valid():
        participant, token = services.assessment_start(
            version=version,
            organisation=form.cleaned_data["organisation"],
            respondent_name=form.cleaned_data["respondent_name"],
            language=form.cleaned_data["language"],
        )
        access.session_grant(request, participant)
        request.session[NEW_LINK_SESSION_KEY] = token
        if roadmap_services.current_catalogue():
            roadmap_services.roadmap_get_or_create(assessment=participant.assessment)
        response = redirect("assessment_link", key=participant.key)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            form.cleaned_data["language"],
            samesite="Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=True,
        )
        return response
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "standortbestimmung/start.html",
        {"form": form, "retention_months": settings.SELF_ASSESSMENT_RETENTION_MONTHS},
        status=status,
    )


@private
@require_GET
def assessment_link(request, key):
    """Shows the personal link once, right after it was made; it is not stored anywhere readable."""
    participant = access.get_participant_for(request, key)
    token = request.session.pop(NEW_LINK_SESSION_KEY, None)
    link = request.build_absolute_uri(reverse("resume", args=[token])) if token else None
    return render(
        request,
        "standortbestimmung/link.html",
        {"participant": participant, "link": link, "first_field": FieldCode.JOURNEYS.value},
    )


@private
@require_POST
def new_link(request, key):
    participant = access.get_participant_for(request, key)
    token = services.participant_new_link(participant=participant)
    participant.refresh_from_db()
    access.session_grant(request, participant)  # this browser keeps access; every other one loses it
    request.session[NEW_LINK_SESSION_KEY] = token
    return redirect("assessment_link", key=participant.key)


def too_many(request) -> HttpResponse:
    return render(request, "errors/429.html", status=429)


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
    response = redirect("assessment", key=participant.key)
    response["Referrer-Policy"] = "no-referrer"
    return response


@private
@require_GET
def assessment(request, key):
    """Continues where the participant left off."""
    participant = access.get_participant_for(request, key)
    if participant.finished_at:
        return redirect("result", key=key)
    content = questionnaire_of(participant.assessment)
    answered = services.participant_answers(participant=participant)
    for field in content.fields:
        if any(q.pk not in answered for q in field.questions.all()):
            return redirect("step", key=key, field=field.code)
    return redirect("summary", key=key)


@private
@require_http_methods(["GET", "POST"])
def step(request, key, field):
    participant = access.get_participant_for(request, key)
    content = questionnaire_of(participant.assessment)
    current = content.field(field)
    if current is None:
        raise Http404
    if participant.finished_at:
        return redirect("result", key=key)
    if request.method == "POST":
        try:
            answers = parse_answers(request.POST, content, allowed={q.pk for q in current.questions.all()})
            services.answers_save(
                participant=participant, answers=answers, seen_revisions=parse_revisions(request.POST)
            )
        except BadAnswer as exc:
            return bad_request(request, str(exc))
        except services.StaleAnswer as exc:
            return conflict(request, exc.messages[0])
        except services.AnswerRefused as exc:
            return bad_request(request, exc.messages[0])
        index = content.fields.index(current)
        if request.POST.get("action") == "back" and index > 0:
            return redirect("step", key=key, field=content.fields[index - 1].code)
        if index + 1 < len(content.fields):
            return redirect("step", key=key, field=content.fields[index + 1].code)
        return redirect("summary", key=key)
    rows = Answer.objects.filter(participant=participant).values_list("question_id", "option_id", "revision")
    answered = {qid: oid for qid, oid, _rev in rows}
    revisions = {qid: rev for qid, _oid, rev in rows}
    index = content.fields.index(current)
    return render(
        request,
        "standortbestimmung/step.html",
        {
            "participant": participant,
            "content": content,
            "field": current,
            "questions": [
                (q, str(q.pk), _choice_value(answered, q.pk), str(revisions.get(q.pk, 0)))
                for q in current.questions.all()
            ],
            "index": index + 1,
            "previous": content.fields[index - 1] if index else None,
            "is_last": index + 1 == len(content.fields),
            "progress": _progress(content, answered),
            "dont_know": DONT_KNOW,
        },
    )


@private
@require_POST
def answer_save(request, key):
    """Autosave of one answer (htmx): answers with a short "saved" note or the reason it was refused."""
    participant = access.get_participant_for(request, key)
    content = questionnaire_of(participant.assessment)
    try:
        answers = parse_answers(request.POST, content)
        if len(answers) != 1:
            raise BadAnswer(_("Exactly one answer is expected."))
        (saved,) = services.answers_save(
            participant=participant, answers=answers, seen_revisions=parse_revisions(request.POST)
        )
    except BadAnswer as exc:
        return bad_request(request, str(exc))
    except services.StaleAnswer as exc:
        return conflict(request, exc.messages[0])
    except services.AnswerRefused as exc:
        return bad_request(request, exc.messages[0])
    done = services.participant_answer_count(participant=participant)  # all of them from this questionnaire
    return render(
        request,
        "standortbestimmung/partials/saved.html",
        {"progress": _progress(content, done=done), "answer": saved},
    )


@private
@require_http_methods(["GET", "POST"])
def summary(request, key):
    participant = access.get_participant_for(request, key)
    if request.method == "POST":
        if participant.finished_at is None:
            services.participant_finish(participant=participant)
            roadmap_services.roadmap_follow_answers(assessment=participant.assessment)
        return redirect("result", key=key)
    content = questionnaire_of(participant.assessment)
    answered = services.participant_answers(participant=participant)
    gaps = [(field, [q for q in field.questions.all() if q.pk not in answered]) for field in content.fields]
    profile = services.participant_profile(participant=participant, content=content)
    return render(
        request,
        "standortbestimmung/summary.html",
        {
            "participant": participant,
            "gaps": [(field, missing) for field, missing in gaps if missing],
            "not_assessable": [content.field(r.field) for r in profile.fields if not r.assessable],
            "progress": _progress(content, answered),
        },
    )


@private
@require_POST
def reopen(request, key):
    participant = access.get_participant_for(request, key)
    services.participant_reopen(participant=participant)
    return redirect("step", key=key, field=FieldCode.JOURNEYS.value)


@private
@require_GET
def result(request, key):
    participant = access.get_participant_for(request, key)
    if participant.finished_at is None:
        return redirect("summary", key=key)  # the result (and its roadmap) comes from finished answers
    content = questionnaire_of(participant.assessment)
    levels = services.participant_levels(participant=participant, content=content)
    context = result_context(participant.assessment, content, *levels)
    is_self = participant.assessment.kind == participant.assessment.Kind.SELF
    if is_self and roadmap_services.current_catalogue():  # a workshop's roadmap belongs to the group
        roadmap = roadmap_services.roadmap_get_or_create(assessment=participant.assessment)
        context["first_quarter"] = first_quarter_of(roadmap, content)
    return render(
        request, "standortbestimmung/result.html", {**context, "participant": participant, "is_self": is_self}
    )


def _choice_value(answered: dict[int, int | None], question_id: int) -> str:
    if question_id not in answered:
        return ""
    option_id = answered[question_id]
    return DONT_KNOW if option_id is None else str(option_id)


def _progress(content, answered=(), done: int | None = None) -> dict:
    total = len(content.questions)
    if done is None:
        done = sum(1 for qid in content.questions if qid in answered)
    return {"done": done, "total": total, "percent": round(100 * done / total) if total else 0}
