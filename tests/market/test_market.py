"""The benchmark around the pure module: who counts, the background refresh and its snapshot, the result page,
the report, the consultant's market view and its CSV, consent at the start, for a client and withdrawn."""

import csv
import io
import json
import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from market.benchmark import Basis
from market.counting import counting, finished_assessments
from market.models import Figures, Snapshot
from market.presentation import benchmark_of
from market.snapshots import snapshot_refresh
from respondent import services as respondent_services
from roadmap import exchange
from roadmap.pdf import report_digest, report_pdf
from standortbestimmung.models import Answer, Assessment, ConsensusAnswer, Participant, Question
from standortbestimmung.models import Client as ClientModel
from standortbestimmung.result import assessment_result
from tests.conftest import Respondent, sign_in
from workspace import services as workspace_services

pytestmark = pytest.mark.django_db

SELF, WORKSHOP = Assessment.Kind.SELF, Assessment.Kind.WORKSHOP


@pytest.fixture
def options(version):
    """(question, level) -> option of the current questionnaire."""
    questions = Question.objects.filter(field__version=version).prefetch_related("options")
    return {(q, o.level): o for q in questions for o in q.options.all()}


def finished(
    version, options, *, level=2, consent=True, client=None, kind=SELF, when=None, people=1, **profile
):
    """A finished assessment answered at one level (quicker than the pages; no roadmap)."""
    profile = {"industry": "trade", "size": "50-249", "region": "de", **profile}
    assessment = Assessment.objects.create(
        version=version,
        kind=kind,
        client=client,
        owner=client.owner if client else None,
        status=Assessment.Status.FINISHED,
        finished_at=when or timezone.now(),
        benchmark_consent=consent,
        **profile,
    )
    for i in range(people):
        person = Participant.objects.create(
            assessment=assessment, token_hash=uuid.uuid4().hex * 2, name=f"P{i}"
        )
        Answer.objects.bulk_create(
            Answer(participant=person, question=q, option=o) for (q, lv), o in options.items() if lv == level
        )
    return assessment


def market(**filters):
    return Figures.objects.filter(snapshot=Snapshot.objects.first(), owner=None, **filters)


def overall(figures):
    return figures.data["figures"]["overall"]


# --- who counts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("self_consent", "client_consent", "kind", "counts"),
    [
        (True, None, SELF, True),  # an anonymous self-assessment with consent
        (False, None, SELF, False),  # without
        (True, True, SELF, True),  # taken over by a consultant: both agreed
        (True, False, SELF, False),  # the client did not agree
        (False, True, SELF, False),  # the respondent did not agree: nobody's "no" is overridden
        (False, True, WORKSHOP, True),  # a workshop counts by its client's consent
        (True, False, WORKSHOP, False),
    ],
)
def test_an_assessment_counts_only_with_every_consent_that_covers_it(
    version, options, alice, self_consent, client_consent, kind, counts
):
    client = None
    if client_consent is not None:
        client = ClientModel.objects.create(owner=alice, name="K", benchmark_consent=client_consent)
    assessment = finished(version, options, consent=self_consent, client=client, kind=kind)
    assert counting(Assessment.objects.filter(pk=assessment.pk)) == counts
    assert [c.in_market for c in finished_assessments()] == [counts]


def test_an_open_assessment_never_counts(version, options):
    assessment = finished(version, options)
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.OPEN)
    assert not counting(Assessment.objects.all())
    assert list(finished_assessments()) == []


def test_an_organisation_is_its_client_or_the_assessment_and_its_profile_the_clients(version, options, alice):
    client = ClientModel.objects.create(owner=alice, name="K", benchmark_consent=True, industry="finance")
    ours = finished(version, options, client=client, kind=WORKSHOP, industry="", size="10-49")
    anonymous = finished(version, options)
    records = {c.record.organisation: c for c in finished_assessments()}
    assert set(records) == {f"client:{client.pk}", f"assessment:{anonymous.pk}"}
    mine = records[f"client:{client.pk}"]
    assert (mine.record.industry, mine.record.size, mine.owner) == ("finance", "10-49", alice.pk)
    assert (
        mine.record.source == f"consultant:{alice.pk}" and records[f"assessment:{anonymous.pk}"].owner is None
    )
    assert ours.pk


