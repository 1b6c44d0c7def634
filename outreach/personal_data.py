"""What outreach keeps about people, for the GDPR exports: contact requests, mails and share links."""

from django.db.models import Q

from outreach.models import Lead, Mail
from standortbestimmung.models import Assessment


def _iso(value):
    return value.isoformat() if value else None


def lead_data(lead: Lead) -> dict:
    """A contact request as exported: the details given, the consent as worded, and what became of it."""
    return {
        "name": lead.name,
        "email": lead.email,
        "phone": lead.phone,
        "organisation": lead.organisation,
        "message": lead.message,
        "language": lead.language,
        "consent_at": _iso(lead.consent_at),
        "consent_text": lead.consent_text,
        "status": lead.status,
        "created_at": _iso(lead.created_at),
        "withdrawn_at": _iso(lead.withdrawn_at),
    }


def participant_outreach(participant) -> dict:
    """A participant's contact requests, the mails sent to them (kind, address, status; never their text,
    which carried their link) and the share links of their assessment (dates only: secrets are not kept)."""
    return {
        "contact_requests": [lead_data(lead) for lead in participant.leads.order_by("created_at", "pk")],
        "mails": [
            {
                "kind": m.kind,
                "to": m.to,
                "status": m.status,
                "created_at": _iso(m.created_at),
                "sent_at": _iso(m.sent_at),
            }
            for m in Mail.objects.filter(
                Q(participant=participant)
                | Q(lead__participant=participant, kind=Mail.Kind.LEAD_CONFIRMATION)
            ).order_by("created_at", "pk")
        ],
        "share_links": [
            {
                "created_at": _iso(s.created_at),
                "expires_at": _iso(s.expires_at),
                "revoked_at": _iso(s.revoked_at),
            }
            for s in participant.assessment.share_links.order_by("created_at", "pk")
        ]
        if participant.assessment.kind == Assessment.Kind.SELF
        else [],
    }
