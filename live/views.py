"""The live workshop's pages: the join code and the phone of each person in the room, the consultant's control
view and the presenter view for the projector.

Screens poll a small "state" URL once a second with the version they show: 204 with no body while nothing
changed, the fragment to swap in when something did. The consultant's actions carry the session's revision
(stale ones are refused with 409). Every POST calls one service; every page works without JavaScript.
"""

from functools import lru_cache

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cjm_assess.http import bad_request, private, too_many
from live import access, services
from live.forms import CodeForm, JoinForm
from live.models import LiveSession
from live.phases import TIMER_MAX_SECONDS, Status
from live.presentation import qr_svg, room_of, screen_version
from standortbestimmung.access import get_assessment_for
from standortbestimmung.answering import AnswerProblem
from standortbestimmung.forms import DONT_KNOW, parse_answers, parse_id, parse_revisions
from standortbestimmung.models import ConsensusAnswer
from standortbestimmung.presentation import result_context
from standortbestimmung.questionnaire import questionnaire_of
from standortbestimmung.result import assessment_result
from standortbestimmung.scoring import Level

TIMERS = (30, 60, 90, 120, 180)
STATE_HEADER = "X-Live-State"  # marks a poll's answer, so live.js can tell it from a login page or a 404


def _state(response: HttpResponse) -> HttpResponse:
    response[STATE_HEADER] = "1"
    return response


def _unchanged() -> HttpResponse:
    return _state(HttpResponse(status=204))


# --- people in the room -----------------------------------------------------------------------------------


@private
@require_http_methods(["GET", "POST"])
def enter(request):
    """Where the code from the screen is typed in."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = access.session_by_code(request, form.cleaned_data["code"])
        except access.TooManyGuesses:
            return too_many(request)
        if session is None:
            form.add_error("code", _("No live workshop has this code. Please check the code on the screen."))
        elif session.status == Status.ENDED:
            form.add_error("code", _("This live workshop has ended."))
        else:
            return redirect("live:join", code=session.code)
    return render(request, "live/enter.html", {"form": form}, status=400 if request.method == "POST" else 200)


@private
@require_http_methods(["GET", "POST"])
def join(request, code):
    """The join page the QR code leads to: a name (unless anonymous voting is allowed), and in."""
    try:
        session = access.session_by_code(request, code)
    except access.TooManyGuesses:
        return too_many(request)
    if session is None:
        return render(
            request,
            "errors/404.html",
            {"message": _("No live workshop has this code. Please check the code on the screen.")},
            status=404,
        )
    if session.status == Status.ENDED:
        return render(request, "live/join.html", {"session": session, "ended": True}, status=410)
    known = None
    if access.has_joined(request, session.key):
        try:
            known = access.get_member_for(request, session.key)[1]
        except Http404:
            known = None
        if known is not None and request.method == "GET":
            return redirect("live:participant", key=session.key)
    known = known or access.participant_in_browser(request, session.assessment)
    data = request.POST if request.method == "POST" else None  # an empty post is a post (a known person)
    form = JoinForm(data, allow_anonymous=session.allow_anonymous or known is not None)
    if request.method == "POST" and form.is_valid():
        try:
            participant = services.live_join(
                session=session, name=form.cleaned_data["name"], participant=known
            )
        except services.JoinRefused as error:
            form.add_error(None, error.messages[0])
        else:
            access.live_grant(request, session, participant)
            return redirect("live:participant", key=session.key)
    return render(
        request,
        "live/join.html",
        {"session": session, "form": form, "known": known},
        status=400 if request.method == "POST" else 200,
    )


def _participant_context(session, participant, message=None) -> dict:
    return {
        "room": room_of(session, viewer=participant, counts=False),
        "session": session,
        "participant": participant,
        "message": message,
        "dont_know": DONT_KNOW,
    }


@private
@require_GET
def participant(request, key):
    """A person's phone: the open question, their own answer, the results once shown."""
    session, me = access.get_member_for(request, key)
    return render(request, "live/participant.html", _participant_context(session, me))


@private
@require_GET
def participant_state(request, key):
    if not access.has_joined(request, key):
        raise Http404
    session = LiveSession.objects.filter(key=key).first()
    if session is None:
        raise Http404
    if request.GET.get("since") == screen_version(session, counts=False):
        return _unchanged()
    session, me = access.get_member_for(request, key)
    return _state(render(request, "live/partials/participant_state.html", _participant_context(session, me)))


@private
@require_POST
def vote(request, key):
    """A vote (htmx: one question as it is chosen; without JavaScript: the form with every open question)."""
    session, me = access.get_member_for(request, key)
    try:
        answers = parse_answers(request.POST, questionnaire_of(session.assessment))
        saved = services.live_vote(
            session=session, participant=me, answers=answers, seen_revisions=parse_revisions(request.POST)
        )
    except AnswerProblem as problem:
        session.refresh_from_db()
        context = _participant_context(session, me, message=problem.message)
        if request.htmx:  # the whole phone screen, as it is now, with the reason
            response = render(request, "live/partials/participant_state.html", context, status=problem.status)
            response["HX-Retarget"], response["HX-Reswap"] = "#live-room", "outerHTML"
            return response
        return render(request, "live/participant.html", context, status=problem.status)
    if request.htmx:
        return render(request, "live/partials/saved.html", {"answers": saved.answers})
    return redirect("live:participant", key=key)


@private
@require_GET
def result(request, key):
    """The group's result for the people in the room, once the consultant ended the session and shared it."""
    session, _me = access.get_member_for(request, key)
    if session.status != Status.ENDED or not session.result_shared:
        raise Http404
    return render(
        request,
        "live/result.html",
        {**result_context(assessment_result(session.assessment)), "session": session},
    )


# --- the consultant -------------------------------------------------------------------------------------


@login_required
@require_POST
def start(request, key):
    assessment = get_assessment_for(request, key)
    try:
        session = services.live_start(
            assessment=assessment, allow_anonymous=request.POST.get("allow_anonymous") == "on"
        )
    except ValidationError as error:
        return bad_request(request, error.messages[0])
    return redirect("live:control", key=session.key)


def _next_items(session: LiveSession, fields) -> tuple:
    """What "next" opens: the question after the open one (or the first), and the field after the open one."""
    questions = [q for f in fields for q in f.questions.all()]
    next_question = next_field = None
    if session.question_id is not None:
        index = next((i for i, q in enumerate(questions) if q.pk == session.question_id), -1)
        next_question = questions[index + 1] if 0 <= index < len(questions) - 1 else None
    elif session.field_id is not None:
        index = next((i for i, f in enumerate(fields) if f.pk == session.field_id), -1)
        next_field = fields[index + 1] if 0 <= index < len(fields) - 1 else None
    else:
        next_question, next_field = questions[0] if questions else None, fields[0] if fields else None
    return next_question, next_field


def _control(request, session: LiveSession, *, message: str = "", status: int = 200, partial: bool = False):
    questionnaire = questionnaire_of(session.assessment)
    next_question, next_field = _next_items(session, questionnaire.fields)
    context = {
        "room": room_of(session, with_names=True),
        "session": session,
        "assessment": session.assessment,
        "fields": questionnaire.fields,
        "settled": set(
            ConsensusAnswer.objects.filter(assessment=session.assessment).values_list(
                "question_id", flat=True
            )
        ),
        "next_question": next_question,
        "next_field": next_field,
        "timers": TIMERS,
        "dont_know": DONT_KNOW,
        "message": message,
        "join_url": request.build_absolute_uri(reverse("live:join", args=[session.code])),
    }
    template = "live/partials/control_state.html" if partial else "live/control.html"
    return _state(render(request, template, context, status=status))


@login_required
@private
@require_GET
def control(request, key):
    """The consultant's control view: what is open, who answered, the actions."""
    return _control(request, access.get_live_for(request, key))


@login_required
@private
@require_GET
def control_state(request, key):
    session = access.get_live_for(request, key)
    if request.GET.get("since") == screen_version(session, counts=True):
        return _unchanged()
    return _control(request, session, partial=True)


@lru_cache(maxsize=64)
def _qr(url: str) -> str:
    return qr_svg(url)


def _presenter(request, session: LiveSession, *, partial: bool):
    join_url = request.build_absolute_uri(reverse("live:join", args=[session.code]))
    context = {
        "room": room_of(session),
        "session": session,
        "assessment": session.assessment,
        "join_url": join_url,
        "enter_url": request.get_host() + reverse("live:enter"),
        "qr": _qr(join_url),
        "levels": list(Level),
    }
    template = "live/partials/presenter_state.html" if partial else "live/presenter.html"
    with translation.override(session.assessment.language):  # the wall speaks the workshop's language
        return _state(render(request, template, context))


