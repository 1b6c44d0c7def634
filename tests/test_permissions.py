"""Every URL × every role, with the exact answer each role gets; a URL without a rule here fails.

Foreign objects are a 404 (nothing leaks, pretix's rule), consultant pages send people without an account to
the login, and a refused request changes nothing. No GET, by anyone, creates or changes a row.
"""

from http.cookies import SimpleCookie

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import get_resolver, reverse

from live import services as live_services
from respondent import services as respondent_services
from roadmap.models import Roadmap
from standortbestimmung.models import Answer, Question
from standortbestimmung.models import Client as ClientModel
from standortbestimmung.versions import current_version
from tests.conftest import Respondent
from workspace import services as workspace_services

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "participant",
    "other_participant",
    "invited",
    "in_the_room",
    "owner",
    "other_consultant",
    "staff",
]
WITHOUT_ACCOUNT = {"anonymous", "participant", "other_participant", "invited", "in_the_room"}
PUBLIC = {
    "home",
    "methodology",
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


def build_world() -> dict:
    """The owner ("owner") has a client with a finished self-assessment she took over and, after it, a workshop
    with one invited participant and a live session (revision 2, its first question open) that someone in the
    room ("in_the_room") joined by its code; a stranger answers an unrelated self-assessment; staff sees
    everything."""
    User = get_user_model()
    owner = User.objects.create_user("owner", "owner@example.org", "owner-secret-password")
    other = User.objects.create_user("other", "other@example.org", "other-secret-password")
    staff = User.objects.create_user("staff", "s@example.org", "staff-password-123", is_staff=True)
    version = current_version()
    client = ClientModel.objects.create(owner=owner, name="Muster AG")
    self_assessor = Respondent(Client(), version)
    options = {q.pk: q.options.get(level=2) for q in Question.objects.filter(field__version=version)}
    Answer.objects.bulk_create(
        Answer(participant=self_assessor.participant, question_id=qid, option=option)
        for qid, option in options.items()
    )
    respondent_services.participant_finish(participant=self_assessor.participant)
    workspace_services.assessment_claim(client=client, token=self_assessor.token)
    workshop = workspace_services.workshop_start(client=client, version=version)
    invitation = workspace_services.participant_invite(assessment=workshop, name="Paul")
    invited_browser = Client()
    invited_browser.get(reverse("respondent:resume", args=[invitation.token]))
    stranger = Respondent(Client(), version)  # a participant of another, unrelated assessment
    live = live_services.live_start(assessment=workshop)
    first = Question.objects.filter(field__version=version).order_by("field__position", "position").first()
    live = live_services.live_open(session=live, revision=live.revision, question=first)
    in_the_room = Client()
    assert in_the_room.post(reverse("live:join", args=[live.code]), {"name": "Rita"}).status_code == 302
    roadmap = Roadmap.objects.get(assessment=self_assessor.participant.assessment)
    browsers = {
        "anonymous": Client(),
        "participant": self_assessor.client,
        "other_participant": stranger.client,
        "invited": invited_browser,
        "in_the_room": in_the_room,
    }
    for name, user in [("owner", owner), ("other_consultant", other), ("staff", staff)]:
        browsers[name] = Client()
        browsers[name].force_login(user)
    return {
        "browsers": browsers,
        "client": client,
        "self_key": self_assessor.key,
        "self_assessment": self_assessor.participant.assessment.key,
        "workshop": workshop.key,
        "invited": invitation.participant,
        "item": roadmap.items.first(),
        "live": live.key,
        "live_code": live.code,
    }


@pytest.fixture
def world(content):
    """The same world for a test of another module, made afresh."""
    return build_world()


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """One world for the 250 cases of the matrix, rolled back at the end of the module; each case runs in a
    savepoint of its own (the db fixture) and gets fresh browsers with the world's cookies."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_content", verbosity=0)
        world = build_world()
        cookies = {role: browser.cookies for role, browser in world.pop("browsers").items()}
        yield {**world, "cookies": cookies}
        transaction.set_rollback(True)


@pytest.fixture
def case_world(shared_world, db):
    browsers = {}
    for role, cookies in shared_world["cookies"].items():
        browsers[role] = Client()
        browsers[role].cookies = SimpleCookie(cookies.output(header="", sep=";"))
    return {**shared_world, "browsers": browsers}


def in_the_room_page(status: int) -> dict[str, int]:
    """A phone page of the live session: for the browser that joined it alone; everybody else gets a 404."""
    return {role: status if role == "in_the_room" else 404 for role in ROLES}


def participant_page(status: int) -> dict[str, int]:
    """A page of the self-assessor: theirs alone; everybody else gets a 404, consultants too."""
    return {role: status if role == "participant" else 404 for role in ROLES}


def consultant_page(status: int, other_consultant: int = 404) -> dict[str, int]:
    """A page of the owning consultant (and staff); without an account: the login; other consultants: 404."""
    statuses = {role: 302 for role in WITHOUT_ACCOUNT}
    return {**statuses, "owner": status, "staff": status, "other_consultant": other_consultant}


# url name -> (method, arguments from the world, data posted, status per role)
RULES = {
    "respondent:start": ("GET", lambda w: [], {}, dict.fromkeys(ROLES, 200)),
    "respondent:resume": ("GET", lambda w: ["A" * 32], {}, dict.fromkeys(ROLES, 404)),  # an unknown link
    "respondent:continue": ("GET", lambda w: [w["self_key"]], {}, participant_page(302)),
    "respondent:link": ("GET", lambda w: [w["self_key"]], {}, participant_page(200)),
    "respondent:new_link": ("POST", lambda w: [w["self_key"]], {}, participant_page(200)),
    "respondent:step": ("GET", lambda w: [w["self_key"], "journeys"], {}, participant_page(302)),
    "respondent:answer": ("POST", lambda w: [w["self_key"]], {"q0": "dk"}, participant_page(400)),
    "respondent:summary": ("GET", lambda w: [w["self_key"]], {}, participant_page(200)),
    "respondent:reopen": ("POST", lambda w: [w["self_key"]], {}, participant_page(302)),
    "respondent:result": ("GET", lambda w: [w["self_key"]], {}, participant_page(200)),
    "respondent:roadmap": ("GET", lambda w: [w["self_key"]], {}, participant_page(200)),
    "respondent:report": ("GET", lambda w: [w["self_key"]], {}, participant_page(200)),
    "respondent:export_json": ("GET", lambda w: [w["self_key"]], {}, participant_page(200)),
    "respondent:export_csv": ("GET", lambda w: [w["self_key"]], {}, participant_page(200)),
    "respondent:my_data": ("GET", lambda w: [w["self_key"]], {}, participant_page(200)),
    "workspace:dashboard": ("GET", lambda w: [], {}, consultant_page(200, other_consultant=200)),
    "workspace:client": ("GET", lambda w: [w["client"].pk], {}, consultant_page(200)),
    "workspace:client_delete": ("GET", lambda w: [w["client"].pk], {}, consultant_page(200)),
    "workspace:client_data": ("GET", lambda w: [w["client"].pk], {}, consultant_page(200)),
    "workspace:assessment_new": ("POST", lambda w: [w["client"].pk], {}, consultant_page(302)),
    "workspace:claim": ("POST", lambda w: [w["client"].pk], {"link": "nothing"}, consultant_page(400)),
    "workspace:assessment": ("GET", lambda w: [w["workshop"]], {}, consultant_page(200)),
    "workspace:invite": ("POST", lambda w: [w["workshop"]], {"name": ""}, consultant_page(400)),
    "workspace:participant_revoke": (
        "POST",
        lambda w: [w["workshop"], w["invited"].pk],
        {},
        consultant_page(302),
    ),
    "workspace:participant_relink": (
        "POST",
        lambda w: [w["workshop"], w["invited"].pk],
        {},
        consultant_page(200),
    ),
    "workspace:consensus": ("POST", lambda w: [w["workshop"]], {"question": "0"}, consultant_page(400)),
    "workspace:compare": ("GET", lambda w: [w["workshop"]], {}, consultant_page(200)),
    "workspace:assessment_delete": ("GET", lambda w: [w["workshop"]], {}, consultant_page(200)),
    "workspace:report": ("GET", lambda w: [w["self_assessment"]], {}, consultant_page(200)),
    "workspace:export_json": ("GET", lambda w: [w["self_assessment"]], {}, consultant_page(200)),
    "workspace:export_csv": ("GET", lambda w: [w["self_assessment"]], {}, consultant_page(200)),
    "workspace:roadmap:edit": ("GET", lambda w: [w["self_assessment"]], {}, consultant_page(200)),
    "workspace:roadmap:settings": (
        "POST",
        lambda w: [w["self_assessment"]],
        {"revision": "1"},
        consultant_page(400),
    ),
    "workspace:roadmap:replan": (
        "POST",
        lambda w: [w["self_assessment"]],
        {"revision": "0"},
        consultant_page(400),
    ),
    "workspace:roadmap:item": (
        "POST",
        lambda w: [w["self_assessment"], w["item"].pk],
        {},
        consultant_page(400),
    ),
    "workspace:roadmap:custom": ("POST", lambda w: [w["self_assessment"]], {}, consultant_page(400)),
    # the live workshop: people in the room join by code; the consultant's actions carry the revision (2)
    "live:enter": ("GET", lambda w: [], {}, dict.fromkeys(ROLES, 200)),
    "live:join": ("GET", lambda w: [w["live_code"]], {}, {**dict.fromkeys(ROLES, 200), "in_the_room": 302}),
    "live:participant": ("GET", lambda w: [w["live"]], {}, in_the_room_page(200)),
    "live:participant_state": ("GET", lambda w: [w["live"]], {}, in_the_room_page(200)),
    "live:vote": ("POST", lambda w: [w["live"]], {"q0": "dk"}, in_the_room_page(400)),
    "live:result": ("GET", lambda w: [w["live"]], {}, dict.fromkeys(ROLES, 404)),  # not ended, not shared
    "live:start": ("POST", lambda w: [w["workshop"]], {}, consultant_page(302)),  # the running one
    "live:control": ("GET", lambda w: [w["live"]], {}, consultant_page(200)),
    "live:control_state": ("GET", lambda w: [w["live"]], {}, consultant_page(200)),
    "live:presenter": ("GET", lambda w: [w["live"]], {}, consultant_page(200)),
    "live:presenter_state": ("GET", lambda w: [w["live"]], {}, consultant_page(200)),
    "live:open": ("POST", lambda w: [w["live"]], {"revision": "2", "question": "0"}, consultant_page(400)),
    "live:timer_start": (
        "POST",
        lambda w: [w["live"]],
        {"revision": "2", "seconds": "60"},
        consultant_page(302),
    ),
    "live:timer_stop": ("POST", lambda w: [w["live"]], {"revision": "1"}, consultant_page(409)),  # stale
    "live:reveal": ("POST", lambda w: [w["live"]], {"revision": "2"}, consultant_page(302)),
    "live:reopen": ("POST", lambda w: [w["live"]], {"revision": "2"}, consultant_page(302)),
    "live:consensus": (
        "POST",
        lambda w: [w["live"]],
        {"revision": "2", "question": "0"},
        consultant_page(400),
    ),
    "live:pause": ("POST", lambda w: [w["live"]], {"revision": "2", "paused": "1"}, consultant_page(302)),
    "live:anonymous": ("POST", lambda w: [w["live"]], {"revision": "2", "allow": "1"}, consultant_page(302)),
    "live:end": ("POST", lambda w: [w["live"]], {}, consultant_page(400)),  # without a revision
}


def rules(w):
    """url name -> (method, args, roles that may use it): the allowed roles of RULES, for other tests."""
    return {
        name: (method, args(w), {role for role, status in statuses.items() if status not in (302, 404)})
        for name, (method, args, _data, statuses) in RULES.items()
        if name != "respondent:start"
    }


def our_url_names() -> set[str]:
    resolver = get_resolver()
    names = {name for name in resolver.reverse_dict if isinstance(name, str)}
    for namespace, (_prefix, sub) in resolver.namespace_dict.items():
        if namespace == "admin":
            continue
        names |= {f"{namespace}:{n}" for n in sub.reverse_dict if isinstance(n, str)}
        for inner, (_p, subsub) in sub.namespace_dict.items():
            names |= {f"{namespace}:{inner}:{n}" for n in subsub.reverse_dict if isinstance(n, str)}
    return {n for n in names if "." not in n}


def row_counts() -> dict[str, int]:
    """The number of rows of every table of ours and of auth, but the bookkeeping of requests themselves
    (sessions, rate-limit counters, django-axes' access log) and the cache of rendered reports."""
    bookkeeping = {"sessions.session", "cjm_assess.ratecounter", "roadmap.report"}
    return {
        model._meta.label_lower: model.objects.count()
        for model in apps.get_models()
        if model._meta.label_lower not in bookkeeping and model._meta.app_label != "axes"
    }


def test_every_url_has_a_rule():
    assert our_url_names() - PUBLIC == set(RULES)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(RULES))
def test_each_role_gets_exactly_its_answer(case_world, name, role):
    method, args, data, statuses = RULES[name]
    browser = case_world["browsers"][role]
    url = reverse(name, args=args(case_world))
    before = row_counts()
    response = browser.get(url) if method == "GET" else browser.post(url, data)
    assert response.status_code == statuses[role]
    if statuses[role] == 302 and role in WITHOUT_ACCOUNT and name.startswith("workspace:"):
        assert response["Location"].startswith(reverse("login"))
    if method == "GET" or response.status_code >= 400:
        assert row_counts() == before


def test_a_workshop_participant_sees_only_their_own_answers(case_world):
    world = case_world
    invited = world["browsers"]["invited"]
    key = world["invited"].key
    assert invited.get(reverse("respondent:step", args=[key, "journeys"])).status_code == 200
    assert invited.get(reverse("respondent:my_data", args=[key])).status_code == 200
    for name in ["roadmap", "report", "export_json", "export_csv"]:
        assert invited.get(reverse(f"respondent:{name}", args=[key])).status_code == 404, name
    response = invited.get(reverse("workspace:assessment", args=[world["workshop"]]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
