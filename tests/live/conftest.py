import pytest
from django.test import Client
from django.urls import reverse

from live import services
from standortbestimmung.models import Client as ClientModel
from standortbestimmung.models import Question
from tests.conftest import sign_in
from workspace import services as workspace_services


@pytest.fixture
def workshop(alice, version):
    client = ClientModel.objects.create(owner=alice, name="Muster AG")
    return workspace_services.workshop_start(client=client, version=version, language="de")


@pytest.fixture
def questions(version):
    """The questionnaire's questions in their order, options prefetched."""
    return list(
        Question.objects.filter(field__version=version)
        .order_by("field__position", "position")
        .prefetch_related("options")
    )


@pytest.fixture
def live(workshop):
    return services.live_start(assessment=workshop)


@pytest.fixture
def consultant(alice):
    browser = Client()
    sign_in(browser, alice)
    return browser


class Phone:
    """A browser in the room that joined the live session by its code."""

    def __init__(self, session, name="Anna"):
        self.session = session
        self.browser = Client()
        response = self.browser.post(reverse("live:join", args=[session.code]), {"name": name})
        assert response.status_code == 302, response.content
        from live.models import LiveMember

        self.participant = LiveMember.objects.filter(session=session).latest("pk").participant

    def url(self, name):
        return reverse(f"live:{name}", args=[self.session.key])

    def vote(self, question, level, htmx=False):
        value = "dk" if level is None else str(question.options.get(level=level).pk)
        headers = {"HX-Request": "true"} if htmx else {}
        return self.browser.post(self.url("vote"), {f"q{question.pk}": value}, headers=headers)


def act(browser, session, name, **data):
    """A consultant action with the revision the session has now (unless one is given)."""
    session.refresh_from_db()
    data.setdefault("revision", session.revision)
    return browser.post(reverse(f"live:{name}", args=[session.key]), data)
