"""A whole live workshop in real browsers: the consultant's control view (two tabs), the presenter view on the
projector and five phones, one of them joining late and one without JavaScript; timer, reveal, consensus, a
pause, a lost connection; then the group result and the PDF carry the live answers and the consensus."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from live.models import LiveSession
from standortbestimmung.models import Answer, ConsensusAnswer, Participant, Question
from tests.browser.conftest import axe_violations, enter_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True, "locale": "de-DE"}
WAIT = {"timeout": 15_000}  # a poll a second; the machine may be busy


@pytest.fixture
def contexts(browser, live_content):  # set up after the server and its database, so torn down before them
    """New browser contexts, all closed at the end: their pages poll, and must stop before the database goes."""
    made = []

    def new(**options):
        made.append(browser.new_context(**options))
        return made[-1]

    yield new
    for context in made:
        context.close()


def log_in(page, url):
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    alice = get_user_model().objects.get(username="alice")
    # her authenticator app, set up earlier: the login asks for its code
    TOTPDevice.objects.get_or_create(user=alice, confirmed=True, defaults={"name": "Authenticator-App"})
    page.goto(url + "/konto/anmelden/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", "alice-secret-password")
    page.click("main form button[type=submit]")
    enter_second_factor(page, alice)


def a_workshop(django_user_model, name="Muster Versicherung AG", language="de"):
    from standortbestimmung.models import Client as ClientModel
    from standortbestimmung.versions import current_version
    from workspace import services

    alice = django_user_model.objects.create_user("alice", "alice@example.org", "alice-secret-password")
    client = ClientModel.objects.create(owner=alice, name=name)
    return services.workshop_start(client=client, version=current_version(), language=language)


def join(contexts, base, code, name, *, javascript=True, by_form=True):
    page = contexts(**PHONE, java_script_enabled=javascript).new_page()
    if by_form:  # typed from the wall, lower case and with the space
        page.goto(base + "/live/")
        page.fill("#id_code", code.lower())
        page.click(".live-code-form button")
    else:  # the QR code's address
        page.goto(f"{base}/live/{code.replace(' ', '')}/")
    page.fill("#id_name", name)
    page.click(".live-join-form button")
    expect(page.locator("#live-room")).to_be_visible()
    return page


def choose(page, level):
    """A phone with JavaScript picks the option of this level (1..4, 0 = don't know); it saves on the spot."""
    fieldset = page.locator("fieldset.question").first
    fieldset.locator(".option-card").nth(level - 1 if level else 4).click()
    expect(fieldset.locator(".save-state .text-success")).to_contain_text("Gespeichert", **WAIT)


def pdf_text(page) -> str:
    with page.expect_download(timeout=120_000) as download:
        page.click("text=PDF herunterladen", timeout=120_000)
    reader = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def test_a_whole_live_workshop_from_the_first_phone_to_the_pdf(contexts, live_content, django_user_model):
    base = live_content.url
    workshop = a_workshop(django_user_model)
    journeys = list(Question.objects.filter(field__version=workshop.version, field__code="journeys"))

    consultant_context = contexts(locale="de-DE", viewport={"width": 1280, "height": 900})
    control = consultant_context.new_page()
    log_in(control, base)
    control.goto(f"{base}/beratung/s/{workshop.key}/")
    control.click("#live-start")
    expect(control.locator("#live-control")).to_be_visible()
    code = control.locator(".live-code-inline").inner_text()
    second_tab = consultant_context.new_page()  # the consultant's tablet, or a second tab by mistake
    second_tab.goto(control.url)

    projector = contexts(locale="de-DE", viewport={"width": 1920, "height": 1080}).new_page()
    log_in(projector, base)
    projector.goto(control.url + "praesentation/")
    stage = projector.locator("#presenter-stage")
    expect(projector.locator(".join-code")).to_have_text(code)
    expect(projector.locator(".join-qr svg")).to_be_visible()

    anna = join(contexts, base, code, "Anna")
    bert = join(contexts, base, code, "Bert", by_form=False)
    cem = join(contexts, base, code, "Cem")
    dora = join(contexts, base, code, "Dora", javascript=False)
    expect(stage).to_have_attribute("data-people", "4", **WAIT)
    expect(anna.locator("#live-room")).to_contain_text("Sie sind dabei")

    # the first question, with a 30-second timer on every screen
    control.click("#act-next")
    control.click("#act-timer-30")
    expect(stage.locator(".stage-question")).to_have_text(journeys[0].text_de, **WAIT)
    expect(stage.locator(".stage-option")).to_have_count(4)
    expect(stage.locator(".stage-timer")).to_be_visible(**WAIT)
    expect(anna.locator(".live-timer")).to_be_visible(**WAIT)
    emil = join(contexts, base, code, "Emil")  # late: straight into the open question
    expect(emil.locator("fieldset.question legend")).to_contain_text(journeys[0].text_de)

    for phone, level in [(anna, 1), (bert, 2), (cem, 2), (emil, 4)]:
        choose(phone, level)
    dora.reload()
    dora.locator(".option-card").nth(2).click()  # Build, sent with the button: no JavaScript here
    dora.click(".live-submit")
    expect(dora.locator(".option-input:checked + .option-card")).to_contain_text("Build")
    expect(stage).to_have_attribute("data-answered", "5", **WAIT)
    expect(stage.locator(".stage-answered")).to_contain_text("5 von 5")
    assert "stage-bar" not in stage.inner_html()  # nothing shown before the reveal
    assert not anna.locator(".live-bars").count()

    # the timer runs out: votes lock on every screen; a late form post is refused and writes nothing
    expect(stage.locator(".stage-answered")).to_contain_text("Die Zeit ist abgelaufen", timeout=45_000)
    expect(anna.locator("input.option-input").first).to_be_disabled(**WAIT)
    dora.locator(".option-card").nth(3).click()
    dora.click(".live-submit")
    expect(dora.locator(".alert")).to_contain_text("geschlossen")
    dora_answer = Answer.objects.get(participant__name="Dora", question=journeys[0])
    assert dora_answer.option.level == 3

    # reveal; both consultant tabs follow; the room settles on Adopt
    control.click("#act-reveal")
    expect(stage.locator(".stage-options.is-shown")).to_be_visible(**WAIT)
    counts = [
        stage.locator(f".stage-option.level-{level} .stage-count").inner_text() for level in (1, 2, 3, 4, 0)
    ]
    assert counts == ["1", "2", "1", "1", "0"]
    expect(stage.locator(".stage-foot")).to_contain_text("3 Stufen auseinander")
    expect(second_tab.locator("#live-now-heading")).to_contain_text("Ergebnisse werden gezeigt", **WAIT)
    expect(anna.locator(".live-bars")).to_be_visible(**WAIT)
    for name in ["Anna", "Bert", "Cem", "Dora", "Emil"]:
        assert name not in projector.content()  # never a name on the shared screen
    second_tab.click("#consensus-journeys\\.1-2")
    expect(stage.locator(".stage-option.level-2.is-consensus")).to_be_visible(**WAIT)
    expect(stage.locator(".stage-foot")).to_contain_text("Konsens: Adopt")
    expect(control.locator("#consensus-journeys\\.1-2")).to_have_attribute("aria-pressed", "true", **WAIT)

    # a phone loses its connection while the consultant moves on, and comes back to the current state
    cem.context.set_offline(True)
    control.click("#act-next")
    expect(stage.locator(".stage-question")).to_have_text(journeys[1].text_de, **WAIT)
    expect(cem.locator(".live-offline-note")).to_be_visible(**WAIT)
    cem.context.set_offline(False)
    expect(cem.locator("fieldset.question legend")).to_contain_text(journeys[1].text_de, **WAIT)
    expect(cem.locator(".live-offline-note")).to_be_hidden(**WAIT)
    for phone, level in [(anna, 3), (bert, 3), (cem, 4), (emil, 0)]:
        choose(phone, level)
    dora.click("text=Seite neu laden")  # her page is the refusal of her late vote: she reloads
    dora.locator(".option-card").nth(1).click()
    dora.click(".live-submit")
    expect(stage).to_have_attribute("data-answered", "5", **WAIT)
    control.click("#act-reveal")
    expect(stage.locator(".stage-options.is-shown")).to_be_visible(**WAIT)
    control.click("#consensus-journeys\\.2-3")
    expect(stage.locator(".stage-foot")).to_contain_text("Konsens: Build", **WAIT)

    # a pause reaches every screen; then the end, with the group result shared
    control.click("#act-pause")
    expect(stage.locator(".stage-title")).to_have_text("Kurze Pause", **WAIT)
    expect(anna.locator("#live-room h1")).to_have_text("Kurze Pause", **WAIT)
    control.click("#act-continue")
    control.click("#act-end-share")
    expect(anna.locator("#live-room")).to_contain_text("Danke für Ihre Teilnahme", **WAIT)
    expect(stage.locator(".stage-title")).to_contain_text("Danke", **WAIT)
    dora.click("text=Seite neu laden")
    expect(dora.locator("#live-room")).to_contain_text("Danke für Ihre Teilnahme")
    anna.click("text=Gruppenergebnis ansehen")
    expect(anna.locator(".overall .level-badge")).to_be_visible()
    assert LiveSession.objects.get().status == "ended"
    second_tab.close()
    for page in [anna, bert, cem, dora, emil, projector]:  # the room empties (their polls stop)
        page.context.close()

    # the live answers are the workshop's answers: the group result and the PDF show them with the consensus
    assert Participant.objects.filter(assessment=workshop).count() == 5
    assert Answer.objects.filter(participant__assessment=workshop).count() == 10
    assert {c.question_id: c.option.level for c in ConsensusAnswer.objects.all()} == {
        journeys[0].pk: 2,
        journeys[1].pk: 3,
    }
    control.goto(f"{base}/beratung/s/{workshop.key}/")
    for name in ["Anna", "Bert", "Cem", "Dora", "Emil"]:
        expect(control.locator(".participants-table tbody")).to_contain_text(name)
    first_row = control.locator("#q-journeys\\.1")
    expect(first_row).to_contain_text("Unaware: 1")
    expect(first_row).to_contain_text("Adopt: 2")
    expect(first_row).to_contain_text("Konsens festgelegt")
    text = pdf_text(control)
    assert "Muster Versicherung AG" in text
    assert "Beantwortet von 5 von 5 Teilnehmenden" in text
    adopt, build = (q.options.get(level=level).text_de for q, level in [(journeys[0], 2), (journeys[1], 3)])
    assert " ".join(adopt.split()) in text and " ".join(build.split()) in text
    assert "Unaware 1 · Adopt 2 · Build 1 · Commit 1" in text
    assert "Adopt 1 · Build 2 · Commit 1 · Weiß nicht 1" in text


@pytest.mark.parametrize("width", [375, 1280])
def test_the_three_live_views_have_no_accessibility_violations(
    contexts, live_content, django_user_model, width
):
    from live import services

    base = live_content.url
    workshop = a_workshop(django_user_model)
    session = services.live_start(assessment=workshop)
    question = Question.objects.filter(field__version=workshop.version).order_by(
        "field__position", "position"
    )[0]
    size = {"viewport": {"width": width, "height": 900}, "locale": "de-DE"}

    phone = contexts(**size).new_page()
    phone.goto(base + "/live/")
    assert axe_violations(phone) == [], "enter"
    phone.goto(f"{base}/live/{session.code}/")
    assert axe_violations(phone) == [], "join"
    phone.fill("#id_name", "Anna")
    phone.click(".live-join-form button")
    assert axe_violations(phone) == [], "participant, waiting"

    consultant = contexts(**size).new_page()
    log_in(consultant, base)
    session = services.live_open(session=session, revision=session.revision, question=question)
    session = services.live_timer_start(session=session, revision=session.revision, seconds=120)
    for path in ["", "praesentation/"]:
        consultant.goto(f"{base}/beratung/live/{session.key}/{path}")
        assert axe_violations(consultant) == [], path or "control"
    phone.reload()
    phone.locator(".option-card").first.click()
    expect(phone.locator(".save-state .text-success")).to_be_visible(**WAIT)
    assert axe_violations(phone) == [], "participant, voting"

    services.live_reveal(session=session, revision=session.revision)
    session.refresh_from_db()
    services.live_consensus(session=session, revision=session.revision, question=question, option=None)
    for path in ["", "praesentation/"]:
        consultant.goto(f"{base}/beratung/live/{session.key}/{path}")
        assert axe_violations(consultant) == [], (path or "control") + ", shown"
    phone.reload()
    assert axe_violations(phone) == [], "participant, shown"

    session.refresh_from_db()
    field = question.field
    services.live_open(session=session, revision=session.revision, field=field)
    consultant.goto(f"{base}/beratung/live/{session.key}/praesentation/")
    assert axe_violations(consultant) == [], "presenter, a whole field"
    phone.reload()
    assert axe_violations(phone) == [], "participant, a whole field"
