"""The exchange format of an assessment: JSON (versioned, importable) out and in, and CSV of the answers.

The JSON schema is documented in the README ("Export format"). Derived figures (levels, scores) are
exported for analysis but ignored on import: they are recomputed from the answers. Version 2 added the business
units and roles, each participant's unit, role and notes (confidence, evidence) and the validated answers; a
version-1 file is still read, and every field version 2 added is optional on import.
"""

import csv
import io
import json
import uuid
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from cjm_assess.text import csv_cell
from roadmap.access import roadmap_of
from roadmap.models import REASON_CHOICES, Catalogue, ProgressEntry, Roadmap, RoadmapItem
from roadmap.progress import quarter_end
from roadmap.quarters import Quarter
from standortbestimmung.grouping import segment_names
from standortbestimmung.models import (
    EVIDENCE_LENGTH,
    MAX_GROUP_SIZE,
    Answer,
    Assessment,
    CompanySize,
    Industry,
    Participant,
    QuestionnaireVersion,
    Region,
    Segment,
    ValidatedAnswer,
)
from standortbestimmung.questionnaire import questionnaire_for, questionnaire_of
from standortbestimmung.result import assessment_result, participant_result
from standortbestimmung.scoring import FIELD_ORDER, Level
from standortbestimmung.segments import MIN_PARTICIPANTS, Confidence

SCHEMA = "cjm-standortbestimmung/assessment"
SCHEMA_VERSION = 3
# 2 added segments, notes, the organisation profile and consent; 3 the progress of roadmap items and its
# history (all of them optional on import)
READABLE_VERSIONS = (1, 2, 3)
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_HISTORY = 500  # progress entries per item


class ImportRefused(ValueError):
    """An import file that cannot be imported; the message names the problem."""


def _participants(assessment: Assessment, participant: Participant | None) -> list[Participant]:
    """Every participant (revoked ones too: it is their data), or only the one the download is for."""
    people = assessment.participants.select_related("unit", "role").order_by("created_at", "pk")
    return list(people.filter(pk=participant.pk) if participant else people)


def _answers_of(people: list[Participant], questionnaire) -> dict[int, dict[str, Level | None]]:
    """Participant id -> answers by code, for these participants."""
    answers: dict[int, dict[str, Level | None]] = {}
    rows = Answer.objects.filter(participant__in=people).values_list(
        "participant_id", "question_id", "option_id"
    )
    for pid, qid, oid in rows:
        answers.setdefault(pid, {})[questionnaire.questions[qid].code] = questionnaire.level_of(oid)
    return answers


def _notes_of_everyone(assessment: Assessment, questionnaire) -> dict[int, dict[str, dict]]:
    """Participant id -> question code -> what they added to the answer (only answers with something added)."""
    notes: dict[int, dict[str, dict]] = {}
    rows = (
        Answer.objects.filter(participant__assessment=assessment)
        .exclude(confidence="", evidence="")
        .values_list("participant_id", "question_id", "confidence", "evidence")
    )
    for pid, qid, confidence, evidence in rows:
        code = questionnaire.questions[qid].code
        notes.setdefault(pid, {})[code] = {"confidence": confidence or None, "evidence": evidence}
    return notes


