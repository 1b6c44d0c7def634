"""The leads inbox: contact requests from self-assessments, each with its result at a glance, and the way to
turn one into a client. Staff and lead recipients see every request (outreach.access); others get a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cjm_assess.http import bad_request
from outreach import access
from outreach.models import Lead, Mail
from roadmap.downloads import pdf_response
from standortbestimmung.presentation import key_findings, radar_of
from standortbestimmung.result import assessment_result
from workspace import services

LEADS_PER_PAGE = 25


@login_required
@require_GET
def inbox(request):
    """Every contact request, newest first, filtered by status, with its overall and field levels."""
    leads = access.leads_for(request)
    status = request.GET.get("status", "")
    if status in Lead.Status.values:
        leads = leads.filter(status=status)
    else:
        status = ""
    page = Paginator(leads, LEADS_PER_PAGE).get_page(request.GET.get("page"))
    for lead in page:  # the result at a glance; nothing of a withdrawn request
        lead.profile = None if lead.is_withdrawn else assessment_result(lead.assessment).profile
    return render(
        request,
        "workspace/leads.html",
        {"page": page, "status": status, "statuses": Lead.Status.choices},
    )


@login_required
@require_GET
def lead(request, pk):
    """One request: who, how to reach them, what they agreed to, the result, the mails, and what to do next."""
    lead = access.get_lead_for(request, pk)
    context = {"lead": lead, "statuses": [Lead.Status.NEW, Lead.Status.CONTACTED, Lead.Status.DECLINED]}
    if not lead.is_withdrawn:
        result = assessment_result(lead.assessment)
        context |= {
            "profile": result.profile,
            "radar": radar_of(result),
            "findings": key_findings(result),
            "mails": lead.mails.order_by("created_at", "pk"),
        }
    return render(request, "workspace/lead.html", context)


@login_required
@require_POST
def lead_status(request, pk):
    lead = access.get_lead_for(request, pk)
    try:
        services.lead_status_set(lead=lead, status=request.POST.get("status", ""), user=request.user)
    except ValidationError as error:
        return bad_request(request, error.messages[0])
    messages.success(request, _("Saved."))
    return redirect("workspace:lead", pk=lead.pk)


@login_required
@require_POST
def lead_convert(request, pk):
    """One click: a client from the request, with the assessment in it."""
    lead = access.get_lead_for(request, pk)
    try:
        client = services.lead_convert(lead=lead, user=request.user)
    except ValidationError as error:
        return bad_request(request, error.messages[0])
    messages.success(request, _("“%(name)s” is a client now, with the assessment.") % {"name": client.name})
    return redirect("workspace:client", pk=client.pk)


@login_required
@require_POST
def lead_delete(request, pk):
    lead = access.get_lead_for(request, pk)
    services.lead_delete(lead=lead)
    messages.success(request, _("The request and its details were deleted."))
    return redirect("workspace:leads")


@login_required
@require_GET
def lead_report(request, pk):
    """The PDF of the request's assessment (the respondent's copy) while the consent stands."""
    lead = access.get_lead_for(request, pk)
    if lead.is_withdrawn:
        raise Http404
    return pdf_response(request, lead.assessment, for_owner=False)


@login_required
@require_POST
def mail_retry(request, pk):
    """Sends a failed mail again; back to the page it was listed on."""
    mail = access.get_mail_for(request, pk)
    try:
        services.mail_retry(mail=mail)
    except ValidationError as error:
        return bad_request(request, error.messages[0])
    messages.success(request, _("The e-mail is queued again."))
    if mail.lead_id and mail.kind in {Mail.Kind.LEAD_NOTICE, Mail.Kind.LEAD_CONFIRMATION}:
        return redirect("workspace:lead", pk=mail.lead_id)
    return redirect("workspace:assessment", key=mail.assessment.key)
