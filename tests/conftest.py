import pytest
from django.core.management import call_command


@pytest.fixture
def content(db):
    """The real questionnaire and measures catalogue from fixtures/, loaded and validated like `make run` does."""
    call_command("load_content", verbosity=0)


@pytest.fixture
def version(content):
    from standortbestimmung.versions import current_version

    return current_version()


@pytest.fixture(autouse=True)
def _fresh_content_cache():
    from django.core.cache import cache

    from roadmap.measures import clear_cache as clear_catalogue_cache
    from standortbestimmung.questionnaire import clear_cache

    clear_cache()
    clear_catalogue_cache()
    cache.clear()  # rendered question cards: pks are reused across tests with other content
    yield
    clear_cache()
    clear_catalogue_cache()
    cache.clear()


class Respondent:
    """A browser (test client) that started a self-assessment and holds its session."""

    def __init__(self, client, version):
        self.client = client
        self.version = version
        response = client.post(
            "/start/", {"organisation": "Muster AG", "respondent_name": "Eva", "language": "de"}
        )
        assert response.status_code == 200, response.content  # the page with the personal link, shown once
        from standortbestimmung.models import Participant

        self.participant = Participant.objects.order_by("-pk").first()
        self.key = self.participant.key
        self.token = response.content.decode().split("/r/")[1].split("/")[0]

    def url(self, name, *args):
        """The URL of one of the respondent's pages, e.g. url("step", "journeys")."""
        from django.urls import reverse

        return reverse(f"respondent:{name}", args=[self.key, *args])

    def question(self, code):
        from standortbestimmung.models import Question

        return Question.objects.get(field__version=self.version, code=code)

    def option(self, code, level):
        return self.question(code).options.get(level=level)

    def answer(self, code, level):
        """Autosaves one answer (level None = don't know)."""
        question = self.question(code)
        value = "dk" if level is None else str(question.options.get(level=level).pk)
        return self.client.post(
            self.url("answer"), {f"q{question.pk}": value}, headers={"HX-Request": "true"}
        )

    def answer_all(self, level_for):
        from standortbestimmung.models import Question

        for question in Question.objects.filter(field__version=self.version):
            level = level_for(question.code)
            response = self.answer(question.code, level)
            assert response.status_code == 200, response.content


@pytest.fixture
def respondent(client, version):
    return Respondent(client, version)


def sign_in(browser, user):
    """Signs the consultant in as after both factors: the password (force_login) and a code from their
    authenticator app (a confirmed TOTP device, recorded in the session as django-otp does)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    browser.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator-App", confirmed=True)
    session = browser.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return browser


@pytest.fixture
def alice(django_user_model):
    """A consultant who owns the assessments of the tests."""
    return django_user_model.objects.create_user("alice", "alice@example.org", "alice-secret-password")


@pytest.fixture
def bob(django_user_model):
    """Another consultant, who owns nothing of alice's."""
    return django_user_model.objects.create_user("bob", "bob@example.org", "bob-secret-password")


@pytest.fixture
def owned(client, version, alice):
    """A finished self-assessment (Adopt in every field) that alice owns."""
    respondent = Respondent(client, version)
    respondent.answer_all(lambda code: 2)
    respondent.client.post(respondent.url("summary"))
    assessment = respondent.participant.assessment
    assessment.owner = alice
    assessment.save(update_fields=["owner"])
    return respondent


@pytest.fixture(scope="session", autouse=True)
def _close_connection_pools(django_db_setup, django_db_blocker):
    """Django's PostgreSQL pool keeps connections open; close it before the test database is dropped."""
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all():
            if getattr(connection, "pool", None) is not None:
                connection.close_pool()
