"""The pages of a respondent: start, personal link, the six steps with autosave, review, result, downloads.

Every page is found through the browser's grant for the participant (access.get_participant_for): 404 for
anything else. Each POST calls one service.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from cjm_assess.http import PRIVATE_CACHE_CONTROL, bad_request, private, too_many
from cjm_assess.mail import public_url
from cjm_assess.ratelimit import BAD_LINKS, SELF_ASSESSMENTS, over_limit, pseudonym
from cjm_assess.security import client_ip, security_event
from market.presentation import benchmark_of
from outreach.access import get_share_link_of, lead_of
from outreach.personal_data import participant_outreach
from respondent import kiosk, services
from respondent.forms import ContactForm, ReportMailForm, StartForm
from respondent.qr import qr_svg
from roadmap.access import roadmap_of
from roadmap.downloads import export_response, pdf_response
from roadmap.presentation import first_quarter_of, focus_names, roadmap_view
from standortbestimmung import access
from standortbestimmung.answering import (
    AnswerProblem,
    StaleAnswer,
    participant_answer_count,
    participant_answer_states,
    participant_answers,
)
from standortbestimmung.breakdown import uncertain_fields
from standortbestimmung.forms import DONT_KNOW, SegmentChoiceForm, parse_answers, parse_notes, parse_revisions
from standortbestimmung.models import CONFIDENCE_CHOICES, Assessment, Question
from standortbestimmung.personal_data import export_participant
from standortbestimmung.presentation import radar_of, result_context
from standortbestimmung.questionnaire import Questionnaire, questionnaire_of
from standortbestimmung.result import participant_result
from standortbestimmung.scoring import FieldCode
from standortbestimmung.versions import current_version


@dataclass(frozen=True)
class QuestionRow:
    """A question on a step page with what the participant chose ("" unanswered, "dk" don't know, else the
    option's id) and the revision of that answer (0 when unanswered), as the form posts them back, and how sure
    they were and their note."""

    question: Question
    chosen: str
    revision: int
    confidence: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class FieldProgress:
    """A field in the step navigation: how many of its questions the participant answered."""

    field: object
    done: int
    total: int

    @property
    def complete(self) -> bool:
        return self.done == self.total


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@require_http_methods(["GET", "HEAD", "POST"])
def start(request):
    version = current_version()
    if version is None:
        raise Http404
    form = StartForm(request.POST or None, initial={"language": translation.get_language()})
    if request.method == "POST" and form.is_valid():
        if SELF_ASSESSMENTS.hit(client_ip(request)):
            security_event(request, "rate_limited", what="self_assessments")
            return too_many(
                request,
                _(
                    "Many assessments were started from your network in the last hour. Please wait a while "
                    "and try again, or continue an assessment you started with its personal link."
                ),
            )
        link = services.self_assessment_start(
            version=version,
            organisation=form.cleaned_data["organisation"],
            respondent_name=form.cleaned_data["respondent_name"],
            language=form.cleaned_data["language"],
            industry=form.cleaned_data["industry"],
            size=form.cleaned_data["size"],
            region=form.cleaned_data["region"],
            benchmark_consent=form.cleaned_data["benchmark_consent"],
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
    response["Cache-Control"] = PRIVATE_CACHE_CONTROL
    return response


@private
@require_safe
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
@require_GET  # not HEAD: opening a link grants a session, and link checkers send HEAD
def resume(request, token):
    """Exchanges a personal link for a session, and leaves the link's address at once (also when refused)."""
    if BAD_LINKS.reached(client_ip(request)):
        security_event(request, "rate_limited", what="personal_links")
        response = redirect("respondent:links_paused")  # the 429 page's address carries no secret
    else:
        participant = access.participant_by_token(token)
        if participant is None:
            security_event(request, "bad_link")
            BAD_LINKS.hit(client_ip(request))
            raise Http404
        access.link_exchange(request, participant)
        response = redirect("respondent:continue", key=participant.key)
    response["Referrer-Policy"] = "no-referrer"
    return response


@private
@require_safe
def links_paused(request):
    """Where a personal link is sent while its address has opened too many wrong links."""
    if not BAD_LINKS.reached(client_ip(request)):
        return redirect("home")
    return too_many(request)


@private
@require_safe
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
@require_http_methods(["GET", "HEAD", "POST"])
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
            allowed = {q.pk for q in current.questions.all()}
            answers = parse_answers(request.POST, questionnaire, allowed=allowed)
            saved = services.answer_save(
                participant=participant,
                answers=answers,
                seen_revisions=parse_revisions(request.POST),
                keep_newer=True,
                notes=parse_notes(request.POST, questionnaire, allowed=allowed),
            )
        except AnswerProblem as problem:
            return bad_request(request, problem.message, status=problem.status)
        if saved.kept:  # changed in another tab meanwhile: back to this step, which shows what is saved now
            numbers = ", ".join(str(q.position) for q in sorted(saved.kept, key=lambda q: q.position))
            messages.warning(
                request,
                ngettext(
                    "Question %(numbers)s was changed meanwhile in another tab or window, so your choice there "
                    "was not saved: the answer saved elsewhere is shown below. Your other answers are saved.",
                    "Questions %(numbers)s were changed meanwhile in another tab or window, so your choices "
                    "there were not saved: the answers saved elsewhere are shown below. Your other answers "
                    "are saved.",
                    len(saved.kept),
                )
                % {"numbers": numbers},
            )
            step_url = reverse("respondent:step", args=[key, current.code])
            return redirect(f"{step_url}#question-{saved.kept[0].code}")
        if request.POST.get("action") == "back" and index > 0:
            return redirect("respondent:step", key=key, field=questionnaire.fields[index - 1].code)
        if index + 1 < len(questionnaire.fields):
            return redirect("respondent:step", key=key, field=questionnaire.fields[index + 1].code)
        return redirect("respondent:summary", key=key)
    answered = participant_answer_states(participant=participant)
    rows = []
    for q in current.questions.all():
        state = answered.get(q.pk)
        if state is None:
            rows.append(QuestionRow(q, "", 0))
            continue
        chosen = DONT_KNOW if state.option_id is None else str(state.option_id)
        rows.append(QuestionRow(q, chosen, state.revision, state.confidence, state.evidence))
    # a workshop participant says where they work on their first page (the lists, if the workshop has them)
    assessment = participant.assessment
    segment_form = None
    if index == 0 and assessment.kind == Assessment.Kind.WORKSHOP:
        segment_form = SegmentChoiceForm(
            assessment=assessment, initial={"unit": participant.unit_id, "role": participant.role_id}
        )
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
            "field_nav": _field_nav(questionnaire, answered),
            "dont_know": DONT_KNOW,
            "segment_form": segment_form,
            "confidence_choices": CONFIDENCE_CHOICES,
        },
    )


