"""The live pages as people use them: join by code, vote from the phone, the projector and the control view.
Nobody sees another's vote, no name is ever next to a vote, results stay hidden until they are shown."""

import logging
import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from live import services, views
from live.models import LiveMember, LiveSession
from standortbestimmung.models import Answer, ConsensusAnswer, Participant
from standortbestimmung.questionnaire import clear_cache
from standortbestimmung.scoring import Level
from tests.conftest import Respondent, sign_in
from tests.live.conftest import Phone, act

pytestmark = pytest.mark.django_db
U, A, B, C = Level.UNAWARE, Level.ADOPT, Level.BUILD, Level.COMMIT


@pytest.fixture
def running(live, questions):
    """The live session with its first question open."""
    return services.live_open(session=live, revision=live.revision, question=questions[0])


def state_of(browser, url_name, session, since=""):
    return browser.get(reverse(f"live:{url_name}", args=[session.key]), {"since": since} if since else {})


def version_in(html: str) -> str:
    return re.search(r"since=([0-9a-z-]+)", html).group(1)


# --- joining -------------------------------------------------------------------------------------------


def test_the_code_leads_to_the_join_page_and_joining_binds_this_browser(running):
    browser = Client()
    response = browser.post(reverse("live:enter"), {"code": running.code_display.lower()})
    assert response.status_code == 302 and response["Location"] == reverse("live:join", args=[running.code])
    response = browser.post(response["Location"], {"name": "Anna"})
    participant = Participant.objects.get(name="Anna")
    assert response["Location"] == reverse("live:participant", args=[running.key])
    assert str(participant.key) not in response["Location"]  # the browser's session identifies them
    assert (
        participant.assessment == running.assessment and LiveMember.objects.get().participant == participant
    )
    page = browser.get(response["Location"])
    assert page.status_code == 200 and running.open_questions()[0].text in page.content.decode()
    assert Client().get(response["Location"]).status_code == 404  # another browser is nobody here
    assert browser.get(reverse("live:join", args=[running.code]))["Location"] == response["Location"]


def test_a_wrong_code_says_so_and_guessing_from_one_address_stops_with_429(running, caplog):
    browser = Client()
    with (
        override_settings(BAD_JOIN_CODES_PER_IP_PER_HOUR=3),
        caplog.at_level(logging.WARNING, "cjm.security"),
    ):
        response = browser.post(reverse("live:enter"), {"code": "ZZZZZZ"})
        assert response.status_code == 400
        assert "Zu diesem Code gibt es keinen Live-Workshop" in response.content.decode()
        assert browser.get(reverse("live:join", args=["ZZZZZY"])).status_code == 404
        assert browser.post(reverse("live:enter"), {"code": "0O1lIL"}).status_code == 400
        assert browser.get(reverse("live:join", args=[running.code])).status_code == 429  # even the right one
        assert browser.post(reverse("live:enter"), {"code": running.code}).status_code == 429
    assert sum("bad_join_code" in r.getMessage() for r in caplog.records) == 3
    assert any("rate_limited" in r.getMessage() and "join_codes" in r.getMessage() for r in caplog.records)
    assert not any(running.code in r.getMessage() for r in caplog.records if r.name == "cjm.security")
    assert not Participant.objects.exists()


def test_an_ended_session_cannot_be_joined(running):
    services.live_end(session=running, revision=running.revision)
    browser = Client()
    response = browser.get(reverse("live:join", args=[running.code]))
    assert response.status_code == 410 and "ist beendet" in response.content.decode()
    assert browser.post(reverse("live:join", args=[running.code]), {"name": "Anna"}).status_code == 410
    assert browser.post(reverse("live:enter"), {"code": running.code}).status_code == 400
    assert not Participant.objects.exists()


@pytest.mark.parametrize("name", ["", "   ", "x" * 61, "Nul\x00l"])
def test_a_missing_or_bad_name_is_refused_with_nothing_written(running, name):
    response = Client().post(reverse("live:join", args=[running.code]), {"name": name})
    assert response.status_code == 400
    assert not Participant.objects.exists() and not LiveMember.objects.exists()


def test_anonymous_joining_when_the_consultant_allows_it(running, consultant):
    assert act(consultant, running, "anonymous", allow="1").status_code == 302
    response = Client().post(reverse("live:join", args=[running.code]), {"name": ""})
    assert response.status_code == 302 and Participant.objects.get().name == ""


