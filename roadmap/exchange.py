"""The exchange format of an assessment: JSON (versioned, importable) out and in, and CSV of the answers.

The JSON schema is documented in the README ("Export format"). Derived figures (levels, scores) are
exported for analysis but ignored on import: they are recomputed from the answers.
"""

import csv
import io
import json
import uuid
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from roadmap.access import roadmap_of
from roadmap.models import REASON_CHOICES, Catalogue, ProgressEntry, Roadmap, RoadmapItem
from roadmap.progress import quarter_end
from roadmap.quarters import Quarter
from standortbestimmung.models import Answer, Assessment, Participant, QuestionnaireVersion
from standortbestimmung.questionnaire import questionnaire_for, questionnaire_of
from standortbestimmung.result import assessment_result
from standortbestimmung.scoring import FIELD_ORDER, Level

SCHEMA = "cjm-standortbestimmung/assessment"
SCHEMA_VERSION = 2  # 2: roadmap items carry their progress and its history
READABLE_VERSIONS = (1, 2)
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_HISTORY = 500  # progress entries per item


class ImportRefused(ValueError):
    """An import file that cannot be imported; the message names the problem."""


def _answers_of_everyone(assessment: Assessment, questionnaire) -> dict[int, dict[str, Level | None]]:
    """Participant id -> answers by code, for every participant (revoked ones too: it is their data)."""
    answers: dict[int, dict[str, Level | None]] = {}
    rows = Answer.objects.filter(participant__assessment=assessment).values_list(
        "participant_id", "question_id", "option_id"
    )
    for pid, qid, oid in rows:
        answers.setdefault(pid, {})[questionnaire.questions[qid].code] = questionnaire.level_of(oid)
    return answers


def export_assessment(assessment: Assessment) -> dict:
    """The whole assessment as plain data (schema version 2)."""
    result = assessment_result(assessment)
    answers = _answers_of_everyone(assessment, result.questionnaire)
    roadmap = roadmap_of(assessment)
    participants = [
        {
            "key": str(p.key),
            "name": p.name,
            "email": p.email,
            "finished_at": _iso(p.finished_at),
            "answers": {code: _level(level) for code, level in sorted(answers.get(p.pk, {}).items())},
        }
        for p in assessment.participants.order_by("created_at", "pk")
    ]
    profile = result.profile
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "assessment": {
            "key": str(assessment.key),
            "kind": assessment.kind,
            "status": assessment.status,
            "organisation": assessment.organisation,
            "language": assessment.language,
            "created_at": _iso(assessment.created_at),
            "finished_at": _iso(assessment.finished_at),
        },
        "questionnaire_version": assessment.version.number,
        "participants": participants,
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


def export_json(assessment: Assessment) -> str:
    return json.dumps(export_assessment(assessment), ensure_ascii=False, indent=2)


def export_csv(assessment: Assessment) -> str:
    """The answers: one row per question, one column per participant (level name, "weiß nicht" or empty)."""
    questionnaire = questionnaire_of(assessment)
    participants = list(assessment.participants.order_by("created_at", "pk"))
    answers = _answers_of_everyone(assessment, questionnaire)
    out = io.StringIO()
    writer = csv.writer(out)
    header = [_("field"), _("code"), _("question")]
    header += [p.name or _("Participant %(n)s") % {"n": i + 1} for i, p in enumerate(participants)]
    writer.writerow([_csv_safe(cell) for cell in header])
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
            writer.writerow([_csv_safe(cell) for cell in row])
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
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise ImportRefused(_("The file is not an export of a CJM-Standortbestimmung."))
    if data.get("schema_version") not in READABLE_VERSIONS:
        raise ImportRefused(
            _("Schema version %(found)s cannot be imported; this installation reads version %(expected)s.")
            % {"found": data.get("schema_version"), "expected": " / ".join(map(str, READABLE_VERSIONS))}
        )
    try:
        return _import(data)
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
    by_code = {q.code: q for q in questionnaire_for(version).questions.values()}
    assessment = Assessment.objects.create(
        key=key,
        version=version,
        kind=_choice(meta["kind"], Assessment.Kind),
        status=_choice(meta["status"], Assessment.Status),
        organisation=_text(meta["organisation"], 200),
        language=meta["language"] if meta["language"] in {"de", "en"} else "de",
        finished_at=_datetime(meta["finished_at"]),
    )
    Assessment.objects.filter(pk=assessment.pk).update(created_at=_datetime(meta["created_at"]))
    for p in data["participants"]:
        participant = Participant.objects.create(
            assessment=assessment,
            key=uuid.UUID(p["key"]),
            name=_text(p["name"], 200),
            email=_text(p["email"], 254),
            # the link's secret is never exported: the imported participant needs a new link
            token_hash=uuid.uuid4().hex + uuid.uuid4().hex,
            finished_at=_datetime(p["finished_at"]),
        )
        answers = []
        for code, level in p["answers"].items():
            question = by_code.get(code)
            if question is None:
                raise ImportRefused(_("The file answers an unknown question: %(code)s.") % {"code": code})
            if level is None:
                answers.append(Answer(participant=participant, question=question, option=None))
                continue
            option = next((o for o in question.options.all() if o.level == level), None)
            if option is None or isinstance(level, bool):
                raise ImportRefused(
                    _("Question %(code)s has an impossible answer: %(level)r.")
                    % {"code": code, "level": level}
                )
            answers.append(Answer(participant=participant, question=question, option=option))
        Answer.objects.bulk_create(answers)
    if data["roadmap"] is not None:
        _import_roadmap(assessment, data["roadmap"])
    assessment.refresh_from_db()
    return assessment


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
    """An item's progress history (schema 2), or for a finished item of schema 1 one entry at its quarter's end."""
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


def _csv_safe(cell: str) -> str:
    """Keeps spreadsheet programs from running a cell as a formula (CSV injection)."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell
