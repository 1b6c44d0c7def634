"""The exchange format: export, import and export again is the same file; broken files are refused whole."""

import csv
import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from roadmap import exchange
from roadmap.models import ProgressEntry, RoadmapItem
from standortbestimmung.models import Answer, Assessment, Participant
from tests.conftest import sign_in
from tests.roadmap.test_report import text_of
from tests.roadmap.test_roadmap import planned

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(owned):
    assessment = owned.participant.assessment
    planned(assessment)
    return assessment


def test_export_import_export_gives_identical_json(assessment):
    item = RoadmapItem.objects.filter(roadmap__assessment=assessment).first()
    item.status, item.owner, item.note, item.progress = "in_progress", "Frau Berger", "läuft", 60
    item.save()
    ProgressEntry.objects.create(item=item, percent=20, recorded_on=date(2027, 1, 20))
    ProgressEntry.objects.create(item=item, percent=60, recorded_on=date(2027, 2, 17))
    first = exchange.export_json(assessment)
    data = json.loads(first)
    assert data["schema_version"] == 3
    exported = next(i for i in data["roadmap"]["items"] if i["owner"] == "Frau Berger")
    assert exported["progress"] == 60
    assert exported["progress_history"] == [
        {"percent": 20, "recorded_on": "2027-01-20"},
        {"percent": 60, "recorded_on": "2027-02-17"},
    ]
    assert len(data["participants"][0]["answers"]) == 42
    assert data["result"]["fields"]["journeys"]["level"] == 2
    Assessment.objects.filter(pk=assessment.pk).delete()
    imported = exchange.import_assessment(first)
    assert exchange.export_json(imported) == first


def test_the_csv_has_a_row_per_question_and_a_column_per_participant(assessment):
    rows = list(__import__("csv").reader(io.StringIO(exchange.export_csv(assessment))))
    assert rows[0] == ["Handlungsfeld", "Code", "Frage", "Eva"]
    assert len(rows) == 43
    assert rows[1][1] == "journeys.1" and rows[1][3] == "Adopt"


@pytest.mark.parametrize(
    ("name", "separator"),
    [('=HYPERLINK("http://evil")', ","), ("y;=1+1", ";"), ("y\t=1+1", "\t"), ("a|@SUM(1)", "|")],
)
def test_csv_cells_cannot_become_spreadsheet_formulas_whatever_the_separator(assessment, name, separator):
    Participant.objects.filter(assessment=assessment).update(name=name)
    text = exchange.export_csv(assessment)
    header = next(csv.reader(io.StringIO(text)))
    assert all(line.startswith('"') for line in text.splitlines())  # every cell quoted
    # a spreadsheet that splits the raw line on this separator (German Excel: ";") sees no formula
    for part in text.splitlines()[0].split(separator):
        assert not part.lstrip('"').startswith(("=", "+", "-", "@")), part
    assert header[3].replace("'", "") == name  # the name itself is kept


def test_deeply_nested_json_is_refused_not_a_crash(version):
    for raw in ["[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000]:
        with pytest.raises(exchange.ImportRefused, match="zu tief verschachtelt"):
            exchange.import_assessment(raw)
    assert Assessment.objects.count() == 0


def broken(assessment, mutate):
    data = json.loads(exchange.export_json(assessment))
    Assessment.objects.filter(pk=assessment.pk).delete()
    mutate(data)
    return json.dumps(data)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(schema_version=4), "Schema-Version 4"),
        (lambda d: d["assessment"].update(industry="mining"), "unvollständig oder fehlerhaft"),
        (lambda d: d["roadmap"]["items"][0].update(progress=101), "unvollständig oder fehlerhaft"),
        (
            lambda d: d["roadmap"]["items"][0].update(
                progress=50, progress_history=[{"percent": 50, "recorded_on": "gestern"}]
            ),
            "unvollständig oder fehlerhaft",
        ),
        (
            lambda d: d["roadmap"]["items"][0].update(
                progress=40,
                progress_history=[
                    {"percent": 40, "recorded_on": "2027-03-01"},
                    {"percent": 10, "recorded_on": "2027-01-01"},
                ],
            ),
            "unvollständig oder fehlerhaft",
        ),
        (
            lambda d: d["roadmap"]["items"][0].update(progress=70),  # not the last entry of its history
            "unvollständig oder fehlerhaft",
        ),
        (lambda d: d.update(schema="something/else"), "keine Exportdatei"),
        (lambda d: d["participants"][0]["answers"].update({"journeys.99": 2}), "journeys.99"),
        (lambda d: d["participants"][0]["answers"].update({"journeys.1": 7}), "journeys.1"),
        (lambda d: d["roadmap"]["items"][0].update(measure="ghost.adopt.1"), "ghost.adopt.1"),
        (lambda d: d["roadmap"].update(horizon=40), "unvollständig oder fehlerhaft"),
        (lambda d: d["assessment"].pop("key"), "unvollständig oder fehlerhaft"),
        (lambda d: d.update(questionnaire_version=99), "99"),
    ],
)
def test_a_bad_import_names_the_problem_and_writes_nothing(assessment, mutate, message):
    raw = broken(assessment, mutate)
    before = (
        Assessment.objects.count(),
        Participant.objects.count(),
        Answer.objects.count(),
        RoadmapItem.objects.count(),
    )
    with pytest.raises(exchange.ImportRefused, match=message):
        exchange.import_assessment(raw)
    after = (
        Assessment.objects.count(),
        Participant.objects.count(),
        Answer.objects.count(),
        RoadmapItem.objects.count(),
    )
    assert after == before


