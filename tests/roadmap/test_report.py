"""The PDF report and the exports: content checked on the extracted text, caching, bad input."""

import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from roadmap import exports, pdf, services
from roadmap.models import Report, RoadmapItem
from standortbestimmung.models import Answer, Assessment, Participant

pytestmark = pytest.mark.django_db


def text_of(content: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages), reader


@pytest.fixture
def assessment(owned):
    assessment = owned.participant.assessment
    services.roadmap_get_or_create(assessment=assessment, today=date(2026, 11, 22))
    return assessment


def test_the_german_report_has_every_section_level_and_quarter(assessment):
    content, digest = pdf.report_pdf(assessment, "de")
    text, reader = text_of(content)
    flat = " ".join(text.split())
    for heading in [
        "Inhalt",
        "Management Summary",
        "Roadmap",
        "Methode",
        "Anhang: alle Fragen und Antworten",
    ]:
        assert heading in flat, heading
    for field in ["Journeys", "Insights", "Skills", "Culture", "Operations", "Tools"]:
        assert flat.count(field) >= 3, field
    assert "Muster AG" in flat
    assert "Adopt" in flat and "Build" in flat  # today's level and the targets
    for quarter in ["Q1 2027", "Q2 2027", "Q3 2027", "Q4 2027"]:
        assert quarter in flat
    first = RoadmapItem.objects.filter(roadmap__assessment=assessment, year=2027, quarter=1).first()
    assert first.measure.title_de in flat
    assert (
        "Adopt, weil 7 von 7 beantworteten Praktiken auf Adopt oder höher liegen." in flat
    )  # the explanation
    assert "zwei Drittel" in flat  # the rule
    assert f"1 / {len(reader.pages)}" in flat or f"2 / {len(reader.pages)}" in flat  # page numbers
    assert len(reader.pages) >= 10
    meta = reader.metadata
    assert meta.title == "CJM-Standortbestimmung: Muster AG"
    assert reader.trailer["/Root"]["/Lang"] == "de"
    assert len(digest) == 64


def test_the_english_report_is_english(assessment):
    content, _digest = pdf.report_pdf(assessment, "en")
    flat = " ".join(text_of(content)[0].split())
    assert "Management summary" in flat and "Appendix: all questions and answers" in flat
    assert "Adopt, because 7 of 7 answered practices are at Adopt or higher." in flat
    assert "weil" not in flat
    assert text_of(content)[1].trailer["/Root"]["/Lang"] == "en"


HOSTILE = (
    'שלום עולם مرحبا 🚀✨ <script>alert(1)</script><img src="http://evil.example/x.png"> '
    "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherungsanstaltsverwaltungsgebäudereinigung"
)


def test_hostile_organisation_names_and_notes_render_as_plain_text(assessment):
    assert len(HOSTILE) <= 200
    Assessment.objects.filter(pk=assessment.pk).update(organisation=HOSTILE)
    assessment.refresh_from_db()
    item = RoadmapItem.objects.filter(roadmap__assessment=assessment).first()
    item.note = '"><link rel=stylesheet href="file:///etc/passwd"> ' + "x" * 500
    item.owner = "<b>Eve</b>"
    item.save()
    content, _digest = pdf.report_pdf(assessment, "de")
    flat = " ".join(text_of(content)[0].split())
    joined = flat.replace(" ", "")  # the extraction breaks lines inside long words
    assert "<script>alert(1)</script>" in joined  # shown as text, not run or dropped
    assert 'src="http://evil.example/x.png">' in joined
    assert "שלום" in flat or "םולש" in flat
    assert "🚀" in flat
    assert "Donaudampfschifffahrts" in joined


