"""Every page a person reaches, judged by three judges and a ruler, at 1280 and 375 px, in German and English.

The W3C Nu HTML checker (0 errors), pa11y with HTML_CodeSniffer (0 issues), axe-core (0 WCAG 2.1 AA
violations), and no page wider than the screen. Each walk collects every problem and fails with the whole list.
"""

import re

import pytest
from django.urls import reverse

from respondent.services import participant_finish, self_assessment_start
from roadmap.models import Roadmap
from standortbestimmung.answering import answers_save
from standortbestimmung.models import Assessment, Question
from standortbestimmung.models import Client as ClientModel
from standortbestimmung.versions import current_version
from tests.browser.conftest import axe_violations, enter_second_factor
from tests.browser.judges import NuChecker, pa11y_issues
from workspace import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# (width, language): both sizes in German, the phone in English too
SCREENS = [(1280, "de"), (375, "de"), (375, "en")]


@pytest.fixture(scope="module")
def nu():
    checker = NuChecker()
    yield checker
    checker.close()


class Judges:
    """Judges the page a browser shows; collects problems instead of stopping at the first."""

    def __init__(self, nu, width):
        self.nu, self.width = nu, width
        self.problems: list[str] = []
        self.pages: list[str] = []

    def __call__(self, page, label: str, html: str | None = None, *, validate: bool = True):
        """html: the response as sent (default: the page's URL fetched again with the browser's cookies);
        validate=False for a state only the browser has (after a failed autosave)."""
        self.pages.append(label)
        if validate:
            if html is None:
                html = page.context.request.get(page.url).text()
            self.problems += [f"{label}: Nu: {e}" for e in self.nu.errors(html)]
        self.problems += [f"{label}: pa11y: {e}" for e in pa11y_issues(page)]
        self.problems += [f"{label}: axe: {e}" for e in axe_violations(page)]
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > self.width:
            self.problems.append(f"{label}: {wide} px wide on a {self.width} px screen")
        description = page.locator("meta[name=description]").get_attribute("content") or ""
        if len(description) < 40:
            self.problems.append(f"{label}: no meta description")


def new_page(browser, width, language):
    context = browser.new_context(
        locale="de-DE" if language == "de" else "en-GB", viewport={"width": width, "height": 900}
    )
    return context.new_page()


@pytest.mark.parametrize("width, language", SCREENS)
def test_public_pages_and_a_whole_self_assessment(browser, live_content, nu, width, language):
    judge = Judges(nu, width)
    page = new_page(browser, width, language)
    base = live_content.url
    for name in ["home", "methodology", "impressum", "datenschutz", "login", "password_reset"]:
        page.goto(base + reverse(name))
        judge(page, name)
    for path in ["/konto/passwort/gesendet/", "/konto/passwort/fertig/", "/konto/passwort/Mg/kein-token/"]:
        page.goto(base + path)
        judge(page, path)
    response = page.goto(base + "/gibt-es-nicht/")
    assert response.status == 404
    judge(page, "404", response.text())

    page.goto(base + reverse("respondent:start"))
    judge(page, "start")
    # too long (set past the field's maxlength, as a tampered form would): the form comes back with its error
    page.evaluate("document.querySelector('#id_organisation').value = 'x'.repeat(201)")
    with page.expect_response(lambda r: r.request.method == "POST") as refused:
        page.click("main form button[type=submit]")
    judge(page, "start, refused", refused.value.text())
    page.fill("#id_organisation", "Muster Versicherung AG")
    with page.expect_response(lambda r: r.request.method == "POST") as started:
        page.click("main form button[type=submit]")
    judge(page, "personal link", started.value.text())
    key = re.search(r"/a/([0-9a-f-]{36})/", page.locator("main a.btn-lg").get_attribute("href")).group(1)
    page.goto(base + reverse("respondent:link", args=[key]))
    judge(page, "personal link, later")

    page.goto(base + reverse("respondent:continue", args=[key]))
    for step in range(6):
        judge(page, f"step {step + 1}")
        for fieldset in page.locator("fieldset.question").all():
            fieldset.locator(".option-card").nth(1 + step % 3).click()
            page.wait_for_function(
                "f => f.dataset.saveState === 'saved'", arg=fieldset.element_handle(), timeout=10000
            )
        judge(page, f"step {step + 1}, answered", validate=False)
        page.click("button[value=next]")
    judge(page, "summary")
    page.click("main form button.btn-lg")
    judge(page, "result")
    page.goto(base + reverse("respondent:roadmap", args=[key]))
    judge(page, "roadmap")
    assert len(judge.pages) >= 25
    assert judge.problems == []