def export_assessment(assessment: Assessment, *, participant: Participant | None = None) -> dict:
    """The whole assessment as plain data (schema version 3).

    participant: a respondent's own download, which carries only their answers, notes, name and e-mail, and
    the result of their own answers.
    """
    result = participant_result(participant) if participant else assessment_result(assessment)
    people = _participants(assessment, participant)
    answers = _answers_of(people, result.questionnaire)
    notes = _notes_of_everyone(assessment, result.questionnaire)
    roadmap = roadmap_of(assessment)
    participants = [
        {
            "key": str(p.key),
            "name": p.name,
            "email": p.email,
            "finished_at": _iso(p.finished_at),
            "unit": p.unit.name if p.unit_id else None,
            "role": p.role.name if p.role_id else None,
            "answers": {code: _level(level) for code, level in sorted(answers.get(p.pk, {}).items())},
            "notes": dict(sorted(notes.get(p.pk, {}).items())),
        }
        for p in people
    ]
    segments = list(assessment.segments.order_by("dimension", "position", "pk"))
    validated = ValidatedAnswer.objects.filter(assessment=assessment).values_list("question_id", flat=True)
    profile = result.profile
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "assessment": {
            "key": str(assessment.key),
            "kind": assessment.kind,
            "status": assessment.status,
            "organisation": assessment.organisation,
            "title": assessment.title,
            "counting": assessment.counting,
            "language": assessment.language,
            "questions_per_field": assessment.questions_per_field,
            "created_at": _iso(assessment.created_at),
            "finished_at": _iso(assessment.finished_at),
            "min_group_size": assessment.min_group_size,
            "industry": assessment.industry,
            "size": assessment.size,
            "region": assessment.region,
            "benchmark_consent": assessment.benchmark_consent,  # exported, never imported: consent is given here
        },
        "questionnaire_version": assessment.version.number,
        "segments": {
            "units": [
                {"name": s.name, "targets": s.targets or None}
                for s in segments
                if s.dimension == Segment.Dimension.UNIT
            ],
            "roles": [{"name": s.name} for s in segments if s.dimension == Segment.Dimension.ROLE],
        },
        "participants": participants,
        "validated": sorted(result.questionnaire.questions[qid].code for qid in validated),
        "result": {
            "level": _level(profile.level),
            "score": profile.score,
            "fields": {
                r.field.value: {
                    "level": _level(r.level),
                    "score": r.score,
                    "answered": r.answered,
                    "dont_know": r.dont_know,
                }
                for r in profile.fields
            },
        },
        "roadmap": _export_roadmap(roadmap) if roadmap else None,
    }


def _export_roadmap(roadmap: Roadmap) -> dict:
    return {
        "catalogue_version": roadmap.catalogue.number,
        "start": roadmap.start.code,
        "horizon": roadmap.horizon,
        "capacity": roadmap.capacity,
        "capacity_in_points": roadmap.capacity_in_points,
        "targets": {code.value: roadmap.targets.get(code.value) for code in FIELD_ORDER},
        "items": [
            {
                "measure": item.measure.code if item.measure_id else None,
                "title": item.title,
                "description": item.description,
                "field": item.field,
                "target_level": item.target_level,
                "quarter": item.when.code if item.when else None,
                "status": item.status,
                "owner": item.owner,
                "note": item.note,
                "pinned": item.pinned,
                "reason": item.reason,
                "for_field": item.for_field,
                "enables": item.enables,
                "progress": item.progress,
                "progress_history": [
                    {"percent": entry.percent, "recorded_on": entry.recorded_on.isoformat()}
                    for entry in item.progress_entries.all()
                ],
            }
            for item in roadmap.items.select_related("measure")
            .prefetch_related("progress_entries")
            .order_by("year", "quarter", "position", "pk")
        ],
    }


def _level(level: Level | None) -> int | None:
    return int(level) if level is not None else None


def export_json(assessment: Assessment, *, participant: Participant | None = None) -> str:
    return json.dumps(export_assessment(assessment, participant=participant), ensure_ascii=False, indent=2)


def export_csv(assessment: Assessment, *, participant: Participant | None = None) -> str:
    """The answers: one row per question, one column per participant (level name, "weiß nicht" or empty);
    with participant, only their column.

    Every cell is quoted and no cell part starts a formula, whichever separator the spreadsheet splits on."""
    questionnaire = questionnaire_of(assessment)
    participants = _participants(assessment, participant)
    answers = _answers_of(participants, questionnaire)
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    header = [_("field"), _("code"), _("question")]
    header += [p.name or _("Participant %(n)s") % {"n": i + 1} for i, p in enumerate(participants)]
    writer.writerow([csv_cell(cell) for cell in header])
    for field in questionnaire.fields:
        for q in field.questions.all():
            row = [field.name, q.code, q.text]
            for p in participants:
                given = answers.get(p.pk, {})
                if q.code not in given:
                    row.append("")
                elif given[q.code] is None:
                    row.append(_("Don't know"))
                else:
                    row.append(given[q.code].label)
            writer.writerow([csv_cell(cell) for cell in row])
    return out.getvalue()