def test_a_workshop_counts_with_its_group_result(version, options, alice):
    client = ClientModel.objects.create(owner=alice, name="K", benchmark_consent=True)
    workshop = finished(version, options, client=client, kind=WORKSHOP, level=4, people=2)
    question = next(q for (q, _lv) in options)
    ConsensusAnswer.objects.create(assessment=workshop, question=question, option=options[(question, 1)])
    (counted,) = finished_assessments()
    group = assessment_result(workshop).profile
    assert (counted.record.level, counted.record.score) == (group.level, group.score)
    assert counted.record.fields[question.field.code][1] == group.field(question.field.code).score < 4


def test_an_organisation_counts_once_a_quarter_with_its_latest_assessment(version, options, alice):
    client = ClientModel.objects.create(owner=alice, name="K", benchmark_consent=True)
    now = timezone.now()
    earlier = now - timedelta(days=400)
    for level, when in [(1, earlier), (2, earlier + timedelta(hours=1)), (3, now)]:
        finished(version, options, client=client, kind=WORKSHOP, level=level, when=when)
    for i in range(4):
        finished(version, options, when=earlier)
        finished(version, options, when=now, region="at" if i else "de")
    snapshot = snapshot_refresh()
    assert snapshot.results == 10  # the client twice (two quarters), eight self-assessments
    counts = overall(market(industry="", size="", region="", period="").get())["counts"]
    assert counts == [0, 9, 1, 0]  # the client's second of that quarter (Adopt) and today's Build


# --- the snapshot and the background refresh ------------------------------------------------------


def test_the_refresh_runs_after_a_counting_finish_and_only_then(
    client, version, django_capture_on_commit_callbacks
):
    for consent, refreshed in [(False, 0), (True, 1)]:
        respondent = Respondent(Client(), version)
        Assessment.objects.filter(pk=respondent.participant.assessment_id).update(benchmark_consent=consent)
        respondent.answer_all(lambda code: 2)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            respondent.client.post(respondent.url("summary"))
        assert len(callbacks) == refreshed
    assert Snapshot.objects.count() == 1  # the immediate backend ran the task


def test_a_refresh_after_a_newer_one_is_skipped(version, options):
    asked = timezone.now()
    first = snapshot_refresh()
    assert snapshot_refresh(requested_at=asked) is None  # the first one began after the request: it saw it
    assert snapshot_refresh(requested_at=timezone.now()) is not None
    assert Snapshot.objects.filter(pk=first.pk).exists()
    snapshot_refresh()
    assert Snapshot.objects.count() == 2 and not Snapshot.objects.filter(pk=first.pk).exists()  # two kept


def test_withdrawn_consent_and_deletion_leave_every_later_figure(
    version, options, django_capture_on_commit_callbacks
):
    assessments = [finished(version, options) for _ in range(6)]
    snapshot_refresh()
    assert overall(market(industry="", size="", region="", period="").get())["n"] == 6
    with django_capture_on_commit_callbacks(execute=True):
        respondent_services.benchmark_consent_set(assessment=assessments[0], consent=False)
    assert overall(market(industry="", size="", region="", period="").get())["n"] == 5
    with django_capture_on_commit_callbacks(execute=True):
        workspace_services.assessment_delete(assessment=assessments[1])
    assert not market().exists()  # four are too few: nothing at all, not a zero
    assert Snapshot.objects.count() == 2


def test_the_command_refreshes_and_reports(version, options, capsys):
    finished(version, options)
    call_command("refresh_benchmark")
    assert "1 results counted" in capsys.readouterr().out


# --- the self-assessor's result page --------------------------------------------------------------


def finished_respondent(version, *, consent=True, industry="trade", size="50-249", level=2):
    browser = Client()
    response = browser.post(
        "/start/",
        {
            "organisation": "Muster AG",
            "respondent_name": "Eva",
            "language": "de",
            "industry": industry,
            "size": size,
            "region": "de",
            **({"benchmark_consent": "on"} if consent else {}),
        },
    )
    assert response.status_code == 200
    respondent = Respondent.__new__(Respondent)
    respondent.client, respondent.version = browser, version
    respondent.participant = Participant.objects.order_by("-pk").first()
    respondent.key = respondent.participant.key
    respondent.answer_all(lambda code: level)
    browser.post(respondent.url("summary"))
    return respondent


