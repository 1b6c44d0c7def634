"""The password reset answers alike, in the same time, whether or not an address has an account (the mail is
composed and sent in the background), and it is limited per network and per address asked for."""

import re
import socket
import statistics
import time
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
HIGH_LIMITS = {"PASSWORD_RESETS_PER_IP_PER_HOUR": 1000, "PASSWORD_RESETS_PER_ACCOUNT_PER_HOUR": 1000}


def ask(browser: Client, email: str):
    return browser.post(reverse("password_reset"), {"email": email})


def run_worker():
    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)


def statements(captured) -> list[str]:
    """The SQL of each query, without the values (which differ with the address asked for) and the names of
    savepoints (which differ with every transaction)."""
    return [re.sub(r"'[^']*'|\b\d+\b|\"s\d+_x\d+\"", "?", q["sql"]) for q in captured.captured_queries]


@pytest.mark.django_db(transaction=True)  # the worker commits
@override_settings(TASKS=DATABASE_QUEUE, **HIGH_LIMITS)
def test_the_answer_does_the_same_work_for_an_account_and_for_nobody(alice):
    browser = Client()
    ask(browser, "warm-up@example.org")  # the first request of an address creates its counter
    answers = {}
    for email in ["alice@example.org", "nobody@example.org"]:
        with CaptureQueriesContext(connection) as captured:
            response = ask(browser, email)
        answers[email] = (response.status_code, response["Location"], statements(captured))
    assert answers["alice@example.org"] == answers["nobody@example.org"]
    assert answers["alice@example.org"][:2] == (302, reverse("password_reset_done"))
    assert not any(
        "auth_user" in sql for sql in answers["nobody@example.org"][2]
    )  # no look-up in the request
    assert mail.outbox == []  # nothing is composed or sent while the person waits
    run_worker()
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_QUEUE, **HIGH_LIMITS)
def test_the_answer_takes_about_the_same_time_for_an_account_and_for_nobody(alice):
    browser = Client()
    ask(browser, "warm-up@example.org")
    took = {"alice@example.org": [], "nobody@example.org": []}
    for _ in range(9):
        for email in took:  # interleaved, so the machine's load hits both alike
            start = time.perf_counter()
            ask(browser, email)
            took[email].append(time.perf_counter() - start)
    known, unknown = (statistics.median(t) for t in took.values())
    # Before, an account's answer took five times as long (the mail was sent in the request).
    assert max(known, unknown) / min(known, unknown) < 3, took


@pytest.mark.django_db
def test_the_mail_links_to_the_public_address_and_sets_a_new_password(alice, settings):
    settings.PUBLIC_BASE_URL = "https://cjm.example.org"
    response = Client().post(
        reverse("password_reset"), {"email": "ALICE@example.org"}, headers={"Host": "localhost"}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = next(line for line in body.splitlines() if "/konto/passwort/" in line)
    assert link.startswith("https://cjm.example.org/konto/passwort/") and "localhost" not in body
    browser = Client()
    form = browser.get(urlsplit(link).path, follow=True)
    assert form.status_code == 200
    done = browser.post(
        form.redirect_chain[-1][0],
        {"new_password1": "ein-neues-Passwort-42", "new_password2": "ein-neues-Passwort-42"},
    )
    assert done.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("ein-neues-Passwort-42")


@pytest.mark.django_db
@override_settings(PASSWORD_RESETS_PER_IP_PER_HOUR=3)
def test_requests_from_one_network_are_limited(alice, caplog):
    browser = Client(REMOTE_ADDR="203.0.113.5")
    for i in range(3):
        assert ask(browser, f"person{i}@example.org").status_code == 302
    refused = ask(browser, "alice@example.org")
    assert refused.status_code == 429 and "neues Passwort" in refused.content.decode()
    assert mail.outbox == []
    assert ask(Client(REMOTE_ADDR="198.51.100.8"), "alice@example.org").status_code == 302
    assert len(mail.outbox) == 1
    assert any(
        "rate_limited" in r.getMessage() and "password_resets" in r.getMessage() for r in caplog.records
    )


@pytest.mark.django_db
@override_settings(PASSWORD_RESETS_PER_ACCOUNT_PER_HOUR=2)
def test_a_mailbox_gets_at_most_a_few_mails_and_the_answer_does_not_tell(alice):
    answers = [ask(Client(REMOTE_ADDR=f"203.0.113.{i}"), "alice@example.org") for i in range(4)]
    assert {(a.status_code, a["Location"]) for a in answers} == {(302, reverse("password_reset_done"))}
    assert len(mail.outbox) == 2
    # the same for an address without an account: the limit does not reveal which addresses exist
    nobody = [ask(Client(REMOTE_ADDR=f"198.51.100.{i}"), "nobody@example.org") for i in range(4)]
    assert {(a.status_code, a["Location"]) for a in nobody} == {(302, reverse("password_reset_done"))}


@pytest.mark.django_db
def test_an_unreachable_mail_server_changes_nothing_for_the_person_asking(alice, settings):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }
    response = ask(Client(), "alice@example.org")  # the immediate test backend runs every attempt at once
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