def test_an_invited_participant_joins_with_their_personal_link_browser_as_themselves(running):
    from workspace.services import participant_invite

    link = participant_invite(assessment=running.assessment, name="Paul")
    browser = Client()
    browser.get(reverse("respondent:resume", args=[link.token]))
    page = browser.get(reverse("live:join", args=[running.code])).content.decode()
    assert "Paul" in page and 'name="name"' not in page
    assert browser.post(reverse("live:join", args=[running.code]), {}).status_code == 302
    assert Participant.objects.count() == 1 and LiveMember.objects.get().participant == link.participant


# --- voting -------------------------------------------------------------------------------------------


def test_a_vote_with_javascript_answers_in_place_and_without_it_redirects(running, questions):
    anna = Phone(running)
    response = anna.vote(questions[0], B, htmx=True)
    assert response.status_code == 200 and "text-success" in response.content.decode()
    assert f'name="r{questions[0].pk}" value="1"' in response.content.decode()  # the new revision
    response = anna.vote(questions[0], A)
    assert response.status_code == 302 and response["Location"] == anna.url("participant")
    assert Answer.objects.get().option.level == A


@pytest.mark.parametrize(
    "data",
    [
        {},  # no answer at all
        {"q0": "dk"},  # no such question
        {"qx": "1"},  # no such field
        {"q{q0}": "{other}"},  # an option of another question
        {"q{q0}": "999999"},
        {"q{q0}": "²"},
    ],
)
def test_a_tampered_vote_is_refused_and_writes_nothing(running, questions, data):
    anna = Phone(running)
    fill = {"q0": questions[0].pk, "other": questions[1].options.first().pk}
    posted = {k.format(**fill): v.format(**fill) for k, v in data.items()}
    response = anna.browser.post(anna.url("vote"), posted)
    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_a_vote_on_a_closed_question_gets_the_current_state_with_the_reason(running, questions, consultant):
    anna = Phone(running)
    act(consultant, running, "reveal")
    response = anna.vote(questions[0], B, htmx=True)
    assert response.status_code == 409
    assert response["HX-Retarget"] == "#live-room"
    assert "Die Abstimmung zu dieser Frage ist geschlossen" in response.content.decode()
    response = anna.vote(questions[1], B)  # a question that is not open, without JavaScript
    assert response.status_code == 409 and "live-room" in response.content.decode()
    assert not Answer.objects.exists()


def test_nobody_sees_another_vote_and_results_stay_hidden_until_shown(running, questions, consultant):
    anna, bert = Phone(running, "Anna"), Phone(running, "Bert")
    anna.vote(questions[0], C)
    build = questions[0].options.get(level=C).pk
    pages = {
        "bert": bert.browser.get(bert.url("participant")).content.decode(),
        "presenter": consultant.get(reverse("live:presenter", args=[running.key])).content.decode(),
    }
    assert f'value="{build}"\n                           checked' not in pages["bert"]
    assert "checked" not in pages["bert"]
    for page in pages.values():
        assert "live-bars" not in page and "stage-bar" not in page and "stacked-bar" not in page
    act(consultant, running, "reveal")
    bert_page = bert.browser.get(bert.url("participant")).content.decode()
    assert "live-bars" in bert_page and "checked" not in bert_page  # the counts, still not Anna's choice


def test_the_presenter_never_shows_a_name_the_control_view_does(running, questions, consultant):
    for name, level in [("Zacharias", A), ("Yolanda", B)]:
        Phone(running, name).vote(questions[0], level)
    act(consultant, running, "reveal")
    for url in ["presenter", "presenter_state"]:
        page = consultant.get(reverse(f"live:{url}", args=[running.key])).content.decode()
        assert "Zacharias" not in page and "Yolanda" not in page
    control = consultant.get(reverse("live:control", args=[running.key])).content.decode()
    assert "Zacharias" in control and "Yolanda" in control


# --- polling ------------------------------------------------------------------------------------------