def test_the_result_page_places_the_self_assessor_among_the_same_size(version, options):
    for level in (1, 2, 2, 3, 4):
        finished(version, options, level=level, industry="finance")  # another sector, the same size
    respondent = finished_respondent(version)
    snapshot_refresh()
    page = respondent.client.get(respondent.url("result")).content.decode()
    assert "Wo Sie im Vergleich stehen" in page
    assert "6 Organisationen mit 50–249 Beschäftigten" in page
    quarter = f"Q{(timezone.localdate().month - 1) // 3 + 1} {timezone.localdate().year}"
    assert f"Stand: {quarter}" in page
    assert "Für Ihre Branche gibt es in Ihrer Größe noch zu wenige Vergleichswerte" in page
    assert page.count('class="level-bar"') == 7 and page.count('class="score-box"') == 7
    assert "Ihr Score 2,0 liegt" in page
    benchmark = benchmark_of(respondent.participant.assessment, None)
    assert benchmark.basis == Basis.SIZE


def test_below_the_threshold_the_page_says_too_few_never_zero(version):
    respondent = finished_respondent(version)
    snapshot_refresh()
    page = respondent.client.get(respondent.url("result")).content.decode()
    assert "Noch zu wenige Vergleichswerte" in page
    assert 'class="level-bar"' not in page and ">0<" not in page


def test_the_result_page_costs_one_query_more_and_two_for_a_clients_assessment(version, options, alice):
    for level in (1, 2, 3, 4, 2):
        finished(version, options, level=level)
    respondent = finished_respondent(version)
    snapshot_refresh()
    assessment = Assessment.objects.get(pk=respondent.participant.assessment_id)
    with CaptureQueriesContext(connection) as anonymous:
        benchmark_of(assessment, None)
    client = ClientModel.objects.create(owner=alice, name="K")
    Assessment.objects.filter(pk=assessment.pk).update(client=client, owner=alice)
    assessment = Assessment.objects.get(pk=assessment.pk)
    with CaptureQueriesContext(connection) as claimed:
        benchmark_of(assessment, None)
    assert (len(anonymous), len(claimed)) == (1, 2)
    assert not any(
        "standortbestimmung_answer" in q["sql"] for q in anonymous.captured_queries + claimed.captured_queries
    )


def test_the_consent_can_be_given_and_withdrawn_on_the_result_page(version):
    respondent = finished_respondent(version, consent=False)
    url = reverse("respondent:benchmark_consent", args=[respondent.key])
    assessment = respondent.participant.assessment
    assert (
        "Mein anonymes Ergebnis zählen lassen"
        in respondent.client.get(respondent.url("result")).content.decode()
    )
    assert respondent.client.post(url, {"consent": "yes"}).status_code == 302
    assessment.refresh_from_db()
    assert assessment.benchmark_consent and assessment.benchmark_consent_at is not None
    page = respondent.client.get(respondent.url("result")).content.decode()
    assert "Einwilligung widerrufen" in page and "zählt ab der nächsten Aktualisierung" in page
    respondent.client.post(url, {"consent": "no"})
    assessment.refresh_from_db()
    assert not assessment.benchmark_consent and assessment.benchmark_consent_at is None


@pytest.mark.parametrize("data", [{}, {"consent": "maybe"}, {"consent": ["yes", "no"]}])
def test_a_tampered_consent_is_refused_and_writes_nothing(version, data):
    respondent = finished_respondent(version, consent=False)
    response = respondent.client.post(reverse("respondent:benchmark_consent", args=[respondent.key]), data)
    assert response.status_code == 400
    assert "ob Ihr Ergebnis im Vergleich zählen darf" in response.content.decode()
    assert not Assessment.objects.get(pk=respondent.participant.assessment_id).benchmark_consent


# --- the start and the client form ----------------------------------------------------------------


def test_the_start_offers_optional_profile_and_an_unticked_separate_consent(client, version):
    page = client.get("/start/").content.decode()
    assert "Vergleich mit anderen Organisationen (optional)" in page
    assert "Mein anonymes Ergebnis darf im Vergleich zählen." in page
    consent = page[
        page.index('name="benchmark_consent"') - 200 : page.index('name="benchmark_consent"') + 200
    ]
    assert "checked" not in consent
    assert "Handel und Konsumgüter" in page and "50–249 Beschäftigte" in page and "Österreich" in page
    client.post("/start/", {"language": "de"})
    plain = Assessment.objects.get()
    assert (plain.industry, plain.size, plain.region, plain.benchmark_consent) == ("", "", "", False)


