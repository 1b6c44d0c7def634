"""Everything stored about a client, for the consultant to hand over (GDPR access and portability)."""

import json

from django.db.models import Q

from outreach.models import Lead
from outreach.personal_data import lead_data
from roadmap.exchange import SCHEMA_VERSION, export_assessment
from standortbestimmung.models import Client


def export_client(client: Client) -> str:
    """The client's own data, all its assessments in the exchange format, and the contact requests that
    became it or concern its assessments."""
    leads = (
        Lead.objects.filter(Q(client=client) | Q(assessment__client=client))
        .distinct()
        .order_by("created_at", "pk")
    )
    data = {
        "schema": "cjm-standortbestimmung/client",
        "schema_version": SCHEMA_VERSION,
        "client": {
            "name": client.name,
            "contact_name": client.contact_name,
            "contact_email": client.contact_email,
            "notes": client.notes,
            "created_at": client.created_at.isoformat(),
            "industry": client.industry,
            "size": client.size,
            "region": client.region,
            "benchmark_consent": client.benchmark_consent,
            "benchmark_consent_at": client.benchmark_consent_at.isoformat()
            if client.benchmark_consent_at
            else None,
        },
        "assessments": [export_assessment(a) for a in client.assessments.order_by("created_at", "pk")],
        "contact_requests": [lead_data(lead) for lead in leads],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)
