"""The consultant's workspace: clients, workshops, invitations, spread, consensus, claiming, comparison, GDPR."""

import re
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from respondent import services as respondent_services
from roadmap.models import Report, Roadmap, RoadmapItem
from roadmap.pdf import report_pdf
from standortbestimmung.models import (
    Answer,
    Assessment,
    ConsensusAnswer,
    Participant,
    Question,
)
from standortbestimmung.models import (
    Client as ClientModel,
)
from standortbestimmung.result import assessment_result
from standortbestimmung.scoring import Level
from tests.conftest import Respondent, sign_in
from workspace import services

U, A, B, C = Level.UNAWARE, Level.ADOPT, Level.BUILD, Level.COMMIT


# --- views --------------------------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultant(alice):
    browser = Client()
    sign_in(browser, alice)
    return browser


@pytest.fixture
def client_org(alice):
    return ClientModel.objects.create(owner=alice, name="Muster AG")


@pytest.fixture
def workshop(client_org, version):
    return services.workshop_start(client=client_org, version=version)


def invite_and_answer(workshop, name, level_for):
    link = services.participant_invite(assessment=workshop, name=name)
    participant = link.participant
    browser = Client()
    browser.get(reverse("respondent:resume", args=[link.token]))
    questions = Question.objects.filter(field__version=workshop.version).prefetch_related("options")
    respondent_services.answer_save(
        participant=participant,
        answers={
            q: (q.options.get(level=level_for(q.code)) if level_for(q.code) else None) for q in questions
        },
    )
    return participant, browser


def test_a_consultant_creates_a_client_and_bad_input_writes_nothing(consultant, alice):
    response = consultant.post(
        reverse("workspace:dashboard"), {"name": "Muster AG", "contact_email": "ceo@example.org"}
    )
    assert response.status_code == 302
    assert ClientModel.objects.get().owner == alice
    for data in (
        {"name": ""},
        {"name": "x" * 201},
        {"name": "Ok", "contact_email": "no-mail"},
        {"name": "Nul\x00l"},
    ):
        assert consultant.post(reverse("workspace:dashboard"), data).status_code == 400
    assert ClientModel.objects.count() == 1


def test_the_dashboard_shows_only_own_clients(consultant, client_org, bob):
    ClientModel.objects.create(owner=bob, name="Fremde GmbH")
    html = consultant.get(reverse("workspace:dashboard")).content.decode()
    assert "Muster AG" in html and "Fremde GmbH" not in html


def test_inviting_shows_the_link_once_and_the_participant_answers_through_it(consultant, workshop):
    response = consultant.post(
        reverse("workspace:invite", args=[workshop.key]), {"name": "Paula", "email": ""}
    )
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    token = response.content.decode().split("/r/")[1].split("/")[0]
    assert "/r/" not in consultant.get(reverse("workspace:assessment", args=[workshop.key])).content.decode()
    browser = Client()
    assert browser.get(reverse("respondent:resume", args=[token])).status_code == 302
    participant = Participant.objects.get(name="Paula")
    assert browser.get(reverse("respondent:step", args=[participant.key, "journeys"])).status_code == 200


@pytest.mark.parametrize("data", [{"name": ""}, {"name": "x" * 201}, {"name": "Paul", "email": "kaputt"}])
def test_a_bad_invitation_is_refused(consultant, workshop, data):
    assert consultant.post(reverse("workspace:invite", args=[workshop.key]), data).status_code == 400
    assert Participant.objects.count() == 0


def test_a_revoked_participant_loses_access_and_no_longer_counts(consultant, workshop):
    _alice_p, _browser = invite_and_answer(workshop, "Anna", lambda code: 3)
    bert, bert_browser = invite_and_answer(workshop, "Bert", lambda code: 1)
    assert assessment_result(workshop).profile.level == U  # the lower median of Build and Unaware
    consultant.post(reverse("workspace:participant_revoke", args=[workshop.key, bert.pk]))
    assert bert_browser.get(reverse("respondent:step", args=[bert.key, "journeys"])).status_code == 404
    assert assessment_result(workshop).profile.level == B


