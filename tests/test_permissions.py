"""Every URL × every role, with the exact answer each role gets; a URL without a rule here fails.

Foreign objects are a 404 (nothing leaks, pretix's rule), consultant pages send people without an account to
the login, a consultant signed in with the password alone is sent to enter the second factor from every page but
that one, and a refused request changes nothing. No GET, by anyone, creates or changes a row.
"""

from http.cookies import SimpleCookie

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import get_resolver, reverse

from live import services as live_services
from outreach.access import share_link_make
from outreach.models import Lead
from respondent import services as respondent_services
from roadmap.models import Roadmap
from standortbestimmung.access import token_new
from standortbestimmung.grouping import Definition
from standortbestimmung.models import Answer, Question, Segment
from standortbestimmung.models import Client as ClientModel
from standortbestimmung.versions import current_version
from tests.conftest import Respondent, sign_in
from workspace import services as workspace_services

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "participant",
    "other_participant",
    "invited",
    "password_only",
    "in_the_room",
    "owner",
    "other_consultant",
    "staff",
]
WITHOUT_ACCOUNT = {"anonymous", "participant", "other_participant", "invited", "in_the_room"}
# The owner, signed in with the password but not (yet) with the code from the authenticator app.
PASSWORD_ONLY = "password_only"
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


@pytest.fixture(scope="module", autouse=True)
def _owner_receives_leads():
    """The owner is a lead recipient (LEAD_RECIPIENTS), the other consultant is not."""
    with override_settings(LEAD_RECIPIENTS=["owner"]):
        yield


