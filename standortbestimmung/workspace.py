"""The consultant's workspace: clients, workshops with invited participants, spread, consensus, comparison."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cjm_assess.ratelimit import over_limit
from cjm_assess.security import security_event
from roadmap import services as roadmap_services
from standortbestimmung import access, charts, scoring, services
from standortbestimmung.content import questionnaire_of
from standortbestimmung.forms import DONT_KNOW, ClaimForm, ClientForm, ConfirmDeleteForm, InviteForm, parse_id
from standortbestimmung.models import Assessment, Client
from standortbestimmung.presentation import comparison
from standortbestimmung.views import bad_request

INVITE_SESSION_KEY = "new_invitation"


CLIENTS_PER_PAGE = 50


@login_required
@require_http_methods(["GET", "POST"])
def dashboard(request):
    """The consultant's clients (50 a page, searchable) with their assessments, and a form for a new client."""
    clients = Client.objects.all() if request.user.is_staff else Client.objects.filter(owner=request.user)
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
    if request.method == "POST":
        if form.is_valid():
            client = form.save(commit=False)
            client.owner = request.user
            client.save()
            messages.success(request, _("Client “%(name)s” created.") % {"name": client.name})
            return redirect("client", pk=client.pk)
        status = 400
    else:
        status = 200
    return render(
        request, "workspace/dashboard.html", {"page": page, "form": form, "query": query}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def client_detail(request, pk):
    client = access.get_client_for(request, pk)
    form = ClientForm(request.POST or None, instance=client)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Saved."))
            return redirect("client", pk=client.pk)
        status = 400
    else:
        status = 200
    assessments = list(client.assessments.select_related("version").order_by("created_at"))
    levels = [services.assessment_levels(assessment=a)[0] for a in assessments]
    return render(
        request,
        "workspace/client.html",
        {
            "client": client,
            "form": form,
            "claim_form": ClaimForm(),
            "rows": list(zip(assessments, levels, strict=True)),
        },
        status=status,
    )


@login_required
@require_POST
def workshop_new(request, pk):
    client = access.get_client_for(request, pk)
    version = services.current_version()
    if version is None:
        raise Http404
    assessment = services.workshop_start(client=client, version=version, language=request.LANGUAGE_CODE)
    roadmap_services.roadmap_get_or_create(assessment=assessment)
    messages.success(request, _("New assessment started. Invite the participants."))
    return redirect("workshop", key=assessment.key)


@login_required
@require_POST
def claim(request, pk):
    client = access.get_client_for(request, pk)
    form = ClaimForm(request.POST)
    if not form.is_valid():
        return bad_request(request, _("Please paste the personal link of the self-assessment."))
    try:
        assessment = services.assessment_claim(client=client, token=form.cleaned_data["link"])
    except ValidationError as error:
        return bad_request(request, error.messages[0])
    roadmap_services.roadmap_get_or_create(assessment=assessment)
    messages.success(request, _("The self-assessment now belongs to %(client)s.") % {"client": client.name})
    return redirect("workshop", key=assessment.key)


@login_required
@require_http_methods(["GET", "POST"])
def client_delete(request, pk):
    client = access.get_client_for(request, pk)
    form = ConfirmDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        name = client.name
        client.delete()  # cascades to assessments, participants, answers, roadmaps and cached reports
        messages.success(request, _("“%(name)s” and all its data were deleted.") % {"name": name})
        return redirect("dashboard")
    return render(
        request,
        "workspace/confirm_delete.html",
        {
            "object_name": client.name,
            "form": form,
            "exports": list(client.assessments.order_by("created_at")),
            "back": reverse("client", args=[client.pk]),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def workshop(request, key):
    """Participants and their progress, invitations, the group's result and the questions that divide it."""
    assessment = access.get_assessment_for(request, key)
    content = questionnaire_of(assessment)
    per_participant, consensus = services.assessment_answers(assessment=assessment, content=content)
    profile, group = services.assessment_levels(
        assessment=assessment, content=content, answers=(per_participant, consensus)
    )
    participants = list(assessment.participants.annotate(answered=Count("answers")).order_by("created_at"))
    spreads = []
    for q in content.questions.values():
        spread = scoring.question_spread(q.code, [a[q.code] for a in per_participant if q.code in a])
        spreads.append(
            {
                "question": q,
                "spread": spread,
                "consensus": consensus.get(q.code, "unset"),
                "has_consensus": q.code in consensus,
                "group": group.get(q.code),
            }
        )
    spreads.sort(
        key=lambda s: (
            -s["spread"].spread,
            -s["spread"].deviation,
            s["question"].field.position,
            s["question"].position,
        )
    )
    return render(
        request,
        "workspace/workshop.html",
        {
            "assessment": assessment,
            "content": content,
            "participants": participants,
            "total": len(content.questions),
            "invite_form": InviteForm(),
            "new_invitation": request.session.pop(INVITE_SESSION_KEY, None),
            "profile": profile,
            "radar": charts.radar([(content.field(r.field).name, r.score, r.level) for r in profile.fields]),
            "spreads": spreads,
            "dont_know": DONT_KNOW,
            "previous": services.previous_assessment(assessment),
        },
    )


@login_required
@require_POST
def invite(request, key):
    assessment = access.get_assessment_for(request, key)
    if over_limit(
        f"invite:{request.user.pk}", limit=settings.INVITATIONS_PER_CONSULTANT_PER_HOUR, window_seconds=3600
    ):
        security_event(request, "rate_limited", what="invitations")
        return render(request, "errors/429.html", status=429)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return bad_request(request, " ".join(e for errors in form.errors.values() for e in errors))
    participant, token = services.participant_invite(
        assessment=assessment, name=form.cleaned_data["name"], email=form.cleaned_data["email"]
    )
    request.session[INVITE_SESSION_KEY] = {
        "name": participant.name,
        "link": request.build_absolute_uri(reverse("resume", args=[token])),
    }
    return redirect("workshop", key=key)


@login_required
@require_POST
def participant_revoke(request, key, participant_id):
    assessment = access.get_assessment_for(request, key)
    participant = access.get_participant_of(assessment, participant_id)
    services.participant_revoke(participant=participant)
    messages.success(request, _("The link of %(name)s no longer works.") % {"name": participant.name})
    return redirect("workshop", key=key)


@login_required
@require_POST
def participant_relink(request, key, participant_id):
    assessment = access.get_assessment_for(request, key)
    participant = access.get_participant_of(assessment, participant_id)
    if participant.revoked_at:
        return bad_request(request, _("This participant's link was revoked."))
    token = services.participant_new_link(participant=participant)
    request.session[INVITE_SESSION_KEY] = {
        "name": participant.name,
        "link": request.build_absolute_uri(reverse("resume", args=[token])),
    }
    return redirect("workshop", key=key)


@login_required
@require_POST
def consensus(request, key):
    """Sets or clears the answer the room agreed on for one question."""
    assessment = access.get_assessment_for(request, key)
    content = questionnaire_of(assessment)
    raw_question, value = request.POST.get("question", ""), request.POST.get("answer", "")
    question_id = parse_id(raw_question)
    question = content.questions.get(question_id) if question_id is not None else None
    if question is None:
        return bad_request(request, _("The answer refers to a question that is not part of this step."))
    option = None
    if value not in {DONT_KNOW, "clear"}:
        option_id = parse_id(value)
        option = content.options.get(option_id) if option_id is not None else None
        if option is None or option.question_id != question.pk:
            return bad_request(request, _("The chosen answer does not belong to this question."))
    services.consensus_set(assessment=assessment, question=question, option=option, clear=value == "clear")
    roadmap_services.roadmap_follow_answers(assessment=assessment)
    return redirect(reverse("workshop", args=[key]) + f"#q-{question.code}")


@login_required
@require_http_methods(["GET", "POST"])
def assessment_delete(request, key):
    assessment = access.get_assessment_for(request, key)
    form = ConfirmDeleteForm(request.POST or None)
    back = reverse("workshop", args=[key])
    if request.method == "POST" and form.is_valid():
        client = assessment.client
        assessment.delete()
        messages.success(request, _("The assessment and all its data were deleted."))
        return redirect("client", pk=client.pk) if client else redirect("dashboard")
    return render(
        request,
        "workspace/confirm_delete.html",
        {"object_name": str(assessment), "form": form, "exports": [assessment], "back": back},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def compare(request, key):
    """This assessment next to the client's previous one: both profiles on one radar, the change per field."""
    assessment = access.get_assessment_for(request, key)
    previous = services.previous_assessment(assessment)
    if previous is None:
        raise Http404
    context = comparison(assessment, previous)
    return render(request, "workspace/compare.html", {"assessment": assessment, **context})
