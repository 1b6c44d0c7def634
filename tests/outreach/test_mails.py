"""Mails that are really sent: invitations, reminders, "all finished", retries, and what a mail never carries."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cjm_assess.background import RETRY_DELAYS
from outreach.models import Mail
from respondent import services as respondent_services
from standortbestimmung import access
from standortbestimmung.models import Client as ClientModel
from standortbestimmung.models import Participant
from tests.conftest import sign_in
from tests.outreach.conftest import DATABASE_QUEUE, free_port, smtp_mailer
from workspace import services

pytestmark = pytest.mark.django_db
LINK = re.compile(r"https?://[^\s\"<]+/r/([A-Za-z0-9_-]{32})/")


@pytest.fixture
def consultant(alice):
    browser = Client()
    sign_in(browser, alice)
    return browser


@pytest.fixture
def workshop(alice, version):
    client = ClientModel.objects.create(owner=alice, name="Muster AG")
    return services.workshop_start(client=client, version=version, language="de")


def invite(consultant, workshop, name="Paula", email="paula@example.org", language="en"):
    return consultant.post(
        reverse("workspace:invite", args=[workshop.key]), {"name": name, "email": email, "language": language}
    )


def link_in(message) -> str:
    """The personal link's secret in a mail; the same in its plain text and its HTML."""
    text = LINK.search(message.body).group(1)
    html = LINK.search(message.alternatives[0].content).group(1)
    assert text == html
    return text


def test_an_invitation_by_mail_carries_a_working_personal_link_in_the_participants_language(
    consultant, workshop
):
    response = invite(consultant, workshop)
    assert response.status_code == 302
    page = consultant.get(response["Location"])
    assert "/r/" not in page.content.decode()  # the link is in the mail only, never shown
    assert "Einladung gesendet" in page.content.decode()
    [message] = mail.outbox
    assert message.to == ["paula@example.org"]
    assert message.subject.startswith("Invitation to the CJM maturity assessment")  # English, as chosen
    assert "Hello Paula," in message.body and "Muster AG" in message.body
    token = link_in(message)
    participant = Participant.objects.get(name="Paula")
    assert participant.token_hash == access.token_hash(token) and participant.language == "en"
    assert Mail.objects.get().status == Mail.Status.SENT
    browser = Client()
    opened = browser.get(reverse("respondent:resume", args=[token]), follow=True)
    assert opened.status_code == 200 and opened.redirect_chain[-1][0].endswith("/feld/journeys/")


@override_settings(PUBLIC_BASE_URL="https://cjm.example.org")
def test_links_in_mails_use_the_public_address_not_the_requests_host(alice, workshop):
    browser = Client(HTTP_HOST="localhost")
    sign_in(browser, alice)
    invite(browser, workshop)
    assert LINK.search(mail.outbox[0].body).group(0).startswith("https://cjm.example.org/r/")


@override_settings(TASKS=DATABASE_QUEUE)
@pytest.mark.django_db(transaction=True)  # the worker commits, and on PostgreSQL closes the test's connection
def test_the_request_only_queues_the_mail_and_the_worker_sends_it(consultant, workshop):
    invite(consultant, workshop)
    assert mail.outbox == []
    queued = Mail.objects.get()
    assert queued.status == Mail.Status.QUEUED
    task = DBTaskResult.objects.get()
    assert task.args_kwargs == {"args": [], "kwargs": {"mail_id": queued.pk}}  # an id, never a secret
    before = Participant.objects.get(name="Paula").token_hash
    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)
    [message] = mail.outbox
    queued.refresh_from_db()
    assert queued.status == Mail.Status.SENT and queued.attempts == 1
    after = Participant.objects.get(name="Paula").token_hash
    assert after != before and after == access.token_hash(link_in(message))  # made in the worker's run


def test_a_failing_mail_server_loses_nothing_and_the_page_offers_a_retry(consultant, workshop, broken_mailer):
    response = invite(consultant, workshop)
    assert response.status_code == 302  # the invitation is saved whatever the mail server does
    participant = Participant.objects.get(name="Paula")
    failed = Mail.objects.get()
    assert failed.status == Mail.Status.FAILED and failed.attempts == len(RETRY_DELAYS) + 1
    assert "ConnectionRefusedError" in failed.error
    hash_before = participant.token_hash
    page = consultant.get(reverse("workspace:assessment", args=[workshop.key])).content.decode()
    assert reverse("workspace:mail_retry", args=[failed.pk]) in page
    assert "Einladung: Senden fehlgeschlagen" in page
    participant.refresh_from_db()
    assert participant.token_hash == hash_before  # no attempt that failed replaced the link


def test_retry_sends_a_failed_mail_with_a_fresh_link(consultant, workshop):
    with override_settings(MAILERS=smtp_mailer(free_port())):
        invite(consultant, workshop)
    failed = Mail.objects.get()
    assert failed.status == Mail.Status.FAILED and mail.outbox == []
    response = consultant.post(reverse("workspace:mail_retry", args=[failed.pk]))
    assert response.status_code == 302 and response["Location"] == reverse(
        "workspace:assessment", args=[workshop.key]
    )
    failed.refresh_from_db()
    assert failed.status == Mail.Status.SENT and failed.error == ""
    token = link_in(mail.outbox[0])
    assert Participant.objects.get(name="Paula").token_hash == access.token_hash(token)
    again = consultant.post(reverse("workspace:mail_retry", args=[failed.pk]))
    assert again.status_code == 400  # it was sent: nothing to retry
    assert len(mail.outbox) == 1


