import socket

import pytest
from django.test import Client, override_settings

from respondent import services as respondent_services
from standortbestimmung.models import Answer, Question
from tests.conftest import Respondent, sign_in

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def finish(respondent: Respondent, level: int = 2) -> Respondent:
    """Answers every question of the respondent's questionnaire at one level and finishes (fast: no requests)."""
    from standortbestimmung.questionnaire import questionnaire_of

    questionnaire = questionnaire_of(respondent.participant.assessment)
    Answer.objects.bulk_create(
        Answer(participant=respondent.participant, question=q, option=q.options.get(level=level))
        for q in Question.objects.filter(pk__in=questionnaire.questions)
    )
    respondent_services.participant_finish(participant=respondent.participant)
    respondent.participant.refresh_from_db()
    return respondent


@pytest.fixture
def asker(client, version):
    """A finished anonymous self-assessment (Adopt everywhere) in the test client's browser."""
    return finish(Respondent(client, version))


@pytest.fixture
def lena(django_user_model):
    """The consultant who receives contact requests (LEAD_RECIPIENTS)."""
    user = django_user_model.objects.create_user("lena", "lena@beratung.example", "lena-secret-password")
    with override_settings(LEAD_RECIPIENTS=["lena"]):
        yield user


@pytest.fixture
def lena_browser(lena):
    browser = Client()
    sign_in(browser, lena)
    return browser


def free_port() -> int:
    """A port nobody listens on right now (aiosmtpd cannot be given port 0)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def smtp_mailer(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }


@pytest.fixture
def broken_mailer():
    """Sending fails: the SMTP port refuses connections."""
    with override_settings(MAILERS=smtp_mailer(free_port())):
        yield