def test_the_report_fetcher_serves_only_our_static_files():
    _weasyprint, _fonts, fetcher = pdf._weasyprint()
    assert fetcher.fetch(pdf.STATIC_PREFIX + "css/report.css").read().startswith(b"/* The PDF report")
    for url in [
        "http://evil.example/x.png",
        "https://evil.example/static/css/report.css",
        "file:///etc/passwd",
        pdf.STATIC_PREFIX + "../../../../etc/passwd",
        pdf.STATIC_PREFIX + "..%2f..%2f..%2fsettings.py",
        pdf.STATIC_PREFIX + "does/not/exist.css",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"


def test_the_report_renders_with_the_fonts_it_ships(assessment):
    weasyprint, _fonts, fetcher = pdf._weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    fetched = []

    class Recording(type(fetcher)):
        def fetch(self, url, headers=None):
            fetched.append(url)
            return super().fetch(url, headers)

    html = '<link rel="stylesheet" href="static/css/report.css"><p>Grüße – “Standort” → <b>fett</b> <i>kursiv</i></p>'
    content = weasyprint.HTML(string=html, base_url=pdf.BASE_URL, url_fetcher=Recording()).write_pdf(
        font_config=FontConfiguration()
    )
    fonts = [url.rsplit("/", 1)[1] for url in fetched if "/fonts/" in url]
    assert fonts == ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf"]
    for name in fonts:
        assert (
            fetcher.fetch(pdf.STATIC_PREFIX + "fonts/" + name).read()[:4] == b"\x00\x01\x00\x00"
        )  # TrueType
    text = " ".join(text_of(content)[0].split())
    assert "Grüße – “Standort” → fett kursiv" in text
    # the whole report, its chart labels and page margins included, uses only the shipped fonts
    reader = text_of(pdf.render_pdf(assessment, "de"))[1]
    used = {
        str(font["/BaseFont"]).split("+", 1)[1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert used == {"Report-Sans", "Report-Sans-Bold", "Report-Sans-Italic"}


def test_the_download_is_cached_until_something_changes(assessment, owned):
    url = reverse("report_participant", args=[owned.key])
    first = owned.client.get(url)
    assert first.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert "attachment" in first["Content-Disposition"] and ".pdf" in first["Content-Disposition"]
    report = Report.objects.get(assessment=assessment)
    second = owned.client.get(url)
    assert second.content == first.content
    assert Report.objects.get(assessment=assessment).created_at == report.created_at  # not rendered again
    not_modified = owned.client.get(url, headers={"If-None-Match": first["ETag"]})
    assert not_modified.status_code == 304
    # a changed answer changes the digest and the report
    answer = Answer.objects.filter(participant=owned.participant).first()
    answer.option = answer.question.options.get(level=4)
    answer.save()
    third = owned.client.get(url)
    assert third["ETag"] != first["ETag"]
    assert Report.objects.filter(assessment=assessment).count() == 1


def test_the_report_is_404_for_strangers_and_400_for_an_unknown_language(assessment, owned, bob):
    assert Client().get(reverse("report_participant", args=[owned.key])).status_code == 404
    consultant = Client()
    consultant.force_login(bob)
    assert consultant.get(reverse("report_owner", args=[assessment.key])).status_code == 404
    response = owned.client.get(reverse("report_participant", args=[owned.key]) + "?lang=fr")
    assert response.status_code == 400
    assert not Report.objects.exists()


# --- exports -----------------------------------------------------------------------------------------


def test_export_import_export_gives_identical_json(assessment):
    item = RoadmapItem.objects.filter(roadmap__assessment=assessment).first()
    item.status, item.owner, item.note = "in_progress", "Frau Berger", "läuft"
    item.save()
    first = exports.export_json(assessment)
    data = json.loads(first)
    assert data["schema_version"] == 1
    assert len(data["participants"][0]["answers"]) == 42
    assert data["result"]["fields"]["journeys"]["level"] == 2
    Assessment.objects.filter(pk=assessment.pk).delete()
    imported = exports.import_assessment(first)
    assert exports.export_json(imported) == first


def test_the_csv_has_a_row_per_question_and_a_column_per_participant(assessment):
    rows = list(__import__("csv").reader(io.StringIO(exports.export_csv(assessment))))
    assert rows[0] == ["Handlungsfeld", "Code", "Frage", "Eva"]
    assert len(rows) == 43
    assert rows[1][1] == "journeys.1" and rows[1][3] == "Adopt"


def test_csv_cells_cannot_become_spreadsheet_formulas(assessment):
    Participant.objects.filter(assessment=assessment).update(name='=HYPERLINK("http://evil")')
    header = exports.export_csv(assessment).splitlines()[0]
    assert "'=HYPERLINK" in header


def broken(assessment, mutate):
    data = json.loads(exports.export_json(assessment))
    Assessment.objects.filter(pk=assessment.pk).delete()
    mutate(data)
    return json.dumps(data)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(schema_version=2), "Schema-Version 2"),
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
    with pytest.raises(exports.ImportRefused, match=message):
        exports.import_assessment(raw)
    after = (
        Assessment.objects.count(),
        Participant.objects.count(),
        Answer.objects.count(),
        RoadmapItem.objects.count(),
    )
    assert after == before


@pytest.mark.parametrize(
    "raw", [b"not json", b"\xff\xfe\x00binary", b'{"schema": "cjm-standortbes', b"[]", b"null"]
)
def test_a_file_that_is_not_an_export_is_refused(raw, version):
    with pytest.raises(exports.ImportRefused):
        exports.import_assessment(raw)
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
    response = owned.client.get(reverse("export_participant_json", args=[owned.key]))
    assert json.loads(response.content)["assessment"]["key"] == str(assessment.key)
    consultant = Client()
    consultant.force_login(alice)
    response = consultant.get(reverse("export_owner_csv", args=[assessment.key]))
    assert response["Content-Type"].startswith("text/csv")
    assert Client().get(reverse("export_participant_json", args=[owned.key])).status_code == 404
