"""Everything stored about a client, for the consultant to hand over (GDPR access and portability)."""

import json

from roadmap.exchange import SCHEMA_VERSION, export_assessment
from standortbestimmung.models import Client


def export_client(client: Client) -> str:
    """The client's own data and all its assessments in the exchange format."""
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
    }
    return json.dumps(data, ensure_ascii=False, indent=2)