def pdf_text(assessment, language="de") -> str:
    import io

    from pypdf import PdfReader

    pdf_bytes = report_pdf(assessment, language, for_owner=True).pdf
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_bytes)).pages).split())


def test_revoking_asks_first_and_can_be_undone_with_the_same_link(consultant, workshop):
    bert, bert_browser = invite_and_answer(workshop, "Bert", lambda code: 1)
    page = consultant.get(reverse("workspace:assessment", args=[workshop.key])).content.decode()
    row = page.split(f'id="participant-{bert.pk}"')[1].split("</tr>")[0]
    # the revoke button sits behind a question that says what happens and that it can be undone
    assert "<summary" in row and "Link widerrufen …" in row
    assert "Sie können das rückgängig machen." in row and "Ja, Link widerrufen" in row
    response = consultant.post(reverse("workspace:participant_revoke", args=[workshop.key, bert.pk]))
    assert response["Location"].endswith(f"#participant-{bert.pk}")
    page = consultant.get(response["Location"]).content.decode()
    assert "In der Liste der Teilnehmenden können Sie das rückgängig machen." in page
    row = page.split(f'id="participant-{bert.pk}"')[1].split("</tr>")[0]
    assert "Gesperrt" in row and "zählt nicht (gesperrt)" in row  # the status reads unlike any button
    assert "Link widerrufen …" not in row and "Rückgängig: Link wieder freigeben" in row
    assert assessment_result(workshop).participant_count == 0
    assert bert_browser.get(reverse("respondent:step", args=[bert.key, "journeys"])).status_code == 404

    consultant.post(reverse("workspace:participant_restore", args=[workshop.key, bert.pk]))
    bert.refresh_from_db()
    assert bert.revoked_at is None
    assert bert_browser.get(reverse("respondent:step", args=[bert.key, "journeys"])).status_code == 200
    assert assessment_result(workshop).participant_count == 1
    assert Roadmap.objects.get(assessment=workshop).revision > 1  # the roadmap followed both changes