@transaction.atomic
def import_assessment(raw: bytes | str) -> Assessment:
    """Recreates an exported assessment; refuses the whole file (nothing written) at the first problem."""
    if len(raw) > MAX_IMPORT_BYTES:
        raise ImportRefused(_("The file is larger than 5 MB."))
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ImportRefused(_("The file is not valid JSON (%(error)s).") % {"error": exc}) from None
    except RecursionError:  # the parser descends once per level of nesting; an export has five
        raise ImportRefused(_("The file is nested too deeply to be an export.")) from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise ImportRefused(_("The file is not an export of a CJM-Standortbestimmung."))
    if data.get("schema_version") not in READABLE_VERSIONS or isinstance(data.get("schema_version"), bool):
        raise ImportRefused(
            _("Schema version %(found)s cannot be imported; this installation reads versions %(expected)s.")
            % {"found": data.get("schema_version"), "expected": ", ".join(map(str, READABLE_VERSIONS))}
        )
    try:
        return _import(data)
    except ValidationError as exc:
        raise ImportRefused(
            _("The file is incomplete or malformed (%(error)s).") % {"error": exc.messages[0]}
        ) from None
    except (KeyError, TypeError, ValueError, AttributeError, IntegrityError) as exc:
        if isinstance(exc, ImportRefused):
            raise
        raise ImportRefused(
            _("The file is incomplete or malformed (%(error)s).") % {"error": repr(exc)[:200]}
        ) from None


def _import(data: dict) -> Assessment:
    meta = data["assessment"]
    key = uuid.UUID(meta["key"])
    if Assessment.objects.filter(key=key).exists():
        raise ImportRefused(_("An assessment with this key exists already on this installation."))
    version = QuestionnaireVersion.objects.filter(number=data["questionnaire_version"]).first()
    if version is None:
        raise ImportRefused(
            _("Questionnaire version %(n)s does not exist here.") % {"n": data["questionnaire_version"]}
        )
    per_field = meta.get("questions_per_field")  # a later addition: files without it are whole questionnaires
    if per_field is not None:
        per_field = _bounded(per_field, 3, 20)
    by_code = {q.code: q for q in questionnaire_for(version, per_field=per_field).questions.values()}
    assessment = Assessment.objects.create(
        key=key,
        version=version,
        kind=_choice(meta["kind"], Assessment.Kind),
        status=_choice(meta["status"], Assessment.Status),
        organisation=_text(meta["organisation"], 200),
        # optional: files written before titles and the counting choice existed counted every answer
        title=_text(meta.get("title", ""), 120),
        counting=_choice(meta.get("counting", Assessment.Counting.ALL), Assessment.Counting),
        language=meta["language"] if meta["language"] in {"de", "en"} else "de",
        questions_per_field=per_field,
        finished_at=_datetime(meta["finished_at"]),
        min_group_size=_bounded(meta.get("min_group_size", MIN_PARTICIPANTS), 2, MAX_GROUP_SIZE),
        industry=_code(meta.get("industry", ""), Industry.values),
        size=_code(meta.get("size", ""), CompanySize.values),
        region=_code(meta.get("region", ""), Region.values),
    )
    Assessment.objects.filter(pk=assessment.pk).update(created_at=_datetime(meta["created_at"]))
    units, roles = _import_segments(assessment, data.get("segments") or {})
    for p in data["participants"]:
        participant = Participant.objects.create(
            assessment=assessment,
            key=uuid.UUID(p["key"]),
            name=_text(p["name"], 200),
            email=_text(p["email"], 254),
            # the link's secret is never exported: the imported participant needs a new link
            token_hash=uuid.uuid4().hex + uuid.uuid4().hex,
            finished_at=_datetime(p["finished_at"]),
            unit=_named(units, p.get("unit"), "unit"),
            role=_named(roles, p.get("role"), "role"),
        )
        notes = p.get("notes") or {}
        if not isinstance(notes, dict):
            raise TypeError("notes must be an object")
        if unanswered := sorted(set(notes) - set(p["answers"])):
            raise ValueError(f"notes to unanswered questions: {', '.join(unanswered)[:100]}")
        answers = []
        for code, level in p["answers"].items():
            question = by_code.get(code)
            if question is None:
                raise ImportRefused(_("The file answers an unknown question: %(code)s.") % {"code": code})
            confidence, evidence = _note(notes.get(code))
            if level is None:
                answers.append(
                    Answer(
                        participant=participant,
                        question=question,
                        option=None,
                        confidence=confidence,
                        evidence=evidence,
                    )
                )
                continue
            option = next((o for o in question.options.all() if o.level == level), None)
            if option is None or isinstance(level, bool):
                raise ImportRefused(
                    _("Question %(code)s has an impossible answer: %(level)r.")
                    % {"code": code, "level": level}
                )
            answers.append(
                Answer(
                    participant=participant,
                    question=question,
                    option=option,
                    confidence=confidence,
                    evidence=evidence,
                )
            )
        Answer.objects.bulk_create(answers)
    validated = data.get("validated") or []
    if not isinstance(validated, list) or any(code not in by_code for code in validated):
        raise ValueError("validated must list question codes of the questionnaire")
    ValidatedAnswer.objects.bulk_create(
        ValidatedAnswer(assessment=assessment, question=by_code[code]) for code in dict.fromkeys(validated)
    )
    if data["roadmap"] is not None:
        _import_roadmap(assessment, data["roadmap"])
    assessment.refresh_from_db()
    return assessment


