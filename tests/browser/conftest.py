"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server."""

import os
import shutil

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from tests are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "de-DE", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def live_content(transactional_db, live_server):
    call_command("load_content", verbosity=0)
    return live_server


WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def axe_violations(page) -> list[str]:
    """The WCAG 2.1 AA violations axe-core finds on the page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG_21_AA)
    return [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
        for v in results.response["violations"]
    ]


def enter_second_factor(page, user) -> None:
    """On the page that asks for the code: types what the consultant's authenticator app shows (an app is set
    up for them first if they have none, as if scanned earlier)."""
    import base64
    import time

    import pyotp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _new = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "Authenticator-App"}
    )
    while True:  # a code works once: wait for a time step the device has not used yet
        device.refresh_from_db()
        step = int(time.time()) // 30 + 1  # one step ahead is within the allowed drift
        if step > device.last_t:
            break
        time.sleep(1)
    page.fill("#id_code", pyotp.TOTP(base64.b32encode(device.bin_key).decode()).at(step * 30))
    with page.expect_navigation():  # signed in only when the answer has arrived
        page.click("main form button[type=submit]")
    assert "/konto/bestaetigen/" not in page.url, "the code was refused"


def log_in(page, base: str, username: str, password: str) -> None:
    """Signs a consultant in through the pages: password, then the code of the authenticator app they set up
    earlier (made here, as if scanned before)."""
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.get(username=username)
    TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "Authenticator-App"})
    page.goto(base + "/konto/anmelden/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main form button[type=submit]")
    enter_second_factor(page, user)
