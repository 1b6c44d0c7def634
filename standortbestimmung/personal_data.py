"""What is stored about one participant, for them to download (GDPR access and portability)."""

import json

from standortbestimmung.models import Participant
from standortbestimmung.result import participant_result

SCHEMA_VERSION = 1


def export_participant(participant: Participant, extra: dict | None = None) -> str:
    """The participant's name, e-mail and own answers, nobody else's; `extra` adds what the apps above keep
    about them (contact requests, mails, share links)."""
    answers = participant_result(participant).per_participant[participant.pk]
    data = {
        "schema": "cjm-standortbestimmung/participant",
        "schema_version": SCHEMA_VERSION,
        "name": participant.name,
        "email": participant.email,
        "organisation": participant.assessment.organisation,
        "finished_at": participant.finished_at.isoformat() if participant.finished_at else None,
        "answers": {code: int(level) if level else None for code, level in sorted(answers.items())},
        **(extra or {}),
    }
    return json.dumps(data, ensure_ascii=False, indent=2)