def test_a_blocked_participant_can_be_invited_again_with_a_new_link(consultant, workshop):
    bert, bert_browser = invite_and_answer(workshop, "Bert", lambda code: 1)
    services.participant_revoke(participant=bert)
    response = consultant.post(reverse("workspace:participant_relink", args=[workshop.key, bert.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    token = response.content.decode().split("/r/")[1].split("/")[0]
    bert.refresh_from_db()
    assert bert.revoked_at is None
    assert bert_browser.get(reverse("respondent:step", args=[bert.key, "journeys"])).status_code == 404
    again = Client()
    again.get(reverse("respondent:resume", args=[token]))
    assert again.get(reverse("respondent:step", args=[bert.key, "journeys"])).status_code == 200
    assert bert.pk in assessment_result(workshop).per_participant


def test_restoring_someone_else_s_participant_is_404_and_changes_nothing(consultant, version, bob):
    foreign = services.workshop_start(client=ClientModel.objects.create(owner=bob, name="B"), version=version)
    paula = services.participant_invite(assessment=foreign, name="Paula").participant
    services.participant_revoke(participant=paula)
    url = reverse("workspace:participant_restore", args=[foreign.key, paula.pk])
    assert consultant.post(url).status_code == 404
    paula.refresh_from_db()
    assert paula.revoked_at is not None


def workshop_of_four(workshop):
    """Anna and Bert finished (Unaware, Commit), Cem answered the first 14 questions (Build), Dora nothing."""
    anna, _ = invite_and_answer(workshop, "Anna", lambda code: 1)
    bert, _ = invite_and_answer(workshop, "Bert", lambda code: 4)
    for person in (anna, bert):
        respondent_services.participant_finish(participant=person)
    cem = services.participant_invite(assessment=workshop, name="Cem").participant
    questions = Question.objects.filter(field__version=workshop.version).prefetch_related("options")
    respondent_services.answer_save(
        participant=cem, answers={q: q.options.get(level=3) for q in list(questions)[:14]}
    )
    services.participant_invite(assessment=workshop, name="Dora")
    return anna, bert, cem


@pytest.mark.parametrize(
    "counting, statement, journeys",
    [
        ("all", "Beantwortet von 3 von 4 Teilnehmenden (alle Antworten, auch nicht abgeschlossene)", B),
        ("finished", "Beantwortet von 2 von 4 Teilnehmenden (nur abgeschlossene)", U),
    ],
)
def test_the_consultant_chooses_whose_answers_count_and_page_and_pdf_say_so(
    consultant, workshop, counting, statement, journeys
):
    workshop_of_four(workshop)
    response = consultant.post(
        reverse("workspace:assessment_settings", args=[workshop.key]), {"title": "", "counting": counting}
    )
    assert response.status_code == 302
    workshop.refresh_from_db()
    result = assessment_result(workshop)
    # Journeys: the lower median of Unaware, Commit (and Cem's Build when all answers count)
    assert result.profile.field("journeys").level == journeys
    page = consultant.get(reverse("workspace:assessment", args=[workshop.key])).content.decode()
    assert statement in page
    if counting == "finished":
        assert "Cem (nicht abgeschlossen, 14 von 42 beantwortet)" in " ".join(page.split())
    assert statement in pdf_text(workshop)
    roadmap = Roadmap.objects.get(assessment=workshop)
    assert roadmap.targets["journeys"] == int(journeys) + 1  # the roadmap follows the choice


def test_bad_settings_are_refused_and_change_nothing(consultant, workshop):
    url = reverse("workspace:assessment_settings", args=[workshop.key])
    for data in ({"counting": "everyone"}, {"counting": "all", "title": "x" * 121}, {"title": "Nul\x00l"}):
        assert consultant.post(url, data).status_code == 400
    workshop.refresh_from_db()
    assert (workshop.title, workshop.counting) == ("", Assessment.Counting.ALL)


def test_assessments_are_told_apart_by_title_or_kind_time_and_participants(consultant, client_org, version):
    first = services.workshop_start(client=client_org, version=version)
    second = services.workshop_start(client=client_org, version=version)
    services.participant_invite(assessment=second, name="Anna")
    consultant.post(
        reverse("workspace:assessment_settings", args=[first.key]), {"title": "Vertrieb", "counting": "all"}
    )
    page = " ".join(
        consultant.get(reverse("workspace:client", args=[client_org.pk])).content.decode().split()
    )
    assert ">Vertrieb</a>" in page and "0 Teilnehmende" in page and "1 teilnehmende Person" in page
    first.refresh_from_db()
    titles = {
        re.search(
            r"<title>(.*?)</title>",
            consultant.get(reverse("workspace:assessment", args=[a.key])).content.decode(),
            re.S,
        )[1]
        for a in (first, second)
    }
    assert len(titles) == 2 and any(t.startswith("Vertrieb · ") for t in titles)


def test_in_english_the_pdf_is_offered_in_english_first(consultant, workshop):
    consultant.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = consultant.get(reverse("workspace:assessment", args=[workshop.key])).content.decode()
    report = reverse("workspace:report", args=[workshop.key])
    assert f'href="{report}?lang=en">Download PDF</a>' in page
    assert f'href="{report}?lang=de" hreflang="de">PDF in German</a>' in page
    assert "Where the company stands" in pdf_text(workshop, "en")


def test_the_questions_that_divide_the_room_come_first(consultant, workshop):
    invite_and_answer(workshop, "Anna", lambda code: 1 if code == "tools.3" else 2)
    invite_and_answer(workshop, "Bert", lambda code: 4 if code == "tools.3" else 2)
    html = consultant.get(reverse("workspace:assessment", args=[workshop.key])).content.decode()
    spread_section = html.split('id="spread-heading"')[1]
    assert spread_section.index('id="q-tools.3"') < spread_section.index('id="q-journeys.1"')


def test_a_consensus_counts_for_the_result_and_can_be_cleared(consultant, workshop):
    invite_and_answer(workshop, "Anna", lambda code: 1)
    question = Question.objects.get(field__version=workshop.version, code="journeys.1")
    option = question.options.get(level=4)
    url = reverse("workspace:consensus", args=[workshop.key])
    assert consultant.post(url, {"question": question.pk, "answer": option.pk}).status_code == 302
    assert assessment_result(workshop).answers["journeys.1"] == C
    consultant.post(url, {"question": question.pk, "answer": "clear"})
    assert assessment_result(workshop).answers["journeys.1"] == U
    assert ConsensusAnswer.objects.count() == 0


@pytest.mark.parametrize(
    "data",
    [
        {"question": "999999", "answer": "dk"},
        {"question": "abc", "answer": "dk"},
        {"question": "²", "answer": "dk"},
        {"answer": "dk"},
        "other question's option",
    ],
)
def test_a_tampered_consensus_is_refused_and_writes_nothing(consultant, workshop, data):
    question = Question.objects.get(field__version=workshop.version, code="journeys.1")
    if data == "other question's option":
        other = Question.objects.get(field__version=workshop.version, code="tools.1").options.first()
        data = {"question": question.pk, "answer": other.pk}
    assert consultant.post(reverse("workspace:consensus", args=[workshop.key]), data).status_code == 400
    assert ConsensusAnswer.objects.count() == 0


def test_a_self_assessment_is_taken_over_with_its_link(consultant, client_org, version):
    respondent = Respondent(Client(), version)
    link = f"https://cjm.example.org/r/{respondent.token}/"
    response = consultant.post(reverse("workspace:claim", args=[client_org.pk]), {"link": link})
    assert response.status_code == 302
    assessment = respondent.participant.assessment
    assessment.refresh_from_db()
    assert assessment.client == client_org and assessment.owner == client_org.owner
    again = consultant.post(reverse("workspace:claim", args=[client_org.pk]), {"link": link})
    assert again.status_code == 400
    assert (
        consultant.post(
            reverse("workspace:claim", args=[client_org.pk]), {"link": "https://x/r/nonsense/"}
        ).status_code
        == 400
    )


def test_deleting_a_client_removes_every_row_and_cached_report(consultant, client_org, workshop, version):
    invite_and_answer(workshop, "Anna", lambda code: 2)
    respondent = Respondent(Client(), version)
    respondent.answer_all(lambda code: 2)
    services.assessment_claim(client=client_org, token=respondent.token)
    report_pdf(workshop, "de", for_owner=True)
    question = Question.objects.get(field__version=version, code="journeys.1")
    services.consensus_set(assessment=workshop, question=question, option=None)
    assert Report.objects.count() == 1 and RoadmapItem.objects.exists()
    assert consultant.get(reverse("workspace:client_delete", args=[client_org.pk])).status_code == 200
    assert (
        consultant.post(reverse("workspace:client_delete", args=[client_org.pk]), {}).status_code == 400
    )  # unconfirmed
    assert ClientModel.objects.count() == 1
    response = consultant.post(reverse("workspace:client_delete", args=[client_org.pk]), {"confirm": "on"})
    assert response.status_code == 302
    for model in (
        ClientModel,
        Assessment,
        Participant,
        Answer,
        ConsensusAnswer,
        Roadmap,
        RoadmapItem,
        Report,
    ):
        assert model.objects.count() == 0, model


def test_a_re_assessment_is_compared_and_carries_the_roadmap_status(
    consultant, client_org, workshop, version
):
    invite_and_answer(workshop, "Anna", lambda code: 2)
    first = Roadmap.objects.get(assessment=workshop)
    done = first.items.filter(year__isnull=False).order_by("year", "quarter").first()
    done.status = "done"
    done.save()
    Assessment.objects.filter(pk=workshop.pk).update(created_at=timezone.now() - timedelta(days=90))
    second = services.workshop_start(client=client_org, version=version)
    invite_and_answer(second, "Anna", lambda code: 3)
    html = consultant.get(reverse("workspace:compare", args=[second.key])).content.decode()
    assert "▲ +1,0" in html
    roadmap = Roadmap.objects.get(assessment=second)
    assert roadmap.items.get(measure=done.measure).status == "done"
    assert (
        consultant.get(reverse("workspace:compare", args=[workshop.key])).status_code == 404
    )  # nothing before the first


def test_the_report_of_a_re_assessment_has_the_comparison_and_the_spread(workshop, client_org, version):
    invite_and_answer(workshop, "Anna", lambda code: 2)
    Assessment.objects.filter(pk=workshop.pk).update(created_at=timezone.now() - timedelta(days=90))
    second = services.workshop_start(client=client_org, version=version)
    invite_and_answer(second, "Anna", lambda code: 1 if code.endswith(".1") else 3)
    invite_and_answer(second, "Bert", lambda code: 4 if code.endswith(".1") else 3)
    import io

    from pypdf import PdfReader

    pdf_bytes = report_pdf(second, "de", for_owner=True).pdf
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_bytes)).pages).split())
    assert "Was sich seit der letzten Standortbestimmung bewegt hat" in text
    assert "Wo die Teilnehmenden am weitesten auseinanderlagen" in text
    assert "Unaware 1 · Commit 1" in text  # level names, not "U 1 · A 0 · B 0 · C 1"
    first = Question.objects.get(field__version=version, code="journeys.1")
    assert f"1. {first.text_de}" in text
    assert "journeys.1" not in text  # no internal codes for a manager to decode


