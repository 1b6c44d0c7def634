"""Security and data safety: links, rate limits, security log, sessions, stale writes, headers, fuzzing."""

import logging
import re
import time
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cjm_assess.logging import KeyValueFormatter
from roadmap.models import Report, Roadmap, RoadmapItem
from standortbestimmung import access
from standortbestimmung.models import Answer, Assessment, ConsensusAnswer, Participant
from tests.conftest import Respondent, sign_in
from tests.test_permissions import _owner_receives_leads, rules, world  # noqa: F401 - fixtures used below

pytestmark = pytest.mark.django_db


def state():
    """Everything a request could change (cached reports and rate counters excepted)."""
    return (
        list(
            Assessment.objects.order_by("pk").values_list(
                "pk", "status", "organisation", "client_id", "owner_id"
            )
        ),
        list(Participant.objects.order_by("pk").values_list("pk", "token_hash", "revoked_at", "finished_at")),
        list(Answer.objects.order_by("pk").values_list("pk", "option_id", "revision")),
        list(Roadmap.objects.order_by("pk").values_list("pk", "revision", "targets")),
        list(
            RoadmapItem.objects.order_by("pk").values_list("pk", "year", "quarter", "status", "owner", "note")
        ),
        list(ConsensusAnswer.objects.order_by("pk").values_list("pk", "option_id")),
    )


# --- personal links ---------------------------------------------------------------------------------


def test_link_secrets_are_random_192_bits_and_stored_hashed():
    tokens = [access.token_new() for _ in range(200)]
    assert len({t for t, _h in tokens}) == 200
    for token, digest in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]{32}", token)  # 32 base64url characters = 192 bits
        assert digest == access.token_hash(token) != token and len(digest) == 64


def test_an_expired_link_gives_the_same_404_as_an_unknown_one(version):
    respondent = Respondent(Client(), version)
    Participant.objects.filter(pk=respondent.participant.pk).update(
        token_created_at=timezone.now() - timedelta(days=366)
    )
    expired = Client().get(reverse("respondent:resume", args=[respondent.token]))
    unknown = Client().get(reverse("respondent:resume", args=["B" * 32]))
    malformed = Client().get(reverse("respondent:resume", args=["not-a-token"]))
    assert expired.status_code == unknown.status_code == malformed.status_code == 404
    titles = {
        re.search(r"<title>(.*?)</title>", r.content.decode()).group(1) for r in (expired, unknown, malformed)
    }
    assert len(titles) == 1


@override_settings(BAD_LINKS_PER_IP_PER_HOUR=5)
def test_guessing_links_from_one_address_is_stopped_with_429(version, caplog):
    caplog.set_level(logging.INFO)
    respondent = Respondent(Client(), version)
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for i in range(5):
        assert guesser.get(reverse("respondent:resume", args=[f"{i:0>32}"])).status_code == 404
    assert guesser.get(reverse("respondent:resume", args=["Z" * 32]), follow=True).status_code == 429
    refused = guesser.get(reverse("respondent:resume", args=[respondent.token]), follow=True)
    assert refused.status_code == 429  # even a valid one now, on a page whose address has no secret
    assert refused.redirect_chain == [(reverse("respondent:links_paused"), 302)]
    opened = Client(REMOTE_ADDR="198.51.100.7").get(reverse("respondent:resume", args=[respondent.token]))
    assert opened["Location"] == reverse("respondent:continue", args=[respondent.key])
    lines = [KeyValueFormatter().format(r) for r in caplog.records]
    assert any("security bad_link" in line and "203.0.113.9" in line for line in lines)
    assert any("security rate_limited" in line for line in lines)
    assert not any(respondent.token in line for line in lines)


