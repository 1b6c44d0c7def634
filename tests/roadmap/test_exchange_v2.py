"""Schema version 2 of the exchange format: units and roles, each participant's unit, role and notes, validated
answers; the round trip is exact, a version-1 file is still imported, a broken version-2 part refuses the file."""

import json

import pytest

from roadmap import exchange
from standortbestimmung.models import Answer, Assessment, Participant, Question, Segment, ValidatedAnswer
from standortbestimmung.models import Client as ClientModel
from tests.workspace.test_segments import CAST, segmented_workshop

pytestmark = pytest.mark.django_db

NOTE = "Journey Maps im Wiki <b>fett</b>\nzweite Zeile"


@pytest.fixture
def workshop(alice, version):
    client_org = ClientModel.objects.create(owner=alice, name="Muster Versicherung AG")
    assessment, people = segmented_workshop(client_org, version, cast=CAST[:4], min_group_size=2)
    Answer.objects.filter(participant=people["Anna"], question__code="journeys.1").update(
        confidence="sure", evidence=NOTE
    )
    Answer.objects.filter(participant=people["Cem"], question__code="tools.2").update(confidence="guess")
    Participant.objects.filter(pk=people["Gus"].pk).update(unit=None)
    ValidatedAnswer.objects.create(
        assessment=assessment, question=Question.objects.get(field__version=version, code="tools.2")
    )
    Segment.objects.filter(assessment=assessment, name="Vertrieb").update(
        targets={"journeys": 4, "insights": 3, "skills": 3, "culture": 3, "operations": 3, "tools": 4}
    )
    return assessment


def test_export_import_export_of_schema_2_is_identical(workshop):
    first = exchange.export_json(workshop)
    data = json.loads(first)
    assert data["schema_version"] == 3
    assert data["assessment"]["min_group_size"] == 2
    assert data["segments"]["units"][0] == {
        "name": "Vertrieb",
        "targets": {"journeys": 4, "insights": 3, "skills": 3, "culture": 3, "operations": 3, "tools": 4},
    }
    assert data["segments"]["units"][1] == {"name": "Service", "targets": None}
    assert [r["name"] for r in data["segments"]["roles"]] == [
        "Geschäftsleitung",
        "Führungskraft",
        "Mitarbeitende mit Kundenkontakt",
    ]
    anna, _bert, cem, gus = data["participants"]
    assert (anna["unit"], anna["role"]) == ("Vertrieb", "Geschäftsleitung")
    assert (gus["unit"], gus["role"]) == (None, "Geschäftsleitung")
    assert anna["notes"] == {"journeys.1": {"confidence": "sure", "evidence": NOTE}}
    assert cem["notes"] == {"tools.2": {"confidence": "guess", "evidence": ""}}
    assert data["validated"] == ["tools.2"]
    Assessment.objects.filter(pk=workshop.pk).delete()
    assert not Segment.objects.exists() and not Answer.objects.filter(evidence=NOTE).exists()
    imported = exchange.import_assessment(first)
    assert exchange.export_json(imported) == first


def test_a_version_1_file_is_still_imported(workshop):
    data = json.loads(exchange.export_json(workshop))
    Assessment.objects.filter(pk=workshop.pk).delete()
    data["schema_version"] = 1
    for name in ["segments", "validated"]:
        del data[name]
    del data["assessment"]["min_group_size"]
    for participant in data["participants"]:
        for name in ["unit", "role", "notes"]:
            del participant[name]
    imported = exchange.import_assessment(json.dumps(data))
    assert imported.min_group_size == 3 and not imported.segments.exists()
    assert imported.participants.count() == 4
    assert Answer.objects.filter(participant__assessment=imported).count() == 4 * 42
    assert (
        not Answer.objects.filter(participant__assessment=imported)
        .exclude(confidence="", evidence="")
        .exists()
    )
    assert json.loads(exchange.export_json(imported))["schema_version"] == 3


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["participants"][0].update(unit="Einkauf"),  # not one of the file's units
        lambda d: d["participants"][0].update(role="Vertrieb"),  # a unit named as a role
        lambda d: d["participants"][0]["notes"].update(
            {"journeys.99": {"confidence": "sure", "evidence": ""}}
        ),
        lambda d: d["participants"][0]["notes"]["journeys.1"].update(confidence="ziemlich"),
        lambda d: d["participants"][0]["notes"]["journeys.1"].update(evidence="x" * 501),
        lambda d: d["participants"][0]["notes"]["journeys.1"].update(evidence="a\x00b"),
        lambda d: d["participants"][0].update(notes=["journeys.1"]),
        lambda d: d["segments"]["units"].append({"name": "vertrieb", "targets": None}),  # twice
        lambda d: d["segments"]["units"][0]["targets"].update(tools=7),
        lambda d: d["segments"].update(roles="Geschäftsleitung"),
        lambda d: d["assessment"].update(min_group_size=1),
        lambda d: d.update(validated=["tools.99"]),
        lambda d: d["assessment"].update(kind="self"),  # a self-assessment with units and roles
    ],
)
def test_a_broken_version_2_part_refuses_the_whole_file(workshop, mutate):
    data = json.loads(exchange.export_json(workshop))
    Assessment.objects.filter(pk=workshop.pk).delete()
    mutate(data)
    before = (
        Assessment.objects.count(),
        Segment.objects.count(),
        Participant.objects.count(),
        Answer.objects.count(),
    )
    with pytest.raises(exchange.ImportRefused) as refused:
        exchange.import_assessment(json.dumps(data))
    assert "x" * 50 not in str(refused.value)
    after = (
        Assessment.objects.count(),
        Segment.objects.count(),
        Participant.objects.count(),
        Answer.objects.count(),
    )
    assert after == before