@private
@require_POST
def segment(request, key):
    """A workshop participant's business unit and role, chosen from the workshop's lists."""
    participant = access.get_participant_for(request, key)
    form = SegmentChoiceForm(request.POST, assessment=participant.assessment)
    if not form.offered:
        return bad_request(request, _("This assessment has no business units or roles to choose from."))
    if not form.is_valid():
        return bad_request(request, " ".join(e for errors in form.errors.values() for e in errors))
    try:
        services.participant_segment_choose(
            participant=participant, unit=form.cleaned_data["unit"], role=form.cleaned_data["role"]
        )
    except ValidationError as error:
        return bad_request(request, error.messages[0])
    return redirect("respondent:step", key=key, field=FieldCode.JOURNEYS.value)


@private
@require_POST
def answer(request, key):
    """Autosave of one answer (htmx): answers with a short "saved" note or the reason it was refused."""
    participant = access.get_participant_for(request, key)
    questionnaire = questionnaire_of(participant.assessment)
    try:
        answers = parse_answers(request.POST, questionnaire)
        notes = parse_notes(request.POST, questionnaire)
        if not answers and notes and not any(notes.values()):
            return HttpResponse(status=204)  # an emptied note to an unanswered question: nothing to save
        if len(answers) != 1:
            if notes and not answers:
                return bad_request(
                    request, _("Please choose an answer first: the note is saved together with it.")
                )
            return bad_request(request, _("Exactly one answer is expected."))
        saved = services.answer_save(
            participant=participant,
            answers=answers,
            seen_revisions=parse_revisions(request.POST),
            notes=notes,
        )
    except StaleAnswer as problem:  # the page now shows (and will send the revision of) what is saved
        question = next(iter(answers))
        option_id, revision = participant_answers(participant=participant)[question.pk]
        return render(
            request,
            "respondent/partials/conflict.html",
            {
                "message": problem.message,
                "question": question,
                "current": DONT_KNOW if option_id is None else option_id,
                "revision": revision,
            },
            status=problem.status,
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
@require_http_methods(["GET", "HEAD", "POST"])
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
            "field_nav": _field_nav(
                result.questionnaire,
                {q.pk for q in result.questionnaire.questions.values() if q.code in answered},
            ),
        },
    )


@private
@require_POST
def reopen(request, key):
    participant = access.get_participant_for(request, key)
    services.participant_reopen(participant=participant)
    return redirect("respondent:step", key=key, field=FieldCode.JOURNEYS.value)