def _import_segments(assessment: Assessment, data: dict) -> tuple[dict[str, Segment], dict[str, Segment]]:
    """The units (with their targets) and roles of a version-2 file: name -> the new row."""
    if not isinstance(data, dict):
        raise TypeError("segments must be an object")
    made = []
    for dimension, key in [(Segment.Dimension.UNIT, "units"), (Segment.Dimension.ROLE, "roles")]:
        entries = data.get(key) or []
        if not isinstance(entries, list):
            raise TypeError(f"segments.{key} must be a list")
        names = segment_names("\n".join(_text(entry["name"], 200) for entry in entries))
        if len(names) != len(entries):
            raise ValueError(f"segments.{key} has a blank name")
        if names and assessment.kind != Assessment.Kind.WORKSHOP:
            raise ValueError("only a workshop has business units and roles")
        for position, (name, entry) in enumerate(zip(names, entries, strict=True)):
            targets = entry.get("targets") if dimension == Segment.Dimension.UNIT else None
            if targets is not None:
                targets = {code.value: int(Level(targets[code.value])) for code in FIELD_ORDER}
            made.append(
                Segment(
                    assessment=assessment,
                    dimension=dimension,
                    name=name,
                    position=position,
                    targets=targets or {},
                )
            )
    Segment.objects.bulk_create(made)
    return (
        {s.name: s for s in made if s.dimension == Segment.Dimension.UNIT},
        {s.name: s for s in made if s.dimension == Segment.Dimension.ROLE},
    )


def _named(segments: dict[str, Segment], name, what: str) -> Segment | None:
    if name is None:
        return None
    if name not in segments:
        raise ValueError(f"a participant's {what} is not one of the file's {what}s")
    return segments[name]


def _note(value) -> tuple[str, str]:
    """The confidence and note of one answer in a file (both empty when none)."""
    if value is None:
        return "", ""
    confidence = value.get("confidence") or ""
    if confidence and confidence not in Confidence._value2member_map_:
        raise ValueError(f"unknown confidence {confidence!r}")
    evidence = _text(value.get("evidence", ""), EVIDENCE_LENGTH)
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in evidence):
        raise ValueError("a note contains control characters")
    return confidence, evidence


