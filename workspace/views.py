"""The consultant's workspace: clients, assessments with invited participants, spread, consensus, comparison.

Every object is found through access.get_client_for / get_assessment_for (404 for anything foreign); each POST
calls one service.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cjm_assess.http import bad_request, too_many
from cjm_assess.ratelimit import BAD_LINKS, INVITATIONS
from cjm_assess.security import client_ip, security_event
from outreach.models import Mail
from roadmap.downloads import export_response, pdf_response
from standortbestimmung import access
from standortbestimmung.access import PersonalLink
from standortbestimmung.breakdown import segment_breakdown
from standortbestimmung.forms import DONT_KNOW, SegmentChoiceForm, parse_id
from standortbestimmung.grouping import definition_of
from standortbestimmung.models import Assessment
from standortbestimmung.presentation import comparison, radar_of
from standortbestimmung.questionnaire import questionnaire_of
from standortbestimmung.result import assessment_result, previous_assessment
from standortbestimmung.versions import current_version
from workspace import services
from workspace.forms import (
    AssessmentSettingsForm,
    ClaimForm,
    ClientForm,
    ConfirmDeleteForm,
    InviteForm,
    SegmentsForm,
)
from workspace.personal_data import export_client

CLIENTS_PER_PAGE = 50


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def dashboard(request):
    """The consultant's clients (50 a page, searchable) with their assessments, and a form for a new client."""
    clients = access.clients_of(request.user)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        clients = clients.filter(name__icontains=query)
    page = Paginator(clients.order_by("name", "pk"), CLIENTS_PER_PAGE).get_page(request.GET.get("page"))
    # the counts only for the clients on this page: constant work, however many clients there are
    stats = {
        row["client"]: row
        for row in Assessment.objects.filter(client__in=[c.pk for c in page])
        .values("client")
        .annotate(n=Count("pk"), last=Max("updated_at"))
    }
    for client in page:
        client.assessment_count = stats.get(client.pk, {}).get("n", 0)
        client.last_activity = stats.get(client.pk, {}).get("last")
    form = ClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.owner = request.user
        client = services.client_save(client=form.save(commit=False), changed=form.changed_data)
        messages.success(request, _("Client “%(name)s” created.") % {"name": client.name})
        return redirect("workspace:client", pk=client.pk)
    return render(
        request,
        "workspace/dashboard.html",
        {"page": page, "form": form, "query": query},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def client(request, pk):
    client = access.get_client_for(request, pk)
    form = ClientForm(request.POST or None, instance=client)
    if request.method == "POST" and form.is_valid():
        services.client_save(client=form.save(commit=False), changed=form.changed_data)
        messages.success(request, _("Saved."))
        return redirect("workspace:client", pk=client.pk)
    assessments = list(
        client.assessments.select_related("version")
        .annotate(people=Count("participants", filter=Q(participants__revoked_at__isnull=True)))
        .order_by("created_at")
    )
    latest = assessments[-1] if assessments else None
    return render(
        request,
        "workspace/client.html",
        {
            "client": client,
            "form": form,
            "claim_form": ClaimForm(),
            "rows": [(a, assessment_result(a).profile) for a in assessments],
            # a new workshop starts with the segments of the latest assessment (or the usual roles)
            "segments_form": SegmentsForm.for_definition(definition_of(latest), suggest_roles=True),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def assessment_new(request, pk):
    client = access.get_client_for(request, pk)
    version = current_version()
    if version is None:
        raise Http404
    segments = None  # a bare "start" carries the previous assessment's segments over
    if SegmentsForm.posted(request.POST):
        form = SegmentsForm(request.POST)
        if not form.is_valid():
            return bad_request(request, _form_errors(form))
        segments = form.definition()
    assessment = services.workshop_start(
        client=client, version=version, language=request.LANGUAGE_CODE, segments=segments
    )
    messages.success(request, _("New assessment started. Invite the participants."))
    return redirect("workspace:assessment", key=assessment.key)


@login_required
@require_POST
def claim(request, pk):
    client = access.get_client_for(request, pk)
    if BAD_LINKS.reached(client_ip(request)):  # pasted links count like opened ones
        security_event(request, "rate_limited", what="personal_links")
        return too_many(request)
    form = ClaimForm(request.POST)
    if not form.is_valid():
        return bad_request(request, _("Please paste the personal link of the self-assessment."))
    try:
        assessment = services.assessment_claim(client=client, token=form.cleaned_data["link"])
    except access.UnknownLink as error:
        security_event(request, "bad_link", where="claim")
        BAD_LINKS.hit(client_ip(request))
        return bad_request(request, error.messages[0])
    except ValidationError as error:
        return bad_request(request, error.messages[0])
    messages.success(request, _("The self-assessment now belongs to %(client)s.") % {"client": client.name})
    return redirect("workspace:assessment", key=assessment.key)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def client_delete(request, pk):
    client = access.get_client_for(request, pk)
    form = ConfirmDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.client_delete(client=client)
        messages.success(request, _("“%(name)s” and all its data were deleted.") % {"name": client.name})
        return redirect("workspace:dashboard")
    return render(
        request,
        "workspace/confirm_delete.html",
        {
            "object_name": client.name,
            "form": form,
            "exports": list(client.assessments.order_by("created_at")),
            "back": reverse("workspace:client", args=[client.pk]),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_safe
def client_data(request, pk):
    """Everything stored about a client, for the consultant to hand over (GDPR)."""
    client = access.get_client_for(request, pk)
    response = HttpResponse(export_client(client), content_type="application/json; charset=utf-8")
    name = slugify(client.name)[:60] or "client"
    response["Content-Disposition"] = f'attachment; filename="CJM-Kunde-{name}.json"'
    return response


def _form_errors(form) -> str:
    return " ".join(e for errors in form.errors.values() for e in errors)


def _assessment_page(
    request,
    assessment,
    *,
    new_link: PersonalLink | None = None,
    status: int = 200,
    segments_form: SegmentsForm | None = None,
):
    """Participants and their progress, invitations, the group's result and the questions that divide it;
    for a workshop its results per unit and role, the perception gaps and how sure the answers are."""
    result = assessment_result(assessment)
    participants = list(
        assessment.participants.annotate(answered=Count("answers"))
        .select_related("unit", "role")
        .order_by("created_at")
    )
    breakdown = segment_breakdown(result, names={p.pk: p.name or _("Respondent") for p in participants})
    is_workshop = assessment.kind == Assessment.Kind.WORKSHOP
    groups = breakdown.groups
    choice_form = (
        SegmentChoiceForm(assessment=assessment, segments=[*groups.units, *groups.roles])
        if is_workshop
        else None
    )
    for p in participants:
        p.counted = p.pk in result.per_participant
    last_mails = {  # the latest invitation or reminder to each participant, with how sending it went
        mail.participant_id: mail
        for mail in Mail.objects.filter(
            assessment=assessment, kind__in=[Mail.Kind.INVITATION, Mail.Kind.REMINDER]
        ).order_by("created_at", "pk")
    }
    for participant in participants:
        participant.last_mail = last_mails.get(participant.pk)
    spreads = sorted(
        (
            {
                "question": q,
                "spread": result.spreads[q.code],
                "consensus": result.consensus.get(q.code),
                "has_consensus": q.code in result.consensus,
                "confidence": breakdown.questions[q.code],
            }
            for q in result.questionnaire.questions.values()
        ),
        key=lambda s: (
            -s["spread"].spread,
            -s["spread"].deviation,
            s["question"].field.position,
            s["question"].position,
        ),
    )
    link = None
    if new_link is not None:
        link = {
            "name": new_link.participant.name,
            "url": request.build_absolute_uri(reverse("respondent:resume", args=[new_link.token])),
        }
    response = render(
        request,
        "workspace/assessment.html",
        {
            "assessment": assessment,
            "participants": participants,
            "not_counted": [p for p in participants if not p.counted],
            "active_count": result.active_count,
            "result": result,
            "counting_choices": Assessment.Counting.choices,
            "field_rows": [
                {"field": result.questionnaire.field(r.field), "result": r} for r in result.profile.fields
            ],
            "total": len(result.questionnaire.questions),
            "invite_form": InviteForm(initial={"language": assessment.language}),
            "new_link": link,
            "profile": result.profile,
            "radar": radar_of(result, uncertain=breakdown.uncertain),
            "spreads": spreads,
            "dont_know": DONT_KNOW,
            "previous": previous_assessment(assessment),
            "is_workshop": is_workshop,
            "breakdown": breakdown,
            "uncertain_fields": [result.questionnaire.field_names()[code] for code in breakdown.uncertain],
            "choice_form": choice_form,
            "segments_form": segments_form
            or (SegmentsForm.for_definition(groups.definition()) if is_workshop else None),
        },
        status=status,
    )
    if link:
        response["Cache-Control"] = "no-store"  # the page carries a personal link's secret
    return response


@login_required
@require_safe
def assessment(request, key):
    return _assessment_page(request, access.get_assessment_for(request, key))


@login_required
@require_POST
def invite(request, key):
    assessment = access.get_assessment_for(request, key)
    if INVITATIONS.hit(str(request.user.pk)):
        security_event(request, "rate_limited", what="invitations")
        return too_many(request)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return bad_request(request, _form_errors(form))
    place = SegmentChoiceForm(request.POST, assessment=assessment)  # unit and role, if the workshop has them
    if not place.is_valid():
        return bad_request(request, _form_errors(place))
    try:
        link = services.participant_invite(
            assessment=assessment,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            unit=place.cleaned_data["unit"],
            role=place.cleaned_data["role"],
            language=form.cleaned_data["language"],
            by_mail=bool(form.cleaned_data["email"]),
        )
    except ValidationError as error:
        return bad_request(request, error.messages[0])
    if link is None:
        messages.success(
            request,
            _("The invitation to %(name)s is being sent by e-mail, with a personal link.")
            % {"name": form.cleaned_data["name"]},
        )
        return redirect("workspace:assessment", key=key)
    return _assessment_page(request, assessment, new_link=link)


@login_required
@require_POST
def segments(request, key):
    """Changes the workshop's business units, roles and minimum group size."""
    assessment = access.get_assessment_for(request, key)
    form = SegmentsForm(request.POST)
    if not form.is_valid():
        return _assessment_page(request, assessment, segments_form=form, status=400)
    try:
        removed = services.segments_update(assessment=assessment, segments=form.definition())
    except ValidationError as error:
        return bad_request(request, error.messages[0])
    messages.success(request, _("Business units and roles saved."))
    if removed:
        messages.info(
            request,
            _("Removed: %(names)s. Their participants now belong to none of them.")
            % {"names": ", ".join(removed)},
        )
    return redirect(reverse("workspace:assessment", args=[key]) + "#segments-heading")


@login_required
@require_POST
def participant_place(request, key, participant_id):
    """Puts a participant into a business unit and a role of the workshop."""
    assessment = access.get_assessment_for(request, key)
    participant = access.get_participant_of(assessment, participant_id)
    form = SegmentChoiceForm(request.POST, assessment=assessment)
    if not form.offered:
        return bad_request(request, _("This assessment has no business units or roles to choose from."))
    if not form.is_valid():
        return bad_request(request, _form_errors(form))
    services.participant_place(
        participant=participant, unit=form.cleaned_data["unit"], role=form.cleaned_data["role"]
    )
    messages.success(request, _("Saved."))
    return redirect(reverse("workspace:assessment", args=[key]) + "#participants-heading")


@login_required
@require_POST
def participant_revoke(request, key, participant_id):
    assessment = access.get_assessment_for(request, key)
    participant = access.get_participant_of(assessment, participant_id)
    services.participant_revoke(participant=participant)
    messages.success(
        request,
        _(
            "The link of %(name)s no longer works, and their answers no longer count. You can undo this in "
            "the list of participants."
        )
        % {"name": participant.name or _("Respondent")},
    )
    return _to_row_of(key, participant)


@login_required
@require_POST
def participant_restore(request, key, participant_id):
    """Undoes a revocation: the participant's link works again and their answers count again."""
    assessment = access.get_assessment_for(request, key)
    participant = access.get_participant_of(assessment, participant_id)
    services.participant_restore(participant=participant)
    messages.success(
        request,
        _("The link of %(name)s works again, and their answers count again.")
        % {"name": participant.name or _("Respondent")},
    )
    return _to_row_of(key, participant)


def _to_row_of(key, participant):
    """Back to the workshop page, at the participant's row (where the change can be undone)."""
    url = reverse("workspace:assessment", args=[key])
    return redirect(f"{url}#participant-{participant.pk}")


@login_required
@require_POST
def assessment_settings(request, key):
    """The assessment's title and whose answers count for a workshop's result."""
    assessment = access.get_assessment_for(request, key)
    form = AssessmentSettingsForm(request.POST)
    if not form.is_valid():
        return bad_request(request, " ".join(e for errors in form.errors.values() for e in errors))
    services.assessment_settings_set(
        assessment=assessment, title=form.cleaned_data["title"], counting=form.cleaned_data["counting"]
    )
    messages.success(request, _("Saved."))
    return redirect(reverse("workspace:assessment", args=[key]) + "#group-heading")


@login_required
@require_POST
def participant_relink(request, key, participant_id):
    assessment = access.get_assessment_for(request, key)
    participant = access.get_participant_of(assessment, participant_id)
    link = services.participant_relink(participant=participant)
    return _assessment_page(request, assessment, new_link=link)


@login_required
@require_POST
def participant_remind(request, key, participant_id):
    """A reminder with a new personal link to one participant who has not finished."""
    assessment = access.get_assessment_for(request, key)
    participant = access.get_participant_of(assessment, participant_id)
    try:
        services.participant_remind(participant=participant)
    except ValidationError as error:
        return bad_request(request, error.messages[0])
    messages.success(request, _("A reminder to %(name)s is being sent.") % {"name": participant.name})
    return redirect("workspace:assessment", key=key)


@login_required
@require_POST
def assessment_remind(request, key):
    """Reminders to everyone invited by e-mail who has not finished."""
    assessment = access.get_assessment_for(request, key)
    queued = services.participants_remind(assessment=assessment)
    if queued:
        messages.success(
            request,
            ngettext("%(n)s reminder is being sent.", "%(n)s reminders are being sent.", queued)
            % {"n": queued},
        )
    else:
        messages.info(
            request,
            _("Nobody to remind: everyone with an e-mail address has finished or has a mail on its way."),
        )
    return redirect("workspace:assessment", key=key)


@login_required
@require_POST
def consensus(request, key):
    """Sets or clears the answer the room agreed on for one question."""
    assessment = access.get_assessment_for(request, key)
    questionnaire = questionnaire_of(assessment)
    question_id = parse_id(request.POST.get("question", ""))
    question = questionnaire.questions.get(question_id) if question_id is not None else None
    if question is None:
        return bad_request(request, _("The answer refers to a question that is not part of this step."))
    value = request.POST.get("answer", "")
    option = None
    if value not in {DONT_KNOW, "clear"}:
        option_id = parse_id(value)
        option = questionnaire.options.get(option_id) if option_id is not None else None
        if option is None or option.question_id != question.pk:
            return bad_request(request, _("The chosen answer does not belong to this question."))
    services.consensus_set(
        assessment=assessment,
        question=question,
        option=option,
        clear=value == "clear",
        validated=request.POST.get("validated") == "1",
    )
    return redirect(reverse("workspace:assessment", args=[key]) + f"#q-{question.code}")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def assessment_delete(request, key):
    assessment = access.get_assessment_for(request, key)
    form = ConfirmDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        client = assessment.client
        services.assessment_delete(assessment=assessment)
        messages.success(request, _("The assessment and all its data were deleted."))
        return redirect("workspace:client", pk=client.pk) if client else redirect("workspace:dashboard")
    return render(
        request,
        "workspace/confirm_delete.html",
        {
            "object_name": f"{assessment.label()} · {assessment}",
            "form": form,
            "exports": [assessment],
            "back": reverse("workspace:assessment", args=[key]),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_safe
def compare(request, key):
    """This assessment next to the client's previous one: both profiles on one radar, the change per field."""
    assessment = access.get_assessment_for(request, key)
    previous = previous_assessment(assessment)
    if previous is None:
        raise Http404
    context = comparison(assessment_result(assessment), assessment_result(previous))
    return render(request, "workspace/compare.html", {"assessment": assessment, **context})


@login_required
@require_safe
def report(request, key):
    """The PDF report for the consultant who owns the assessment (with the comparison to the previous one)."""
    return pdf_response(request, access.get_assessment_for(request, key), for_owner=True)


@login_required
@require_safe
def export(request, key, kind):
    return export_response(access.get_assessment_for(request, key), kind)