@private
@require_safe
def result(request, key):
    participant = access.get_participant_for(request, key, with_role=True)
    if participant.finished_at is None:
        return redirect(
            "respondent:summary", key=key
        )  # the result (and its roadmap) comes from finished answers
    result = participant_result(participant)
    is_self = access.is_self_assessor(participant)
    roadmap = roadmap_of(participant.assessment) if is_self else None  # a workshop's belongs to the group
    uncertain = uncertain_fields(result)  # where their own answers are mostly guesses
    names = result.questionnaire.field_names()
    return render(
        request,
        "respondent/result.html",
        {
            **result_context(result),
            "radar": radar_of(result, uncertain=uncertain),
            "uncertain_fields": [names[code] for code in uncertain],
            "participant": participant,
            "is_self": is_self,
            "first_quarter": first_quarter_of(roadmap, result.questionnaire) if roadmap else None,
            # where a self-assessor stands among comparable organisations (a workshop's place is the group's)
            "benchmark": benchmark_of(participant.assessment, result.profile, result.questionnaire)
            if is_self
            else None,
            "contact": _contact_state(participant, ContactForm(**_contact_form_args(request, participant)))
            if is_self
            else None,
            "plan_focus": focus_names(roadmap, result) if roadmap else [],
        },
    )


@private
@require_POST
def benchmark_consent(request, key):
    """The self-assessor lets the anonymous result count in the benchmark, or withdraws that."""
    participant = access.get_self_assessor_for(request, key)
    choices = request.POST.getlist("consent")
    choice = choices[0] if len(choices) == 1 else None
    if choice not in {"yes", "no"}:
        return bad_request(request, _("Please choose whether your result may count in the comparison."))
    services.benchmark_consent_set(assessment=participant.assessment, consent=choice == "yes")
    if choice == "yes":
        messages.success(request, _("Thank you: your anonymous result counts from the next update on."))
    else:
        messages.success(
            request, _("Your consent is withdrawn: from the next update on your result no longer counts.")
        )
    return redirect("respondent:result", key=key)


@private
@require_safe
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
            "plan": roadmap_view(roadmap, participant_result(participant)),
            "participant": participant,
            "assessment": assessment,
        },
    )


@private
@require_safe
def report(request, key):
    """The PDF report for the person who answered a self-assessment (their own answers only)."""
    participant = access.get_self_assessor_for(request, key)
    return pdf_response(request, participant.assessment, for_owner=False, participant=participant)


@private
@require_safe
def export(request, key, kind):
    """The self-assessment's data, machine-readable (JSON or CSV): the respondent's own, nobody else's."""
    participant = access.get_self_assessor_for(request, key)
    return export_response(participant.assessment, kind, participant=participant)


