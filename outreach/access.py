"""Who sees contact requests, and what the secrets of share and withdrawal links open.

Leads are the operator's: staff and the consultants named in LEAD_RECIPIENTS (user names) see every one;
everybody else gets a 404, like for any foreign object. A setting rather than a permission row: the check costs
no query on the pages that show the inbox link. A withdrawn request shows nothing of the person or the result.
"""

import hmac
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import Http404
from django.utils import timezone

from cjm_assess.security import security_event
from outreach.models import Lead, Mail, ShareLink
from standortbestimmung.access import assessments_of, token_hash, token_new, token_shaped
from standortbestimmung.models import Assessment


def sees_leads(user) -> bool:
    """Whether the user may open the leads inbox: staff and the lead recipients of the settings."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_staff or user.get_username() in settings.LEAD_RECIPIENTS)
    )


def leads_for(request):
    """Every lead, for someone who may see them; 404 for everybody else."""
    if not sees_leads(request.user):
        if request.user.is_authenticated:
            security_event(request, "foreign_object", kind="leads")
        raise Http404
    return Lead.objects.select_related("assessment", "assessment__version", "client")


def get_lead_for(request, pk) -> Lead:
    """One lead for someone who may see leads; 404 for anything else."""
    lead = leads_for(request).filter(pk=pk).first()
    if lead is None:
        raise Http404
    return lead


def lead_recipients() -> list[str]:
    """The addresses a new lead is announced to: those of the active lead recipients, or else the operator
    consultant's (CONSULTANT_EMAIL)."""
    users = (
        get_user_model()
        .objects.filter(username__in=settings.LEAD_RECIPIENTS, is_active=True)
        .exclude(email="")
    )
    addresses = sorted({user.email for user in users})
    if not addresses and settings.CONSULTANT["email"]:
        addresses = [settings.CONSULTANT["email"]]
    return addresses


def open_lead_of(assessment: Assessment) -> Lead | None:
    """The request about this assessment that is still open (new or contacted), if there is one."""
    return assessment.leads.filter(status__in=Lead.OPEN).order_by("-created_at").first()


def lead_of(participant) -> Lead | None:
    """The participant's latest request whose consent stands (open, converted or declined)."""
    return participant.leads.exclude(status=Lead.Status.WITHDRAWN).order_by("-created_at", "-pk").first()


def lead_by_withdraw_token(token: str) -> Lead | None:
    """The request a withdrawal link belongs to, or None for a malformed, unknown or used one."""
    if not token_shaped(token):
        return None
    digest = token_hash(token)
    lead = Lead.objects.select_related("assessment").filter(withdraw_token_hash=digest).first()
    if lead is None or lead.is_withdrawn or not hmac.compare_digest(lead.withdraw_token_hash, digest):
        return None
    return lead


def share_by_token(token: str) -> ShareLink | None:
    """The share link a secret belongs to, or None for a malformed, unknown, revoked or expired one, or for a
    result that is no longer finished."""
    if not token_shaped(token):
        return None
    digest = token_hash(token)
    link = (
        ShareLink.objects.select_related("assessment", "assessment__version")
        .filter(token_hash=digest, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if link is None or not hmac.compare_digest(link.token_hash, digest):
        return None
    if link.assessment.status != Assessment.Status.FINISHED:
        return None
    return link


def share_link_make(*, assessment: Assessment, token: str | None = None) -> tuple[ShareLink, str]:
    """A read-only link to the assessment's result and report, valid SHARE_LINK_DAYS; the secret is returned
    for the response (or mail) that shows it and stored only as its hash."""
    token, digest = token_new() if token is None else (token, token_hash(token))
    link = ShareLink.objects.create(
        assessment=assessment,
        token_hash=digest,
        expires_at=timezone.now() + timedelta(days=settings.SHARE_LINK_DAYS),
    )
    return link, token


def get_share_link_of(assessment: Assessment, pk) -> ShareLink:
    """A share link of this assessment; 404 for one of another."""
    link = ShareLink.objects.filter(assessment=assessment, pk=pk).first()
    if link is None:
        raise Http404
    return link


def get_mail_for(request, pk) -> Mail:
    """A mail of an assessment the consultant may open, or of a lead for someone who sees leads; else 404."""
    if not request.user.is_authenticated:
        raise Http404
    mail = Mail.objects.select_related("assessment", "lead").filter(pk=pk).first()
    if mail is None:
        raise Http404
    if mail.lead_id is not None and sees_leads(request.user):
        return mail
    if mail.assessment_id is not None and assessments_of(request.user).filter(pk=mail.assessment_id).exists():
        return mail
    security_event(request, "foreign_object", kind="mail")
    raise Http404