def test_a_new_link_locks_out_every_browser_that_used_the_old_one(version):
    respondent = Respondent(Client(), version)
    other = Client()
    other.get(reverse("respondent:resume", args=[respondent.token]))
    assert other.get(respondent.url("summary")).status_code == 200
    respondent.client.post(respondent.url("new_link"))
    assert other.get(respondent.url("summary")).status_code == 404
    assert respondent.client.get(respondent.url("summary")).status_code == 200  # the browser that asked


def test_a_unicode_digit_is_refused_not_a_500(respondent):
    question = respondent.question("journeys.1")
    response = respondent.client.post(respondent.url("answer"), {f"q{question.pk}": "²"})
    assert response.status_code == 400
    assert Answer.objects.count() == 0


# --- accounts ------------------------------------------------------------------------------------------


def test_logins_are_rate_limited_per_account(alice):
    browser = Client()
    for _ in range(4):
        response = browser.post(reverse("login"), {"username": "alice", "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
    assert browser.post(reverse("login"), {"username": "alice", "password": "wrong"}).status_code == 429
    # locked: even the right password waits now, also from another address
    other = Client(REMOTE_ADDR="10.9.8.7")
    locked = other.post(reverse("login"), {"username": "alice", "password": "alice-secret-password"})
    assert locked.status_code == 429
    assert "Zu viele Versuche" in locked.content.decode()


def test_a_correct_login_works_and_resets_the_count(alice):
    browser = Client()
    browser.post(reverse("login"), {"username": "alice", "password": "wrong"})
    response = browser.post(reverse("login"), {"username": "alice", "password": "alice-secret-password"})
    assert response.status_code == 302 and response["Location"] == reverse("workspace:dashboard")
    # signed in with the password; the authenticator app is set up next
    assert browser.get(reverse("workspace:dashboard"))["Location"].startswith(reverse("accounts:setup"))
    # the earlier failure no longer counts: four more (five in all) do not lock the account
    again = Client()
    for _ in range(4):
        assert again.post(reverse("login"), {"username": "alice", "password": "wrong"}).status_code == 200


def test_create_consultant_prints_a_set_password_link(django_user_model):
    from io import StringIO

    out = StringIO()
    call_command("create_consultant", "carla", "carla@example.org", stdout=out)
    user = django_user_model.objects.get(username="carla")
    assert not user.has_usable_password() and not user.is_staff
    assert "/konto/passwort/" in out.getvalue()
    with pytest.raises(CommandError, match="exists already"):
        call_command("create_consultant", "carla", "carla@example.org")
    with pytest.raises(CommandError, match="not an e-mail"):
        call_command("create_consultant", "dora", "dora")


def test_purge_deletes_stale_anonymous_self_assessments_and_unused_invitations(version, workshop, alice):
    old = Respondent(Client(), version)
    fresh = Respondent(Client(), version)
    owned = Respondent(Client(), version)
    Assessment.objects.filter(pk=owned.participant.assessment_id).update(owner=alice)
    services.participant_invite(assessment=workshop, name="Nie da")
    long_ago = timezone.now() - timedelta(days=400)
    Assessment.objects.filter(pk__in=[old.participant.assessment_id, owned.participant.assessment_id]).update(
        updated_at=long_ago
    )
    Participant.objects.filter(name="Nie da").update(created_at=long_ago)
    call_command("purge_stale_data", verbosity=0)
    remaining = set(Assessment.objects.values_list("pk", flat=True))
    assert old.participant.assessment_id not in remaining
    assert {fresh.participant.assessment_id, owned.participant.assessment_id, workshop.pk} <= remaining
    assert not Participant.objects.filter(name="Nie da").exists()


def test_gdpr_exports_of_a_client_and_of_a_participant(consultant, client_org, workshop):
    import json

    anna, anna_browser = invite_and_answer(workshop, "Anna", lambda code: 2)
    invite_and_answer(workshop, "Bert", lambda code: 3)
    data = json.loads(consultant.get(reverse("workspace:client_data", args=[client_org.pk])).content)
    assert data["client"]["name"] == "Muster AG"
    assert len(data["assessments"]) == 1 and len(data["assessments"][0]["participants"]) == 2
    own = json.loads(anna_browser.get(reverse("respondent:my_data", args=[anna.key])).content)
    assert own["name"] == "Anna" and set(own["answers"].values()) == {2}
    assert "Bert" not in json.dumps(own)


def count_queries(browser, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    browser.get(url)  # warm the per-process content cache
    with CaptureQueriesContext(connection) as captured:
        assert browser.get(url).status_code == 200
    return len(captured)


def test_the_workshop_page_runs_the_same_queries_for_1_and_30_participants(consultant, client_org, version):
    small = services.workshop_start(client=client_org, version=version)
    big = services.workshop_start(client=client_org, version=version)
    invite_and_answer(small, "Eine", lambda code: 2)
    for i in range(30):
        invite_and_answer(big, f"Person {i}", lambda code, i=i: 1 + (i + len(code)) % 4)
    assert count_queries(consultant, reverse("workspace:assessment", args=[small.key])) == count_queries(
        consultant, reverse("workspace:assessment", args=[big.key])
    )
    # session, user, second-factor device, assessment (with its client), participant ids, answers, consensus,
    # participant list, their last mails, units and roles, notes and confidence, each participant's unit and
    # role, validated answers, previous assessment, the running live session
    assert count_queries(consultant, reverse("workspace:assessment", args=[big.key])) == 15


def test_the_dashboard_runs_the_same_queries_for_1_and_120_clients(consultant, alice):
    ClientModel.objects.create(owner=alice, name="Erster")
    one = count_queries(consultant, reverse("workspace:dashboard"))
    ClientModel.objects.bulk_create(ClientModel(owner=alice, name=f"Kunde {i:03d}") for i in range(119))
    # session, user, second-factor device, count, one page of clients, their assessments' counts
    assert count_queries(consultant, reverse("workspace:dashboard")) == one == 6


def test_the_dashboard_pages_and_searches(consultant, alice):
    ClientModel.objects.bulk_create(ClientModel(owner=alice, name=f"Kunde {i:03d}") for i in range(60))
    first = consultant.get(reverse("workspace:dashboard")).content.decode()
    assert "Kunde 000" in first and "Kunde 055" not in first and "1 / 2" in first
    second = consultant.get(reverse("workspace:dashboard") + "?page=2").content.decode()
    assert "Kunde 055" in second
    found = consultant.get(reverse("workspace:dashboard") + "?q=Kunde 05").content.decode()
    assert "Kunde 055" in found and "Kunde 000" not in found
    assert consultant.get(reverse("workspace:dashboard") + "?page=abc&q=" + "x" * 5000).status_code == 200


def test_generate_demo_data_builds_answered_assessments_and_refuses_nonsense(version):
    call_command(
        "generate_demo_data",
        *("--assessments", "9", "--participants", "2", "--per-client", "4", "--self-share", "0"),
        *("--roadmaps", "0"),
        verbosity=0,
    )
    assert Assessment.objects.count() == 9
    assert ClientModel.objects.count() == 3
    assert Participant.objects.count() == 18
    assert 18 * 36 <= Answer.objects.count() <= 18 * 42
    profile = assessment_result(Assessment.objects.first()).profile
    assert profile.level is not None
    bad_values = [["--participants", "99"], ["--per-client", "0"], ["--self-share", "2"], ["--consent", "-1"]]
    for bad in (["--assessments", "0"], *bad_values):
        with pytest.raises(CommandError):
            call_command("generate_demo_data", *bad, verbosity=0)


def test_the_demo_consultant_gets_a_random_password_shown_once(version, django_user_model, capsys):
    call_command("generate_demo_data", "--assessments", "1", "--consultant", "demo")
    shown = re.search(r"with the password (\S+) \(shown only now\)", capsys.readouterr().out).group(1)
    demo = django_user_model.objects.get(username="demo")
    assert demo.check_password(shown) and not demo.check_password("demo-demo-demo") and len(shown) >= 20
    call_command("generate_demo_data", "--assessments", "1", "--consultant", "demo")  # exists: unchanged
    assert "password" not in capsys.readouterr().out
    demo.refresh_from_db()
    assert demo.check_password(shown)
    # the benchmark chooses its own
    call_command(
        "generate_demo_data", "--assessments", "1", "--consultant", "bench", "--password", "b-e-n-c-h-42"
    )
    assert django_user_model.objects.get(username="bench").check_password("b-e-n-c-h-42")


def test_the_report_digest_changes_with_everything_the_report_shows(workshop):
    from roadmap.pdf import report_digest

    paula, _browser = invite_and_answer(workshop, "Paula", lambda code: 2)
    invite_and_answer(workshop, "Piet", lambda code: 3)
    question = Question.objects.filter(field__version=workshop.version).first()
    seen = [report_digest(workshop, "de", for_owner=True)]
    assert report_digest(workshop, "de", for_owner=True) == seen[0]  # nothing changed, nothing to render
    assert report_digest(workshop, "en", for_owner=True) != seen[0]
    changes = [
        lambda: services.consensus_set(
            assessment=workshop, question=question, option=question.options.first()
        ),
        lambda: services.consensus_set(assessment=workshop, question=question, option=None, clear=True),
        lambda: respondent_services.participant_finish(participant=paula),
        lambda: services.participant_revoke(participant=paula),
        lambda: RoadmapItem.objects.filter(roadmap__assessment=workshop).first().save(),  # e.g. in the admin
        lambda: RoadmapItem.objects.filter(roadmap__assessment=workshop).first().delete(),
        lambda: Assessment.objects.filter(pk=workshop.pk).update(organisation="Neu AG"),
    ]
    for change in changes:
        change()
        workshop.refresh_from_db()
        seen.append(report_digest(workshop, "de", for_owner=True))
        assert seen[-1] != seen[-2]