@pytest.fixture
def workspace_world(live_content, django_user_model):
    """alice's client with a taken-over self-assessment and, after it, a workshop: one participant finished,
    one halfway, one blocked, one invited only, a consensus set; and a self-assessment without a roadmap."""
    alice = django_user_model.objects.create_user("alice", "alice@example.org", "alice-secret-password")
    version = current_version()
    questions = list(Question.objects.filter(field__version=version).prefetch_related("options"))
    client = ClientModel.objects.create(owner=alice, name="Muster Versicherung AG")
    link = self_assessment_start(version=version, organisation="Muster Versicherung AG")
    answers_save(participant=link.participant, answers={q: q.options.get(level=2) for q in questions})
    participant_finish(participant=link.participant)
    services.assessment_claim(client=client, token=link.token)
    workshop = services.workshop_start(client=client, version=version)
    services.assessment_settings_set(
        assessment=workshop, title="Vertrieb und Service", counting=Assessment.Counting.FINISHED
    )
    people = {}
    for name, level, count in [("Anna", 1, 42), ("Bert", 4, 21), ("Cem", 3, 42), ("Dora", 1, 0)]:
        person = services.participant_invite(assessment=workshop, name=name, email=f"{name}@example.org")
        people[name] = person.participant
        if count:
            answers_save(
                participant=person.participant,
                answers={q: q.options.get(level=level) for q in questions[:count]},
            )
    participant_finish(participant=people["Anna"])
    services.participant_revoke(participant=people["Cem"])
    services.consensus_set(
        assessment=workshop, question=questions[0], option=questions[0].options.get(level=3)
    )
    bare = self_assessment_start(version=version, organisation="Ohne Roadmap GmbH").participant.assessment
    Assessment.objects.filter(pk=bare.pk).update(owner=alice)
    Roadmap.objects.filter(assessment=bare).delete()
    return {"client": client, "self": link.participant.assessment, "workshop": workshop, "bare": bare}


@pytest.mark.parametrize("width, language", SCREENS)
def test_every_page_of_the_workspace(browser, live_content, nu, workspace_world, width, language):
    judge = Judges(nu, width)
    page = new_page(browser, width, language)
    base = live_content.url
    from django_otp.plugins.otp_totp.models import TOTPDevice

    owner = workspace_world[
        "client"
    ].owner  # her authenticator app, set up earlier: the login asks for its code
    TOTPDevice.objects.get_or_create(user=owner, confirmed=True, defaults={"name": "Authenticator-App"})
    page.goto(base + reverse("login"))
    page.fill("#id_username", "alice")
    page.fill("#id_password", "alice-secret-password")
    page.click("main form button[type=submit]")
    judge(page, "second factor")  # the page that asks for the authenticator's code
    enter_second_factor(page, owner)
    assert page.url.endswith(reverse("workspace:dashboard"))  # the login leads to the workspace
    client, workshop = workspace_world["client"], workspace_world["workshop"]
    pages = [
        ("dashboard", "workspace:dashboard", []),
        ("client", "workspace:client", [client.pk]),
        ("delete client", "workspace:client_delete", [client.pk]),
        ("workshop", "workspace:assessment", [workshop.key]),
        ("comparison", "workspace:compare", [workshop.key]),
        ("delete workshop", "workspace:assessment_delete", [workshop.key]),
        ("roadmap editor, workshop", "workspace:roadmap:edit", [workshop.key]),
        ("roadmap editor, self-assessment", "workspace:roadmap:edit", [workspace_world["self"].key]),
        ("no roadmap yet", "workspace:roadmap:edit", [workspace_world["bare"].key]),
    ]
    for label, name, args in pages:
        page.goto(base + reverse(name, args=args))
        judge(page, label)
    page.goto(base + reverse("workspace:assessment", args=[workshop.key]))
    page.locator("details.revoke summary").first.click()  # the confirmation of a revocation, opened
    judge(page, "workshop, revoking", validate=False)
    page.fill("#invite-name", "Emil")
    with page.expect_response(lambda r: r.request.method == "POST") as invited:
        page.click(".invite-form button")
    judge(page, "workshop, new link shown", invited.value.text())
    page.goto(base + reverse("workspace:dashboard") + "?q=nichts")
    judge(page, "dashboard, nothing found")
    assert judge.problems == []


@pytest.mark.parametrize("width, language", [(1280, "de"), (375, "en")])
def test_the_pages_of_a_workshop_participant(browser, live_content, nu, workspace_world, width, language):
    judge = Judges(nu, width)
    workshop = workspace_world["workshop"]
    person = services.participant_invite(assessment=workshop, name="Fritz")
    page = new_page(browser, width, language)
    base = live_content.url
    page.goto(base + reverse("respondent:resume", args=[person.token]))
    judge(page, "step")
    page.goto(base + reverse("respondent:summary", args=[person.participant.key]))
    judge(page, "summary, everything open")
    page.click("main form button.btn-lg")
    judge(page, "own result")
    assert judge.problems == []