def test_a_profile_outside_the_lists_is_refused_and_starts_nothing(client, version):
    response = client.post("/start/", {"language": "de", "industry": "mining", "size": "5000+"})
    assert response.status_code == 400
    assert not Assessment.objects.exists()


def test_the_clients_consent_is_recorded_and_moves_the_benchmark(
    version, options, alice, django_capture_on_commit_callbacks
):
    browser = Client()
    sign_in(browser, alice)
    browser.post(reverse("workspace:dashboard"), {"name": "K", "industry": "ict", "benchmark_consent": "on"})
    client = ClientModel.objects.get()
    assert client.benchmark_consent and client.benchmark_consent_at and client.industry == "ict"
    finished(version, options, client=client, kind=WORKSHOP)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = browser.post(
            reverse("workspace:client", args=[client.pk]), {"name": "K", "industry": "ict"}
        )
    assert response.status_code == 302 and len(callbacks) == 1
    client.refresh_from_db()
    assert not client.benchmark_consent and client.benchmark_consent_at is None
    with django_capture_on_commit_callbacks(execute=True) as callbacks:  # notes move nothing
        browser.post(
            reverse("workspace:client", args=[client.pk]), {"name": "K", "industry": "ict", "notes": "x"}
        )
    assert callbacks == []


# --- the consultant's market view -------------------------------------------------------------


@pytest.fixture
def market_data(version, options, alice, bob):
    """12 anonymous consenting self-assessments and alice's two clients, one of which did not consent."""
    for i in range(12):
        finished(version, options, level=1 + i % 4, size="50-249" if i < 7 else "10-49")
    agreed = ClientModel.objects.create(owner=alice, name="Geheim AG", benchmark_consent=True, industry="ict")
    refused = ClientModel.objects.create(owner=alice, name="Nein GmbH", industry="ict", size="1000+")
    finished(version, options, client=agreed, kind=WORKSHOP, level=3)
    finished(version, options, client=refused, kind=WORKSHOP, level=4, size="1000+")
    snapshot_refresh()
    return {"alice": alice, "bob": bob}


def browser_for(user):
    browser = Client()
    sign_in(browser, user)
    return browser


def test_the_market_view_shows_the_protected_market_in_german(market_data):
    page = browser_for(market_data["bob"]).get(reverse("workspace:market:view")).content.decode()
    assert "Markt: Wo Unternehmen stehen" in page
    assert "13 Ergebnisse von 13 Organisationen" in page  # alice's refusing client is not in it
    assert page.count('class="level-bar"') == 7 and "Geheim AG" not in page
    page = (
        browser_for(market_data["bob"])
        .get(reverse("workspace:market:view") + "?size=1000%2B")
        .content.decode()
    )
    assert "Zu wenige Vergleichswerte" in page and 'class="level-bar"' not in page


def test_a_consultant_sees_all_own_clients_unprotected_and_nobody_elses(market_data):
    url = reverse("workspace:market:view") + "?scope=own"
    mine = browser_for(market_data["alice"]).get(url).content.decode()
    assert "2 Ergebnisse von 2 Organisationen" in mine  # with the client that did not consent
    theirs = browser_for(market_data["bob"]).get(url).content.decode()
    assert "Zu wenige Vergleichswerte" in theirs and "Ergebnisse von" not in theirs


@pytest.mark.parametrize(
    "query", ["?industry=mining", "?size=5", "?scope=everything", "?period=2020-Q1", "?period=x" * 3]
)
def test_a_filter_that_is_not_offered_is_refused(market_data, query):
    response = browser_for(market_data["bob"]).get(reverse("workspace:market:view") + query)
    assert response.status_code == 400
    assert "bietet keinen solchen Filter" in response.content.decode()


def test_the_csv_holds_aggregated_figures_only(market_data):
    response = browser_for(market_data["bob"]).get(reverse("workspace:market:csv") + "?size=50-249")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Abschnitt", "Quartal", "Handlungsfeld"]
    overall_row = next(r for r in rows if r[0] == "Verteilung" and r[2] == "Gesamt")
    assert overall_row[5:11] == ["2", "2", "3", "1", "8", "8"]  # with alice's client that agreed
    text = response.content.decode()
    assert "Geheim AG" not in text and "Nein GmbH" not in text
    assert not any(str(a.key) in text for a in Assessment.objects.all())
    hidden = (
        browser_for(market_data["bob"])
        .get(reverse("workspace:market:csv") + "?size=1000%2B")
        .content.decode()
    )
    assert "Zu wenige Vergleichswerte" in hidden and ",0," not in hidden


