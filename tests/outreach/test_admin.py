"""Failed background tasks are visible to staff in the admin."""

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django_tasks_db.models import DBTaskResult

from cjm_assess.background import RETRY_DELAYS
from outreach.models import Mail
from outreach.tasks import mail_send
from standortbestimmung.models import Client as ClientModel
from tests.conftest import sign_in
from tests.outreach.conftest import DATABASE_QUEUE, free_port, smtp_mailer
from workspace import services


@override_settings(TASKS=DATABASE_QUEUE)
@pytest.mark.django_db(transaction=True)
def test_a_mail_that_failed_its_last_attempt_is_listed_as_failed_task_for_staff(
    alice, version, django_user_model
):
    client = ClientModel.objects.create(owner=alice, name="Muster AG")
    workshop = services.workshop_start(client=client, version=version)
    services.participant_invite(assessment=workshop, name="Anna", email="anna@example.org", by_mail=True)
    queued = Mail.objects.get()
    DBTaskResult.objects.all().delete()
    mail_send.enqueue(mail_id=queued.pk, attempt=len(RETRY_DELAYS) + 1)  # the last attempt
    with override_settings(MAILERS=smtp_mailer(free_port())):
        call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)
    queued.refresh_from_db()
    assert queued.status == Mail.Status.FAILED
    task = DBTaskResult.objects.get()
    assert task.status == "FAILED" and "ConnectionRefusedError" in task.traceback
    staff = django_user_model.objects.create_user(
        "sam", "sam@example.org", "sam-secret-password", is_staff=True
    )
    browser = Client()
    sign_in(browser, staff)  # staff, not a superuser, with no extra permission
    listing = browser.get("/admin/django_tasks_database/dbtaskresult/?status__exact=FAILED")
    assert listing.status_code == 200
    assert "mail_send" in listing.content.decode() and str(task.pk) in listing.content.decode()
    detail = browser.get(f"/admin/django_tasks_database/dbtaskresult/{task.pk}/change/")
    assert detail.status_code == 200 and "ConnectionRefusedError" in detail.content.decode()
    assert browser.get("/admin/").status_code == 200
    consultant = Client()
    sign_in(consultant, alice)  # no staff member: no admin
    assert consultant.get("/admin/django_tasks_database/dbtaskresult/").status_code == 302