@private
@require_safe
def my_data(request, key):
    """A participant's own data (GDPR): also for workshop participants, who see nobody else's answers."""
    participant = access.get_participant_for(request, key)
    response = HttpResponse(
        export_participant(participant, extra=participant_outreach(participant)),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="meine-daten.json"'
    return response


def _field_nav(questionnaire: Questionnaire, answered) -> list[FieldProgress]:
    """Each field with how many of its questions are answered (answered: the ids of answered questions)."""
    rows = []
    for field in questionnaire.fields:
        ids = [q.pk for q in field.questions.all()]
        rows.append(FieldProgress(field, sum(1 for pk in ids if pk in answered), len(ids)))
    return rows


def _progress(questionnaire: Questionnaire, done: int) -> Progress:
    return Progress(done=done, total=len(questionnaire.questions))


# --- contact request, share links, taking the result away ------------------------------------------------


def _contact_form_args(request, participant, data=None) -> dict:
    return {
        "data": data,
        "consultant": settings.CONSULTANT["name"],
        "kiosk": bool(request.session.get(kiosk.SESSION_KEY)),
        "initial": {"name": participant.name, "organisation": participant.assessment.organisation},
    }


def _contact_state(participant, form) -> dict:
    """What the contact box shows: the form, or the request already made (with a way to withdraw it), or that
    a consultant has the assessment already."""
    lead = lead_of(participant)
    return {"form": form, "lead": lead, "owned": participant.assessment.owner_id is not None and lead is None}


def _limited(kind: str, participant, email: str) -> bool:
    """Counts a request of this kind (contact, report) against the address (hashed: no e-mail in the
    counters) and the assessment; True when either is over its daily limit."""
    address = pseudonym(email)
    by_address = over_limit(
        f"{kind}-address:{address}", limit=settings.CONTACT_REQUESTS_PER_ADDRESS_PER_DAY, window_seconds=86400
    )
    by_assessment = over_limit(
        f"{kind}-assessment:{participant.assessment_id}",
        limit=settings.CONTACT_REQUESTS_PER_ASSESSMENT_PER_DAY,
        window_seconds=86400,
    )
    return by_address or by_assessment


@private
@require_http_methods(["GET", "POST"])
def contact(request, key):
    """A request for a conversation with the consultant, with the consent that they see this assessment."""
    participant = access.get_self_assessor_for(request, key)
    if participant.finished_at is None:
        return redirect("respondent:summary", key=key)
    form = ContactForm(
        **_contact_form_args(request, participant, request.POST if request.method == "POST" else None)
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = {
                name: form.cleaned_data[name]
                for name in ["name", "email", "phone", "organisation", "message"]
            }
            if _limited("contact", participant, data["email"]):
                security_event(request, "rate_limited", what="contact_requests")
                form.add_error(
                    None,
                    _(
                        "Several requests were sent from this address or for this assessment today. Please try "
                        "again tomorrow, or write to the consultant directly."
                    ),
                )
                status = 429
            else:
                try:
                    services.lead_create(
                        participant=participant,
                        consent=form.cleaned_data["consent"],
                        language=translation.get_language(),
                        **data,
                    )
                except ValidationError as error:
                    form.add_error(None, error.messages[0])
                else:
                    messages.success(
                        request,
                        _("Thank you! Your request was sent. You will get a confirmation by e-mail."),
                    )
                    return redirect("respondent:contact", key=key)
    result = participant_result(participant)
    return render(
        request,
        "respondent/contact.html",
        {
            "participant": participant,
            "assessment": participant.assessment,
            "profile": result.profile,
            "contact": _contact_state(participant, form),
        },
        status=status,
    )


@private
@require_POST
def contact_withdraw(request, key):
    """Withdraws the consent of the participant's contact request (also possible with the mailed link)."""
    participant = access.get_self_assessor_for(request, key)
    if services.lead_withdraw(participant=participant):
        messages.success(
            request,
            _(
                "Your consent is withdrawn: the consultant no longer sees your assessment, and your details are deleted."
            ),
        )
    return redirect("respondent:contact", key=key)


@private
@require_http_methods(["GET", "POST"])
def share(request, key):
    """Read-only links to the finished result and its PDF, to forward inside the company; a new one is shown
    once, right after it was made."""
    participant = access.get_self_assessor_for(request, key)
    new_link = None
    if request.method == "POST":
        try:
            _link, token = services.share_link_create(participant=participant)
        except ValidationError as error:
            return bad_request(request, error.messages[0])
        new_link = public_url(reverse("outreach:shared", args=[token]))
    return render(
        request,
        "respondent/share.html",
        {
            "participant": participant,
            "assessment": participant.assessment,
            "links": participant.assessment.share_links.all(),
            "new_link": new_link,
            "days": settings.SHARE_LINK_DAYS,
        },
    )


@private
@require_POST
def share_revoke(request, key, link_id):
    participant = access.get_self_assessor_for(request, key)
    services.share_link_revoke(link=get_share_link_of(participant.assessment, link_id))
    messages.success(request, _("The share link no longer works."))
    return redirect("respondent:share", key=key)


@private
@require_POST
def handover(request, key):
    """Continue on one's own phone: a new personal link as a QR code (the old link stops working; this browser
    keeps access until it ends the visit)."""
    participant = access.get_participant_for(request, key)
    link = services.participant_new_link(participant=participant)
    access.session_grant(request, link.participant)
    url = public_url(reverse("respondent:resume", args=[link.token]))
    return render(
        request,
        "respondent/handover.html",
        {"participant": participant, "qr": qr_svg(url, _("QR code with your personal link")), "url": url},
    )


@private
@require_POST
def report_mail(request, key):
    """Sends the report to an address the respondent enters (the kiosk's way to take the result home)."""
    participant = access.get_self_assessor_for(request, key)
    form = ReportMailForm(request.POST)
    if not form.is_valid():
        return bad_request(request, " ".join(e for errors in form.errors.values() for e in errors))
    if _limited("report", participant, form.cleaned_data["email"]):
        security_event(request, "rate_limited", what="report_mails")
        return bad_request(
            request,
            _("The report was sent several times today already. Please try again tomorrow."),
            status=429,
        )
    try:
        services.report_send(
            participant=participant, email=form.cleaned_data["email"], language=translation.get_language()
        )
    except ValidationError as error:
        return bad_request(request, error.messages[0])
    # no address in the message: it would wait in a cookie on a shared device
    messages.success(request, _("The report is on its way to the address you entered."))
    return redirect("respondent:result", key=key)