def test_the_market_view_reads_the_snapshot_never_the_assessments(market_data, version, options):
    browser = browser_for(market_data["bob"])
    url = reverse("workspace:market:view")
    browser.get(url)
    with CaptureQueriesContext(connection) as small:
        assert browser.get(url).status_code == 200
    for i in range(10):
        finished(version, options, level=1 + i % 4)
    snapshot_refresh()
    browser.get(url)
    with CaptureQueriesContext(connection) as larger:
        assert browser.get(url).status_code == 200
    assert len(small) == len(larger)
    sql = " ".join(q["sql"] for q in larger.captured_queries)
    assert "standortbestimmung_assessment" not in sql and "standortbestimmung_answer" not in sql


def test_the_market_view_before_any_snapshot_says_so(alice):
    page = browser_for(alice).get(reverse("workspace:market:view")).content.decode()
    assert "noch nicht berechnet" in page


# --- the report and the exchange format --------------------------------------------------------


def test_the_report_has_the_comparison_and_its_cache_follows_the_snapshot(version, options):
    for level in (1, 2, 3, 4, 2):
        finished(version, options, level=level)
    respondent = finished_respondent(version)
    assessment = Assessment.objects.get(pk=respondent.participant.assessment_id)
    before = report_digest(assessment, "de", for_owner=False)
    snapshot_refresh()
    after = report_digest(assessment, "de", for_owner=False)
    assert after != before
    assert report_digest(assessment, "de", for_owner=False) == after  # nothing changed: the cache holds
    size, assessment.size = assessment.size, "250-999" if assessment.size != "250-999" else "10-49"
    assert report_digest(assessment, "de", for_owner=False) != after  # another cohort
    assessment.size = size
    from pypdf import PdfReader

    text = " ".join(
        p.extract_text()
        for p in PdfReader(io.BytesIO(report_pdf(assessment, "de", for_owner=False).pdf)).pages
    )
    assert "Vergleich mit anderen Organisationen" in text
    cohort = "6 Organisationen aus der Branche „Handel und Konsumgüter“ mit 50–249 Beschäftigten"
    assert cohort in " ".join(text.split())
    english = " ".join(
        p.extract_text()
        for p in PdfReader(io.BytesIO(report_pdf(assessment, "en", for_owner=False).pdf)).pages
    )
    cohort = "6 organisations from the sector “Trade and consumer goods” with 50–249 employees"
    assert "Comparison with other organisations" in english and cohort in " ".join(english.split())


def test_the_export_carries_the_profile_and_a_version_1_file_still_imports(version):
    respondent = finished_respondent(version, industry="health", size="1-9")
    assessment = Assessment.objects.get(pk=respondent.participant.assessment_id)
    data = json.loads(exchange.export_json(assessment))
    assert data["schema_version"] == 3
    assert {k: data["assessment"][k] for k in ("industry", "size", "region", "benchmark_consent")} == {
        "industry": "health",
        "size": "1-9",
        "region": "de",
        "benchmark_consent": True,
    }
    Assessment.objects.filter(pk=assessment.pk).delete()
    imported = exchange.import_assessment(json.dumps(data))
    assert (imported.industry, imported.size, imported.benchmark_consent) == ("health", "1-9", False)
    Assessment.objects.filter(pk=imported.pk).delete()
    old = {**data, "schema_version": 1}
    old["assessment"] = {
        k: v
        for k, v in data["assessment"].items()
        if k not in {"industry", "size", "region", "benchmark_consent"}
    }
    assert exchange.import_assessment(json.dumps(old)).industry == ""


def test_demo_data_lets_the_market_and_the_benchmark_be_seen(version):
    call_command(
        "generate_demo_data", "--assessments", "40", "--per-client", "4", "--roadmaps", "2", verbosity=0
    )
    anonymous = Assessment.objects.filter(kind=SELF, client__isnull=True)
    assert anonymous.count() == 20 and anonymous.filter(benchmark_consent=True).count() >= 12
    assert Assessment.objects.exclude(industry="").exists() and ClientModel.objects.exclude(size="").exists()
    assert len({a.finished_at.date() for a in Assessment.objects.all()}) > 4
    assert Snapshot.objects.get().results > 20 and market(industry="", size="", region="", period="").exists()