def test_polls_get_204_until_something_they_show_changes(running, questions, consultant):
    anna = Phone(running)
    for url, browser in [("presenter_state", consultant), ("control_state", consultant)]:
        first = state_of(browser, url, running)
        assert first.status_code == 200 and first["X-Live-State"] == "1"
        version = version_in(first.content.decode())
        assert state_of(browser, url, running, version).status_code == 204
    phone_version = version_in(state_of(anna.browser, "participant_state", running).content.decode())
    presenter_version = version_in(state_of(consultant, "presenter_state", running).content.decode())
    anna.vote(questions[0], A)  # the count on the wall moves; the phones have nothing new to show
    changed = state_of(consultant, "presenter_state", running, presenter_version)
    assert changed.status_code == 200 and 'data-answered="1"' in changed.content.decode()
    assert state_of(anna.browser, "participant_state", running, phone_version).status_code == 204
    act(consultant, running, "reveal")
    assert state_of(anna.browser, "participant_state", running, phone_version).status_code == 200


def test_a_phone_that_comes_back_sees_the_current_state(running, questions, consultant):
    anna = Phone(running)
    old = version_in(anna.browser.get(anna.url("participant")).content.decode())
    act(consultant, running, "open", question=questions[1].pk)
    act(consultant, running, "pause", paused="1")
    response = state_of(anna.browser, "participant_state", running, old)
    assert response.status_code == 200 and "Kurze Pause" in response.content.decode()
    act(consultant, running, "pause", paused="0")
    assert questions[1].text in anna.browser.get(anna.url("participant")).content.decode()


def test_a_poll_of_a_removed_person_is_a_404_without_the_state_header(running, consultant):
    from workspace.services import participant_revoke

    anna = Phone(running)
    participant_revoke(participant=anna.participant)
    response = state_of(anna.browser, "participant_state", running)
    assert response.status_code == 404 and "X-Live-State" not in response


def test_all_state_is_in_the_database_so_a_restart_loses_nothing(running, questions, consultant):
    anna = Phone(running)
    anna.vote(questions[0], B)
    act(consultant, running, "timer_start", seconds="120")
    before = anna.browser.get(anna.url("participant")).content.decode()
    clear_cache()  # everything a process keeps: the questionnaire and the QR codes
    views._qr.cache_clear()
    after_restart = Client()
    after_restart.cookies = anna.browser.cookies
    after = after_restart.get(anna.url("participant")).content.decode()
    strip = lambda html: re.sub(r'(csrfmiddlewaretoken" value="|data-seconds-left="|nonce=")[^"]+', "", html)  # noqa: E731
    assert strip(after) == strip(before)


# --- the consultant -----------------------------------------------------------------------------------