@login_required
@private
@require_GET
def presenter(request, key):
    """The projector: join code and QR code, the open question, how many answered, the results once shown.
    Never a name next to a vote."""
    return _presenter(request, access.get_live_for(request, key), partial=False)


@login_required
@private
@require_GET
def presenter_state(request, key):
    session = access.get_live_for(request, key)
    if request.GET.get("since") == screen_version(session, counts=True):
        return _unchanged()
    return _presenter(request, session, partial=True)


def _act(request, key, action) -> HttpResponse:
    """Runs one consultant action on the session with the revision the page showed; htmx gets the fresh
    control fragment, a plain form post a redirect. Refusals show the current state with the reason."""
    session = access.get_live_for(request, key)
    revision = parse_id(request.POST.get("revision", ""))
    try:
        if revision is None:
            raise ValidationError(_("The form is incomplete. Please reload the page."))
        session = action(session, revision)
    except ValidationError as error:
        session.refresh_from_db()
        status = 409 if isinstance(error, services.LiveStale) else 400
        if request.htmx:
            return _control(request, session, message=error.messages[0], status=status, partial=True)
        return bad_request(request, error.messages[0], status=status)
    if request.htmx:
        return _control(request, session, partial=True)
    return redirect("live:control", key=key)


def _posted(request, session, name: str, objects: dict):
    """The object whose id was posted under name, from objects (the questionnaire's), or a refusal."""
    pk = parse_id(request.POST.get(name, ""))
    if pk is None or pk not in objects:
        raise ValidationError(_("This is not part of this workshop's questionnaire."))
    return objects[pk]


@login_required
@require_POST
def open_item(request, key):
    def action(session, revision):
        questionnaire = questionnaire_of(session.assessment)
        if request.POST.get("field"):
            fields = {f.pk: f for f in questionnaire.fields}
            item = {"field": _posted(request, session, "field", fields)}
        else:
            item = {"question": _posted(request, session, "question", questionnaire.questions)}
        return services.live_open(session=session, revision=revision, **item)

    return _act(request, key, action)


@login_required
@require_POST
def timer_start(request, key):
    def action(session, revision):
        seconds = parse_id(request.POST.get("seconds", ""))
        if seconds is None or seconds > TIMER_MAX_SECONDS:
            raise ValidationError(_("Please choose how long the timer runs."))
        return services.live_timer_start(session=session, revision=revision, seconds=seconds)

    return _act(request, key, action)


@login_required
@require_POST
def timer_stop(request, key):
    return _act(request, key, lambda s, r: services.live_timer_stop(session=s, revision=r))


@login_required
@require_POST
def reveal(request, key):
    return _act(request, key, lambda s, r: services.live_reveal(session=s, revision=r))


@login_required
@require_POST
def reopen(request, key):
    return _act(request, key, lambda s, r: services.live_reopen(session=s, revision=r))


@login_required
@require_POST
def consensus(request, key):
    """The room's consensus on a shown question, in one click (an answer, "weiß nicht", or none)."""

    def action(session, revision):
        questionnaire = questionnaire_of(session.assessment)
        question = _posted(request, session, "question", questionnaire.questions)
        value = request.POST.get("answer", "")
        option = None
        if value not in {DONT_KNOW, "clear"}:
            option = _posted(request, session, "answer", questionnaire.options)
            if option.question_id != question.pk:
                raise ValidationError(_("The chosen answer does not belong to this question."))
        return services.live_consensus(
            session=session, revision=revision, question=question, option=option, clear=value == "clear"
        )

    return _act(request, key, action)


@login_required
@require_POST
def pause(request, key):
    paused = request.POST.get("paused") == "1"
    return _act(request, key, lambda s, r: services.live_pause(session=s, revision=r, paused=paused))


@login_required
@require_POST
def anonymous(request, key):
    allow = request.POST.get("allow") == "1"
    return _act(request, key, lambda s, r: services.live_anonymous_set(session=s, revision=r, allow=allow))


@login_required
@require_POST
def end(request, key):
    share = request.POST.get("share") == "1"
    return _act(request, key, lambda s, r: services.live_end(session=s, revision=r, share_result=share))