def test_a_file_of_schema_version_1_is_still_read_finished_items_count_as_done_at_their_quarters_end(
    assessment,
):
    item = RoadmapItem.objects.filter(roadmap__assessment=assessment, year=2027, quarter=1).first()
    item.status = "done"
    item.save()
    data = json.loads(exchange.export_json(assessment))
    data["schema_version"] = 1
    for exported in data["roadmap"]["items"]:
        del exported["progress"], exported["progress_history"]
    Assessment.objects.filter(pk=assessment.pk).delete()
    imported = exchange.import_assessment(json.dumps(data))
    done = RoadmapItem.objects.get(roadmap__assessment=imported, measure__code=item.measure.code)
    assert done.progress == 100
    assert list(done.progress_entries.values_list("percent", "recorded_on")) == [(100, date(2027, 3, 31))]
    assert not ProgressEntry.objects.exclude(item=done).filter(item__roadmap__assessment=imported).exists()


@pytest.mark.parametrize(
    "raw", [b"not json", b"\xff\xfe\x00binary", b'{"schema": "cjm-standortbes', b"[]", b"null"]
)
def test_a_file_that_is_not_an_export_is_refused(raw, version):
    with pytest.raises(exchange.ImportRefused):
        exchange.import_assessment(raw)
    assert Assessment.objects.count() == 0


def test_the_commands_export_import_and_render(assessment, tmp_path):
    export_file = tmp_path / "a.json"
    call_command("export_assessment", str(assessment.key), "-o", str(export_file))
    call_command("export_assessment", str(assessment.pk), "-o", str(tmp_path / "a.csv"), "--format", "csv")
    assert "journeys.1" in (tmp_path / "a.csv").read_text()
    report = tmp_path / "report.pdf"
    call_command("render_report", str(assessment.pk), "-o", str(report), "--lang", "en")
    assert report.read_bytes().startswith(b"%PDF")
    assert "Management summary" in text_of(report.read_bytes())[0]
    with pytest.raises(CommandError, match="gibt es in dieser Installation bereits"):
        call_command("import_assessment", str(export_file))
    Assessment.objects.all().delete()
    call_command("import_assessment", str(export_file))
    assert Assessment.objects.get().key == assessment.key


def test_the_commands_fail_clearly(tmp_path, version):
    (tmp_path / "bad.json").write_text('{"schema": "cjm-standortbestimmung/assessment", "schema_version": 1')
    with pytest.raises(CommandError, match="not imported"):
        call_command("import_assessment", str(tmp_path / "bad.json"))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("import_assessment", str(tmp_path / "missing.json"))
    with pytest.raises(CommandError, match="no assessment"):
        call_command("render_report", "12345", "-o", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="neither"):
        call_command("export_assessment", "abc")


def test_the_owner_and_the_participant_can_download_the_exports(assessment, owned, alice):
    response = owned.client.get(reverse("respondent:export_json", args=[owned.key]))
    assert json.loads(response.content)["assessment"]["key"] == str(assessment.key)
    consultant = Client()
    sign_in(consultant, alice)
    response = consultant.get(reverse("workspace:export_csv", args=[assessment.key]))
    assert response["Content-Type"].startswith("text/csv")
    assert Client().get(reverse("respondent:export_json", args=[owned.key])).status_code == 404