def test_a_second_tab_acting_on_an_old_state_is_refused_and_shown_the_current_one(running, consultant):
    old = running.revision
    assert act(consultant, running, "reveal").status_code == 302
    response = consultant.post(
        reverse("live:reopen", args=[running.key]), {"revision": old}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 409
    assert (
        "inzwischen geändert" in response.content.decode()
        and 'id="live-control"' in response.content.decode()
    )
    running.refresh_from_db()
    assert running.revealed and running.revision == old + 1


def test_control_actions_with_htmx_answer_with_the_fresh_control_view(running, consultant):
    running.refresh_from_db()
    response = consultant.post(
        reverse("live:timer_start", args=[running.key]),
        {"revision": running.revision, "seconds": "60"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and 'data-seconds-left="60"' in response.content.decode()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("timer_start", {"seconds": "5"}),
        ("timer_start", {"seconds": "x"}),
        ("timer_start", {"seconds": "99999999999"}),
        ("open", {"question": "0"}),
        ("open", {"field": "0"}),
        ("consensus", {"question": "0", "answer": "dk"}),
        ("reveal", {"revision": "abc"}),
    ],
)
def test_bad_control_input_is_a_4xx_and_writes_nothing(running, consultant, name, data):
    running.refresh_from_db()
    before = (running.revision, running.timer_ends_at, running.question_id, running.revealed)
    response = act(consultant, running, name, **data)
    assert 400 <= response.status_code < 500
    running.refresh_from_db()
    assert (running.revision, running.timer_ends_at, running.question_id, running.revealed) == before


def test_a_consensus_on_an_option_of_another_question_is_refused(running, questions, consultant):
    act(consultant, running, "reveal")
    other = questions[1].options.first().pk
    assert act(consultant, running, "consensus", question=questions[0].pk, answer=other).status_code == 400
    assert not ConsensusAnswer.objects.exists()
    assert act(consultant, running, "consensus", question=questions[0].pk, answer="dk").status_code == 302
    assert ConsensusAnswer.objects.get().option is None


def test_another_consultant_gets_a_404_for_everything(running, bob):
    other = Client()
    sign_in(other, bob)
    for name in ["control", "control_state", "presenter", "presenter_state"]:
        assert other.get(reverse(f"live:{name}", args=[running.key])).status_code == 404
    assert (
        other.post(reverse("live:reveal", args=[running.key]), {"revision": running.revision}).status_code
        == 404
    )
    assert not LiveSession.objects.get().revealed


def test_reading_any_live_page_writes_nothing(running, questions, consultant):
    anna = Phone(running)
    anna.vote(questions[0], A)

    def rows():
        return (
            list(
                LiveSession.objects.values_list(
                    "revision", "status", "revealed", "timer_ends_at", "question_id"
                )
            ),
            list(LiveMember.objects.values_list("pk", "participant_id")),
            list(Answer.objects.values_list("pk", "option_id", "revision")),
            Participant.objects.count(),
        )

    before = rows()
    for name in ["control", "control_state", "presenter", "presenter_state"]:
        assert consultant.get(reverse(f"live:{name}", args=[running.key])).status_code == 200
    for name in ["participant", "participant_state"]:
        assert anna.browser.get(anna.url(name)).status_code == 200
    assert Client().get(reverse("live:join", args=[running.code])).status_code == 200
    assert rows() == before


# --- languages, the start button, the end ------------------------------------------------------------


def test_the_wall_speaks_the_workshops_language_each_phone_its_own(running, consultant, questions):
    running.assessment.language = "en"
    running.assessment.save(update_fields=["language"])
    consultant.cookies.load({"django_language": "de"})
    wall = consultant.get(reverse("live:presenter", args=[running.key])).content.decode()
    assert (
        '<html lang="en">' in wall and questions[0].text_en in wall and "people in the room" in wall.lower()
    )
    german = Phone(running)
    german.browser.cookies.load({"django_language": "de"})
    page = german.browser.get(german.url("participant")).content.decode()
    assert '<html lang="de">' in page and questions[0].text_de in page
    english = Phone(running, "Eve")
    english.browser.cookies.load({"django_language": "en"})
    assert questions[0].text_en in english.browser.get(english.url("participant")).content.decode()


def test_the_workshop_page_starts_a_live_workshop_and_then_links_it(workshop, consultant, client, version):
    page = consultant.get(reverse("workspace:assessment", args=[workshop.key])).content.decode()
    assert reverse("live:start", args=[workshop.key]) in page
    response = consultant.post(reverse("live:start", args=[workshop.key]), {"allow_anonymous": "on"})
    session = LiveSession.objects.get()
    assert response["Location"] == reverse("live:control", args=[session.key]) and session.allow_anonymous
    page = consultant.get(reverse("workspace:assessment", args=[workshop.key])).content.decode()
    assert reverse("live:control", args=[session.key]) in page and session.code_display in page
    self_assessment = Respondent(client, version).participant.assessment
    self_assessment.owner = workshop.owner
    self_assessment.save(update_fields=["owner"])
    page = consultant.get(reverse("workspace:assessment", args=[self_assessment.key])).content.decode()
    assert "live-start" not in page
    assert consultant.post(reverse("live:start", args=[self_assessment.key])).status_code == 400


def test_the_group_result_is_for_the_room_only_after_the_end_and_only_if_shared(
    running, questions, consultant
):
    anna = Phone(running)
    anna.vote(questions[0], B)
    assert anna.browser.get(anna.url("result")).status_code == 404
    act(consultant, running, "end", share="0")
    assert anna.browser.get(anna.url("result")).status_code == 404
    for page in [
        anna.browser.get(anna.url("participant")),
        consultant.get(reverse("live:presenter", args=[running.key])),
        consultant.get(reverse("live:control", args=[running.key])),
    ]:
        assert "data-hx-trigger" not in page.content.decode()  # an ended session stops every screen's polling
    assert anna.url("result") not in anna.browser.get(anna.url("participant")).content.decode()
    LiveSession.objects.filter(pk=running.pk).update(result_shared=True)
    assert anna.url("result") in anna.browser.get(anna.url("participant")).content.decode()
    page = anna.browser.get(anna.url("result"))
    assert page.status_code == 200 and "Muster AG" in page.content.decode()
    assert Client().get(anna.url("result")).status_code == 404
