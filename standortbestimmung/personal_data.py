"""What is stored about one participant, for them to download (GDPR access and portability)."""

import json

from standortbestimmung.models import Answer, Participant
from standortbestimmung.result import participant_result

# 2: the participant's business unit and role, and what they added to their answers (how sure, a note)
SCHEMA_VERSION = 2


def export_participant(participant: Participant, extra: dict | None = None) -> str:
    """The participant's name, e-mail, unit, role and own answers with their notes, nobody else's; `extra` adds
    what the apps above keep about them (contact requests, mails, share links)."""
    result = participant_result(participant)
    answers = result.per_participant[participant.pk]
    notes = {
        result.questionnaire.questions[qid].code: {"confidence": confidence or None, "evidence": evidence}
        for qid, confidence, evidence in Answer.objects.filter(participant=participant)
        .exclude(confidence="", evidence="")
        .values_list("question_id", "confidence", "evidence")
    }
    data = {
        "schema": "cjm-standortbestimmung/participant",
        "schema_version": SCHEMA_VERSION,
        "name": participant.name,
        "email": participant.email,
        "organisation": participant.assessment.organisation,
        "unit": participant.unit.name if participant.unit_id else None,
        "role": participant.role.name if participant.role_id else None,
        "finished_at": participant.finished_at.isoformat() if participant.finished_at else None,
        "answers": {code: int(level) if level else None for code, level in sorted(answers.items())},
        "notes": dict(sorted(notes.items())),
        **(extra or {}),
    }
    return json.dumps(data, ensure_ascii=False, indent=2)