def _import_roadmap(assessment: Assessment, data: dict) -> None:
    catalogue = Catalogue.objects.filter(number=data["catalogue_version"]).first()
    if catalogue is None:
        raise ImportRefused(
            _("Measures catalogue version %(n)s does not exist here.") % {"n": data["catalogue_version"]}
        )
    measures = {m.code: m for m in catalogue.measures.all()}
    start = Quarter.parse(data["start"])
    targets = {code.value: int(Level(data["targets"][code.value])) for code in FIELD_ORDER}
    roadmap = Roadmap.objects.create(
        assessment=assessment,
        catalogue=catalogue,
        start_year=start.year,
        start_quarter=start.number,
        horizon=_bounded(data["horizon"], 1, 12),
        capacity=_bounded(data["capacity"], 1, 99),
        capacity_in_points=bool(data["capacity_in_points"]),
        targets=targets,
    )
    items, histories = [], []
    for i, item in enumerate(data["items"]):
        measure = None
        if item["measure"] is not None:
            measure = measures.get(item["measure"])
            if measure is None:
                raise ImportRefused(
                    _("The file names an unknown measure: %(code)s.") % {"code": item["measure"]}
                )
        when = Quarter.parse(item["quarter"]) if item["quarter"] else None
        status = _choice(item["status"], RoadmapItem.Status)
        history = _history(item, status, when)
        items.append(
            RoadmapItem(
                roadmap=roadmap,
                measure=measure,
                title=_text(item["title"], 200),
                description=_text(item["description"], 2000),
                field=FIELD_ORDER[[c.value for c in FIELD_ORDER].index(item["field"])].value,
                target_level=int(Level(item["target_level"])),
                year=when.year if when else None,
                quarter=when.number if when else None,
                status=status,
                owner=_text(item["owner"], 200),
                note=_text(item["note"], 2000),
                pinned=bool(item["pinned"]),
                reason=_code(item["reason"], [value for value, _label in REASON_CHOICES]),
                for_field=_code(item["for_field"], [code.value for code in FIELD_ORDER]),
                enables=_text(item["enables"], 60),
                position=i,
                progress=history[-1][1] if history else 0,
            )
        )
        histories.append(history)
    RoadmapItem.objects.bulk_create(items)
    ProgressEntry.objects.bulk_create(
        ProgressEntry(item=item, percent=percent, recorded_on=day)
        for item, history in zip(items, histories, strict=True)
        for day, percent in history
    )


def _history(item: dict, status: str, when: Quarter | None) -> list[tuple[date, int]]:
    """An item's progress history (schema 3), or for a finished item of an older file one entry at its quarter's
    end."""
    if "progress_history" not in item:
        if status != RoadmapItem.Status.DONE:
            return []
        return [(quarter_end(when) if when else timezone.localdate(), 100)]
    entries = item["progress_history"]
    if not isinstance(entries, list) or len(entries) > MAX_HISTORY:
        raise ValueError(f"progress_history must be a list of at most {MAX_HISTORY} entries")
    history = [(date.fromisoformat(e["recorded_on"]), _bounded(e["percent"], 0, 100)) for e in entries]
    if history != sorted(history, key=lambda entry: entry[0]):
        raise ValueError("progress_history must be in date order")
    if _bounded(item["progress"], 0, 100) != (history[-1][1] if history else 0):
        raise ValueError("progress must be the last entry of progress_history")
    return history


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _datetime(value: str | None) -> datetime | None:
    if value is None:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise ValueError(f"not a date and time: {value!r}")
    return parsed


def _text(value, limit: int) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}")
    if len(value) > limit:
        raise ValueError(f"text longer than {limit} characters")
    return value


def _code(value, codes: list[str]) -> str:
    """One of the codes, or "" (an own measure has no reason and serves only its own field)."""
    if value != "" and value not in codes:
        raise ValueError(f"unknown value {value!r}")
    return value


def _choice(value, choices) -> str:
    if value not in choices.values:
        raise ValueError(f"unknown value {value!r}")
    return value


def _bounded(value, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ValueError(f"{value!r} is not a whole number from {low} to {high}")
    return value