def test_invitations_without_an_address_show_the_link_once_as_before(consultant, workshop):
    response = invite(consultant, workshop, email="")
    assert response.status_code == 200 and "/r/" in response.content.decode()
    assert mail.outbox == [] and not Mail.objects.exists()


def test_a_reminder_brings_a_new_link_and_the_old_one_stops_working(consultant, workshop):
    invite(consultant, workshop)
    first = link_in(mail.outbox[0])
    participant = Participant.objects.get(name="Paula")
    response = consultant.post(reverse("workspace:participant_remind", args=[workshop.key, participant.pk]))
    assert response.status_code == 302
    reminder = mail.outbox[1]
    assert reminder.subject.startswith("Reminder: CJM maturity assessment")
    second = link_in(reminder)
    assert first != second
    assert Client().get(reverse("respondent:resume", args=[first])).status_code == 404
    assert Client().get(reverse("respondent:resume", args=[second])).status_code == 302


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"email": ""}, "keine E-Mail-Adresse"),
        ({"finished_at": timezone.now()}, "ist bereits fertig"),
        ({"revoked_at": timezone.now()}, "wurde widerrufen"),
    ],
)
def test_a_reminder_is_refused_with_the_reason(consultant, workshop, change, message):
    invite(consultant, workshop)
    participant = Participant.objects.get(name="Paula")
    Participant.objects.filter(pk=participant.pk).update(**change)
    response = consultant.post(reverse("workspace:participant_remind", args=[workshop.key, participant.pk]))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Mail.objects.count() == 1


def test_remind_all_reaches_only_those_with_an_address_who_have_not_finished(consultant, workshop):
    for name, email in [("Anna", "anna@example.org"), ("Bert", "bert@example.org"), ("Cleo", "")]:
        services.participant_invite(assessment=workshop, name=name, email=email, by_mail=bool(email))
    Participant.objects.filter(name="Bert").update(finished_at=timezone.now())
    mail.outbox.clear()
    assert consultant.post(reverse("workspace:assessment_remind", args=[workshop.key])).status_code == 302
    assert [m.to for m in mail.outbox] == [["anna@example.org"]]


@override_settings(REMINDER_AFTER_DAYS=3, REMINDERS_MAX=1)
def test_automatic_reminders_go_out_after_the_pause_and_stop_at_the_maximum(workshop):
    services.participant_invite(assessment=workshop, name="Anna", email="anna@example.org", by_mail=True)
    call_command("send_reminders", verbosity=0)
    assert len(mail.outbox) == 1  # just invited: nothing due
    Mail.objects.update(sent_at=timezone.now() - timedelta(days=4))
    call_command("send_reminders", verbosity=0)
    assert len(mail.outbox) == 2 and mail.outbox[1].subject.startswith("Erinnerung")
    Mail.objects.update(sent_at=timezone.now() - timedelta(days=40))
    call_command("send_reminders", verbosity=0)
    assert len(mail.outbox) == 2  # REMINDERS_MAX reached


def test_automatic_reminders_are_off_by_default(workshop):
    services.participant_invite(assessment=workshop, name="Anna", email="anna@example.org", by_mail=True)
    Mail.objects.update(sent_at=timezone.now() - timedelta(days=400))
    call_command("send_reminders", verbosity=0)
    assert len(mail.outbox) == 1


def test_the_consultant_hears_once_when_everyone_has_finished(workshop, alice):
    links = [services.participant_invite(assessment=workshop, name=n) for n in ["Anna", "Bert"]]
    respondent_services.participant_finish(participant=links[0].participant)
    assert mail.outbox == []
    respondent_services.participant_finish(participant=links[1].participant)
    [message] = mail.outbox
    assert message.to == ["alice@example.org"]
    assert "Alle 2 Teilnehmenden der Standortbestimmung für Muster AG sind fertig." in message.body
    assert reverse("workspace:assessment", args=[workshop.key]) in message.body
    respondent_services.participant_reopen(participant=links[1].participant)
    respondent_services.participant_finish(participant=links[1].participant)
    assert len(mail.outbox) == 1  # finishing again is no news
    late = services.participant_invite(assessment=workshop, name="Cleo")
    respondent_services.participant_finish(participant=late.participant)
    assert len(mail.outbox) == 2  # a newly invited person finished too


def test_a_mail_for_a_revoked_participant_is_not_sent(workshop):
    with override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}):
        services.participant_invite(assessment=workshop, name="Anna", email="anna@example.org", by_mail=True)
    participant = Participant.objects.get(name="Anna")
    services.participant_revoke(participant=participant)
    from outreach.tasks import mail_send

    mail_send.call(mail_id=Mail.objects.get().pk)
    assert mail.outbox == [] and Mail.objects.get().status == Mail.Status.CANCELLED