def test_failed_logins_and_foreign_objects_are_logged_without_secrets(world, caplog):  # noqa: F811
    caplog.set_level(logging.INFO)
    Client().post(reverse("login"), {"username": "alice", "password": "Geheim-123!"})
    world["browsers"]["other_consultant"].get(reverse("workspace:assessment", args=[world["workshop"]]))
    lines = [KeyValueFormatter().format(r) for r in caplog.records if r.name == "cjm.security"]
    assert any("security login_failed" in line for line in lines)
    assert any("security foreign_object" in line and "kind=assessment" in line for line in lines)
    assert not any("Geheim-123!" in line or "alice" in line for line in lines)


# --- sessions -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "age"), [("last_seen", 31 * 60), ("auth_started", 13 * 3600)])
def test_consultant_sessions_end_when_idle_or_too_old(alice, key, age):
    browser = Client()
    sign_in(browser, alice)
    assert browser.get(reverse("workspace:dashboard")).status_code == 200
    session = browser.session
    session[key] = int(time.time()) - age
    session.save()
    response = browser.get(reverse("workspace:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith("/konto/anmelden/")
    assert browser.get(reverse("workspace:dashboard")).status_code == 302  # logged out on the server


def test_activity_keeps_a_session_alive_with_one_write_a_minute_at_most(alice):
    browser = Client()
    sign_in(browser, alice)
    assert browser.get(reverse("workspace:dashboard")).status_code == 200
    assert abs(browser.session["last_seen"] - time.time()) < 5  # set on the first request
    for age, refreshed in [(29 * 60, True), (10, False)]:
        session = browser.session
        session["last_seen"] = int(time.time()) - age
        session.save()
        assert browser.get(reverse("workspace:dashboard")).status_code == 200
        assert (abs(browser.session["last_seen"] - time.time()) < 5) == refreshed


def test_logging_in_gives_a_new_session(alice):
    browser = Client()
    browser.get(reverse("login"))
    before = browser.cookies.get("sessionid")
    browser.post(reverse("login"), {"username": "alice", "password": "alice-secret-password"})
    assert browser.cookies["sessionid"].value != (before.value if before else None)


# --- stale writes ---------------------------------------------------------------------------------------


def test_a_stale_autosave_gets_a_conflict_and_the_newer_answer_stays(respondent):
    question = respondent.question("journeys.1")
    url = respondent.url("answer")
    # two tabs show the question unanswered (revision 0); tab B saves first
    tab_b = respondent.client.post(
        url,
        {f"q{question.pk}": respondent.option("journeys.1", 2).pk, f"r{question.pk}": 0},
        headers={"HX-Request": "true"},
    )
    assert tab_b.status_code == 200
    tab_a = respondent.client.post(
        url,
        {f"q{question.pk}": respondent.option("journeys.1", 4).pk, f"r{question.pk}": 0},
        headers={"HX-Request": "true"},
    )
    assert tab_a.status_code == 409
    assert "in einem anderen Tab" in tab_a.content.decode()
    # the answer that is saved and its revision, so the page ticks that one instead of the refused one
    assert f'data-current="{respondent.option("journeys.1", 2).pk}"' in tab_a.content.decode()
    assert f'name="r{question.pk}" value="1" data-hx-swap-oob="true"' in tab_a.content.decode()
    assert Answer.objects.get().option.level == 2
    # the same answer again (a double click in tab A's old state) is fine
    same = respondent.client.post(
        url,
        {f"q{question.pk}": respondent.option("journeys.1", 2).pk, f"r{question.pk}": 0},
        headers={"HX-Request": "true"},
    )
    assert same.status_code == 200


def test_a_stale_step_post_leads_back_to_the_step_keeps_the_newer_answer_and_saves_the_rest(respondent):
    first, second = respondent.question("journeys.1"), respondent.question("journeys.2")
    respondent.answer("journeys.1", 3)  # another tab changed it after this page was loaded (revision 0)
    response = respondent.client.post(
        respondent.url("step", "journeys"),
        {
            f"q{first.pk}": respondent.option("journeys.1", 1).pk,
            f"r{first.pk}": 0,
            f"q{second.pk}": respondent.option("journeys.2", 2).pk,
            f"r{second.pk}": 0,
            "action": "next",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == respondent.url("step", "journeys") + "#question-journeys.1"
    assert Answer.objects.get(question=first).option.level == 3  # the newer answer stays
    assert Answer.objects.get(question=second).option.level == 2  # the rest is saved
    page = respondent.client.get(response["Location"]).content.decode()
    assert "Frage 1 wurde inzwischen in einem anderen Tab oder Fenster geändert" in page
    assert "Ihre übrigen Antworten sind gespeichert" in page


# --- headers and GETs ------------------------------------------------------------------------------------


def html_pages(w):
    pages = [
        ("anonymous", reverse(n))
        for n in [
            "home",
            "methodology",
            "respondent:start",
            "impressum",
            "datenschutz",
            "login",
            "password_reset",
        ]
    ]
    for name, (method, args, allowed) in rules(w).items():
        if (
            method == "GET"
            and allowed
            and not name.endswith(
                (":report", "_report", ":export_json", ":export_csv", ":my_data", ":client_data")
            )
        ):
            pages.append((sorted(allowed)[0], reverse(name, args=args)))
    return pages


def test_every_html_page_sends_the_security_headers(world):  # noqa: F811
    for role, url in html_pages(world):
        response = world["browsers"][role].get(url, secure=True, follow=False)
        if response.status_code in (301, 302):
            continue
        assert response.status_code == 200, url
        csp = response["Content-Security-Policy"]
        for directive in [
            "default-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ]:
            assert directive in csp, (url, directive)
        assert "unsafe-inline" not in csp and "http" not in csp, url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["X-Frame-Options"] == "DENY", url
        assert response["Referrer-Policy"] in {"same-origin", "no-referrer"}, url
        assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload", url


def test_no_get_changes_state(world):  # noqa: F811
    before = state()
    for role, url in html_pages(world):
        world["browsers"][role].get(url)
    for name in ["workspace:export_json", "workspace:export_csv", "workspace:report"]:
        world["browsers"]["owner"].get(reverse(name, args=[world["self_assessment"]]))
    assert state() == before
    assert Report.objects.count() == 1  # only the cache of the report


# --- fuzzing every POST endpoint -----------------------------------------------------------------------

keys = st.one_of(
    st.from_regex(r"q[0-9]{1,12}", fullmatch=True),
    st.from_regex(r"r[0-9]{1,4}", fullmatch=True),
    st.sampled_from(
        [
            "revision",
            "question",
            "answer",
            "name",
            "email",
            "link",
            "title",
            "field",
            "when",
            "status",
            "owner",
            "note",
            "start",
            "horizon",
            "capacity",
            "confirm",
            "target_tools",
            "description",
            "language",
            "organisation",
            "item1-when",
            "action",
        ]
    ),
    st.text(max_size=20),
)
values = st.one_of(
    st.text(max_size=300),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(
        ["dk", "clear", "later", "2027-1", "2099-9", "²", "٣", "0", "-1", "\x00", "ä" * 5000, "on"]
    ),
)
payloads = st.dictionaries(keys, st.one_of(values, st.lists(values, max_size=3)), max_size=6)


@settings(max_examples=1100, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_malformed_posts_never_give_a_500_and_rejected_ones_change_nothing(world, data):  # noqa: F811
    posts = [
        (name, args, sorted(allowed)[0])
        for name, (method, args, allowed) in rules(world).items()
        if method == "POST" and allowed
    ]
    name, args, role = data.draw(st.sampled_from(posts))
    payload = data.draw(payloads)
    payload.pop("confirm", None)  # a confirmed delete is valid input, tested elsewhere
    before = state()
    response = world["browsers"][role].post(reverse(name, args=args), payload)
    assert response.status_code < 500, (name, payload)
    if response.status_code >= 400:
        assert state() == before, (name, payload)
