"""Every URL × every role: foreign objects give 404 and change nothing; a URL without a rule here fails."""

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from roadmap.models import Roadmap, RoadmapItem
from roadmap.services import roadmap_get_or_create
from standortbestimmung import services
from standortbestimmung.models import Answer, Assessment, ConsensusAnswer, Participant
from standortbestimmung.models import Client as ClientModel
from tests.conftest import Respondent

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "participant", "other_participant", "owner", "other_consultant", "staff"]
CONSULTANTS = {"owner", "staff"}
WITHOUT_ACCOUNT = {"anonymous", "participant", "other_participant"}  # consultant pages send them to the login
PUBLIC = {
    "home",
    "methodology",
    "start",
    "impressum",
    "datenschutz",
    "healthz",
    "set_language",
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


@pytest.fixture
def world(version, alice, bob, django_user_model):
    """alice owns a client with a workshop (one invited participant) and a self-assessment she took over."""
    staff = django_user_model.objects.create_user(
        "staff", "s@example.org", "staff-password-123", is_staff=True
    )
    client = ClientModel.objects.create(owner=alice, name="Muster AG")
    self_assessor = Respondent(Client(), version)
    self_assessor.answer_all(lambda code: 2)
    services.assessment_claim(client=client, token=self_assessor.token)
    workshop = services.workshop_start(client=client, version=version)
    roadmap_get_or_create(assessment=workshop)  # as the view that starts a workshop does
    invited, token = services.participant_invite(assessment=workshop, name="Paul")
    invited_browser = Client()
    invited_browser.get(reverse("resume", args=[token]))
    stranger = Respondent(Client(), version)  # a participant of another, unrelated assessment
    roadmap = roadmap_get_or_create(assessment=self_assessor.participant.assessment)
    roadmap.items.filter(pk=roadmap.items.first().pk).update(pinned=True)  # survives the re-planning below
    browsers = {
        "anonymous": Client(),
        "participant": self_assessor.client,
        "other_participant": stranger.client,
    }
    for name, user in [("owner", alice), ("other_consultant", bob), ("staff", staff)]:
        browsers[name] = Client()
        browsers[name].force_login(user)
    return {
        "browsers": browsers,
        "client": client,
        "self_key": self_assessor.key,
        "self_assessment": self_assessor.participant.assessment.key,
        "workshop": workshop.key,
        "invited": invited,
        "invited_browser": invited_browser,
        "item": roadmap.items.first(),
    }


def rules(w):
    """url name -> (method, args, roles that may use it). Every other role must get 404 (or the login page)."""
    p, a, ws, c = w["self_key"], w["self_assessment"], w["workshop"], w["client"].pk
    participant_pages = {"participant"}
    return {
        "resume": ("GET", ["A" * 32], set()),  # unknown link: 404 for everyone
        "assessment": ("GET", [p], participant_pages),
        "assessment_link": ("GET", [p], participant_pages),
        "new_link": ("POST", [p], participant_pages),
        "step": ("GET", [p, "journeys"], participant_pages),
        "answer_save": ("POST", [p], participant_pages),
        "summary": ("GET", [p], participant_pages),
        "reopen": ("POST", [p], participant_pages),
        "result": ("GET", [p], participant_pages),
        "roadmap_plan": ("GET", [p], participant_pages),
        "report_participant": ("GET", [p], participant_pages),
        "export_participant_json": ("GET", [p], participant_pages),
        "export_participant_csv": ("GET", [p], participant_pages),
        "my_data": ("GET", [p], participant_pages),
        "client_data": ("GET", [c], CONSULTANTS),
        "dashboard": ("GET", [], {"owner", "other_consultant", "staff"}),  # everyone sees their own list
        "client": ("GET", [c], CONSULTANTS),
        "client_delete": ("GET", [c], CONSULTANTS),
        "workshop_new": ("POST", [c], CONSULTANTS),
        "claim": ("POST", [c], CONSULTANTS),
        "workshop": ("GET", [ws], CONSULTANTS),
        "invite": ("POST", [ws], CONSULTANTS),
        "participant_revoke": ("POST", [ws, w["invited"].pk], CONSULTANTS),
        "participant_relink": ("POST", [ws, w["invited"].pk], CONSULTANTS),
        "consensus": ("POST", [ws], CONSULTANTS),
        "compare": ("GET", [ws], CONSULTANTS),
        "assessment_delete": ("GET", [ws], CONSULTANTS),
        "roadmap_edit": ("GET", [a], CONSULTANTS),
        "roadmap_settings": ("POST", [a], CONSULTANTS),
        "roadmap_replan": ("POST", [a], CONSULTANTS),
        "roadmap_item": ("POST", [a, w["item"].pk], CONSULTANTS),
        "roadmap_custom": ("POST", [a], CONSULTANTS),
        "report_owner": ("GET", [a], CONSULTANTS),
        "export_owner_json": ("GET", [a], CONSULTANTS),
        "export_owner_csv": ("GET", [a], CONSULTANTS),
    }


def our_url_names():
    names = {name for name in get_resolver().reverse_dict if isinstance(name, str)}
    return {n for n in names if not n.startswith("admin")} - {"django.contrib.auth.views.LoginView"}


def rows():
    return (
        Assessment.objects.count(),
        Participant.objects.filter(revoked_at__isnull=True).count(),
        Answer.objects.count(),
        Roadmap.objects.count(),
        RoadmapItem.objects.count(),
        ConsensusAnswer.objects.count(),
        ClientModel.objects.count(),
    )


def test_every_url_has_a_rule(world):
    assert our_url_names() - PUBLIC == set(rules(world))


def test_every_role_gets_only_what_it_may(world):
    for name, (method, args, allowed) in rules(world).items():
        url = reverse(name, args=args)
        for role in ROLES:
            browser = world["browsers"][role]
            before = rows()
            response = (
                browser.get(url) if method == "GET" else browser.post(url, {"q1": "1", "revision": "1"})
            )
            where = f"{method} {name} as {role}: {response.status_code}"
            assert response.status_code < 500, where
            if role in allowed:
                assert response.status_code != 404, where
            elif role in WITHOUT_ACCOUNT and response.status_code == 302:
                assert response["Location"].startswith(reverse("login")), where
                assert rows() == before, where
            else:
                assert response.status_code == 404, where
                assert rows() == before, where


def test_a_workshop_participant_sees_only_their_own_answers(world):
    invited = world["invited_browser"]
    key = world["invited"].key
    assert invited.get(reverse("step", args=[key, "journeys"])).status_code == 200
    for name in ["roadmap_plan", "report_participant", "export_participant_json", "export_participant_csv"]:
        assert invited.get(reverse(name, args=[key])).status_code == 404, name
    assert invited.get(reverse("workshop", args=[world["workshop"]])).status_code == 302  # to the login
