"""The PDF report: content checked on the extracted text, caching, bad input."""

import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from roadmap import pdf
from roadmap.models import Report, RoadmapItem
from standortbestimmung.models import Answer, Assessment
from tests.conftest import sign_in
from tests.roadmap.test_roadmap import planned

pytestmark = pytest.mark.django_db


def text_of(pdf_bytes: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(pdf_bytes))
    return "\n".join(page.extract_text() for page in reader.pages), reader


@pytest.fixture
def assessment(owned):
    assessment = owned.participant.assessment
    planned(assessment)
    return assessment


def test_the_german_report_has_every_section_level_and_quarter(assessment):
    rendered = pdf.report_pdf(assessment, "de", for_owner=True)
    pdf_bytes, digest = rendered.pdf, rendered.digest
    text, reader = text_of(pdf_bytes)
    flat = " ".join(text.split())
    for heading in [
        "Inhalt",
        "Zusammenfassung",
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
    rendered = pdf.report_pdf(assessment, "en", for_owner=True)
    pdf_bytes, _digest = rendered.pdf, rendered.digest
    flat = " ".join(text_of(pdf_bytes)[0].split())
    assert "Management summary" in flat and "Appendix: all questions and answers" in flat
    assert "Adopt, because 7 of 7 answered practices are at Adopt or higher." in flat
    assert "weil" not in flat
    assert text_of(pdf_bytes)[1].trailer["/Root"]["/Lang"] == "en"


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
    rendered = pdf.report_pdf(assessment, "de", for_owner=True)
    pdf_bytes, _digest = rendered.pdf, rendered.digest
    flat = " ".join(text_of(pdf_bytes)[0].split())
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
    pdf_bytes = weasyprint.HTML(string=html, base_url=pdf.BASE_URL, url_fetcher=Recording()).write_pdf(
        font_config=FontConfiguration()
    )
    fonts = [url.rsplit("/", 1)[1] for url in fetched if "/fonts/" in url]
    assert fonts == ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf"]
    for name in fonts:
        assert (
            fetcher.fetch(pdf.STATIC_PREFIX + "fonts/" + name).read()[:4] == b"\x00\x01\x00\x00"
        )  # TrueType
    text = " ".join(text_of(pdf_bytes)[0].split())
    assert "Grüße – “Standort” → fett kursiv" in text
    # the whole report, its chart labels and page margins included, uses only the shipped fonts
    reader = text_of(pdf.render_pdf(assessment, "de", for_owner=True))[1]
    used = {
        str(font["/BaseFont"]).split("+", 1)[1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert used == {"Report-Sans", "Report-Sans-Bold", "Report-Sans-Italic"}


def test_the_download_is_cached_until_something_changes(assessment, owned):
    url = reverse("respondent:report", args=[owned.key])
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
    assert Client().get(reverse("respondent:report", args=[owned.key])).status_code == 404
    consultant = Client()
    sign_in(consultant, bob)
    assert consultant.get(reverse("workspace:report", args=[assessment.key])).status_code == 404
    response = owned.client.get(reverse("respondent:report", args=[owned.key]) + "?lang=fr")
    assert response.status_code == 400
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "de",
            [
                "Schwerpunkt des Plans: Operations, Insights, Journeys.",
                "Schwerpunkt und was der Plan erreicht",
                "Schwerpunkt: Operations, Insights, Journeys. Die Handlungsfelder mit dem größten Hebel",
                "folgt ab Q",
                "erreicht in Q1 2027",
                "nicht im Planungshorizont (endet auf Adopt)",
                "Geplant und erledigt",
                ("Der Plan beginnt in Q1 2027 mit", "Bis Q"),
                "Trägt Build in",
            ],
        ),
        (
            "en",
            [
                "Focus of the plan: Operations, Insights, Journeys.",
                "Focus and what the plan reaches",
                "Focus: Operations, Insights, Journeys. The fields with the biggest lever",
                "follows from Q",
                "reached in Q1 2027",
                "not within the horizon (ends at Adopt)",
                "Planned and done",
                ("The plan starts in Q1 2027 with", "By Q"),
                "Carries Build in",
            ],
        ),
    ],
)
def test_the_report_states_focus_reach_and_progress(assessment, language, expected):
    flat = " ".join(text_of(pdf.render_pdf(assessment, language, for_owner=True))[0].split())
    for text in expected:
        if isinstance(
            text, tuple
        ):  # the burn-up caption: before the plan's first quarter, and once it has begun
            text = text[0] if timezone.localdate() < date(2027, 1, 1) else text[1]
        assert text in flat, text