def build_world() -> dict:
    """The owner ("owner") has a client with a finished self-assessment she took over and, after it, a workshop
    with one invited participant and a live session (revision 2, its first question open) that someone in the
    room ("in_the_room") joined by its code; a stranger answers an unrelated self-assessment; staff sees
    everything.
    Consultants are signed in with both factors, but for the owner's second browser (password only).
    The owner also receives contact requests: one came from a third, finished self-assessment (its withdrawal
    link's secret known here), and the taken-over self-assessment has a share link."""
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
    workshop = workspace_services.workshop_start(
        client=client, version=version, segments=Definition(units=("Vertrieb",), roles=("Führungskraft",))
    )
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
    asker = Respondent(Client(), version)
    Answer.objects.bulk_create(
        Answer(participant=asker.participant, question_id=qid, option=option)
        for qid, option in options.items()
    )
    respondent_services.participant_finish(participant=asker.participant)
    lead = respondent_services.lead_create(
        participant=asker.participant, name="Lea Lead", email="lea@example.org", consent=True
    )
    withdraw_token, digest = token_new()
    Lead.objects.filter(pk=lead.pk).update(withdraw_token_hash=digest)
    share, share_token = share_link_make(assessment=self_assessor.participant.assessment)
    browsers = {
        "anonymous": Client(),
        "participant": self_assessor.client,
        "other_participant": stranger.client,
        "invited": invited_browser,
        "in_the_room": in_the_room,
    }
    for name, user in [("owner", owner), ("other_consultant", other), ("staff", staff)]:
        browsers[name] = Client()
        sign_in(browsers[name], user)
    browsers[PASSWORD_ONLY] = Client()
    browsers[PASSWORD_ONLY].force_login(owner)  # she has an authenticator app, but gave no code yet
    return {
        "browsers": browsers,
        "client": client,
        "self_key": self_assessor.key,
        "self_assessment": self_assessor.participant.assessment.key,
        "workshop": workshop.key,
        "invited": invitation.participant,
        "item": roadmap.items.first(),
        "unit": Segment.objects.get(assessment=workshop, dimension=Segment.Dimension.UNIT),
        "lead": lead,
        "lead_mail": lead.mails.first(),
        "withdraw_token": withdraw_token,
        "share": share,
        "share_token": share_token,
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


def everyone(status: int) -> dict[str, int]:
    """A page for everybody (but the half-signed-in, who are asked for their code first)."""
    return {**dict.fromkeys(ROLES, status), PASSWORD_ONLY: 302}


def in_the_room_page(status: int) -> dict[str, int]:
    """A phone page of the live session: for the browser that joined it alone; everybody else gets a 404."""
    return {**{role: status if role == "in_the_room" else 404 for role in ROLES}, PASSWORD_ONLY: 302}


def participant_page(status: int) -> dict[str, int]:
    """A page of the self-assessor: theirs alone; everybody else gets a 404, consultants too."""
    return {**{role: status if role == "participant" else 404 for role in ROLES}, PASSWORD_ONLY: 302}


def consultant_page(status: int, other_consultant: int = 404) -> dict[str, int]:
    """A page of the owning consultant (and staff); without an account: the login; other consultants: 404."""
    statuses = {role: 302 for role in WITHOUT_ACCOUNT}
    return {
        **statuses,
        PASSWORD_ONLY: 302,
        "owner": status,
        "staff": status,
        "other_consultant": other_consultant,
    }


# url name -> (method, arguments from the world, data posted, status per role)
RULES = {
    "respondent:start": ("GET", lambda w: [], {}, everyone(200)),
    "respondent:resume": ("GET", lambda w: ["A" * 32], {}, everyone(404)),  # an unknown link
    "respondent:links_paused": (
        "GET",
        lambda w: [],
        {},
        everyone(302),
    ),  # no limit reached: to the start page
    "respondent:continue": ("GET", lambda w: [w["self_key"]], {}, participant_page(302)),
    "respondent:link": ("GET", lambda w: [w["self_key"]], {}, participant_page(200)),
    "respondent:new_link": ("POST", lambda w: [w["self_key"]], {}, participant_page(200)),
    "respondent:step": ("GET", lambda w: [w["self_key"], "journeys"], {}, participant_page(302)),
    "respondent:answer": ("POST", lambda w: [w["self_key"]], {"q0": "dk"}, participant_page(400)),
    # a self-assessment has no units or roles to choose from
    "respondent:segment": ("POST", lambda w: [w["self_key"]], {"unit": ""}, participant_page(400)),
    "respondent:summary": ("GET", lambda w: [w["self_key"]], {}, participant_page(200)),
    "respondent:reopen": ("POST", lambda w: [w["self_key"]], {}, participant_page(302)),
    "respondent:result": ("GET", lambda w: [w["self_key"]], {}, participant_page(200)),
    "respondent:benchmark_consent": (
        "POST",
        lambda w: [w["self_key"]],
        {"consent": "no"},
        participant_page(302),
    ),
    "respondent:roadmap": ("GET", lambda w: [w["self_key"]], {}, participant_page(200)),
    "respondent:report": ("GET", lambda w: [w["self_key"]], {}, participant_page(200)),
    "respondent:export_json": ("GET", lambda w: [w["self_key"]], {}, participant_page(200)),
    "respondent:export_csv": ("GET", lambda w: [w["self_key"]], {}, participant_page(200)),
    "respondent:my_data": ("GET", lambda w: [w["self_key"]], {}, participant_page(200)),
    # the self-assessment of "participant" belongs to a client already: a request is refused with a reason
    "respondent:contact": ("GET", lambda w: [w["self_key"]], {}, participant_page(200)),
    "respondent:contact_withdraw": ("POST", lambda w: [w["self_key"]], {}, participant_page(302)),
    "respondent:share": ("GET", lambda w: [w["self_key"]], {}, participant_page(200)),
    "respondent:share_revoke": (
        "POST",
        lambda w: [w["self_key"], w["share"].pk],
        {},
        participant_page(302),
    ),
    "respondent:handover": ("POST", lambda w: [w["self_key"]], {}, participant_page(200)),
    "respondent:report_mail": ("POST", lambda w: [w["self_key"]], {"email": "kaputt"}, participant_page(400)),
    "respondent:kiosk": ("GET", lambda w: [], {}, everyone(200)),
    "respondent:kiosk_end": ("POST", lambda w: [], {}, dict.fromkeys(ROLES, 302)),
    "outreach:shared": ("GET", lambda w: [w["share_token"]], {}, everyone(200)),
    "outreach:report": ("GET", lambda w: [w["share_token"]], {}, everyone(200)),
    "outreach:withdraw": ("GET", lambda w: [w["withdraw_token"]], {}, everyone(200)),
    "workspace:dashboard": ("GET", lambda w: [], {}, consultant_page(200, other_consultant=200)),
    # the market: every consultant sees the protected market and their own clients, nobody else's
    "workspace:market:view": ("GET", lambda w: [], {}, consultant_page(200, other_consultant=200)),
    "workspace:market:csv": ("GET", lambda w: [], {}, consultant_page(200, other_consultant=200)),
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
    "workspace:participant_restore": (
        "POST",
        lambda w: [w["workshop"], w["invited"].pk],
        {},
        consultant_page(302),
    ),
    "workspace:assessment_settings": ("POST", lambda w: [w["workshop"]], {}, consultant_page(400)),
    "workspace:participant_relink": (
        "POST",
        lambda w: [w["workshop"], w["invited"].pk],
        {},
        consultant_page(200),
    ),
    "workspace:consensus": ("POST", lambda w: [w["workshop"]], {"question": "0"}, consultant_page(400)),
    "workspace:segments": (
        "POST",
        lambda w: [w["workshop"]],
        {"units": "Vertrieb", "roles": "", "min_group_size": "1"},  # below the minimum of 2
        consultant_page(400),
    ),
    "workspace:participant_place": (
        "POST",
        lambda w: [w["workshop"], w["invited"].pk],
        {"unit": "", "role": ""},  # none, as now: nothing changes
        consultant_page(302),
    ),
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
    # entering the second factor: for the half-signed-in only (the others have given it: on to the dashboard)
    "accounts:verify": (
        "GET",
        lambda w: [],
        {},
        {**consultant_page(302, other_consultant=302), PASSWORD_ONLY: 200},
    ),
    # setting up (or replacing) the authenticator app, and the recovery codes: with both factors only
    "accounts:setup": ("GET", lambda w: [], {}, consultant_page(200, other_consultant=200)),
    "accounts:recovery_codes": ("GET", lambda w: [], {}, consultant_page(200, other_consultant=200)),
    "workspace:roadmap:unit": ("GET", lambda w: [w["workshop"], w["unit"].pk], {}, consultant_page(200)),
    "workspace:roadmap:unit_targets": (  # the unit has no answers yet: no result, no targets
        "POST",
        lambda w: [w["workshop"], w["unit"].pk],
        {"target_journeys": "2"},
        consultant_page(400),
    ),
    "workspace:participant_remind": (  # Paul was invited without an e-mail address
        "POST",
        lambda w: [w["workshop"], w["invited"].pk],
        {},
        consultant_page(400),
    ),
    "workspace:assessment_remind": ("POST", lambda w: [w["workshop"]], {}, consultant_page(302)),
    # leads: the owner is a lead recipient, the other consultant is not
    "workspace:leads": ("GET", lambda w: [], {}, consultant_page(200)),
    "workspace:lead": ("GET", lambda w: [w["lead"].pk], {}, consultant_page(200)),
    "workspace:lead_status": (
        "POST",
        lambda w: [w["lead"].pk],
        {"status": "converted"},
        consultant_page(400),
    ),
    "workspace:lead_convert": ("POST", lambda w: [w["lead"].pk], {}, consultant_page(302)),
    "workspace:lead_delete": ("POST", lambda w: [w["lead"].pk], {}, consultant_page(302)),
    "workspace:lead_report": ("GET", lambda w: [w["lead"].pk], {}, consultant_page(200)),
    "workspace:mail_retry": ("POST", lambda w: [w["lead_mail"].pk], {}, consultant_page(400)),  # it was sent
    # the live workshop: people in the room join by code; the consultant's actions carry the revision (2)
    "live:enter": ("GET", lambda w: [], {}, everyone(200)),
    "live:join": ("GET", lambda w: [w["live_code"]], {}, {**everyone(200), "in_the_room": 302}),
    "live:participant": ("GET", lambda w: [w["live"]], {}, in_the_room_page(200)),
    "live:participant_state": ("GET", lambda w: [w["live"]], {}, in_the_room_page(200)),
    "live:vote": ("POST", lambda w: [w["live"]], {"q0": "dk"}, in_the_room_page(400)),
    "live:result": ("GET", lambda w: [w["live"]], {}, everyone(404)),  # not ended, not shared
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
    if statuses[role] == 302 and role in WITHOUT_ACCOUNT and name.startswith(("workspace:", "accounts:")):
        assert response["Location"].startswith(reverse("login"))
    if role == PASSWORD_ONLY and name != "accounts:verify":
        assert response["Location"].startswith(reverse("accounts:verify"))
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
