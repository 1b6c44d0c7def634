"""A consultant sets up an authenticator app in a real Chromium and signs in with its code."""

import time

import pyotp
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_consultant_enrols_in_totp_and_signs_in_with_a_code(browser, live_content, django_user_model):
    django_user_model.objects.create_user("alice", "alice@example.org", "alice-secret-password")
    page = browser.new_context(locale="de-DE").new_page()
    page.goto(live_content.url + "/konto/anmelden/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", "alice-secret-password")
    page.click("main form button[type=submit]")

    # the first sign-in leads to the set-up: a QR code drawn as inline SVG, and the key to type
    expect(page.locator("h1")).to_have_text("Authenticator-App einrichten")
    qr = page.locator("svg.qr-code")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box["width"] >= 150 and box["width"] == box["height"]
    assert axe_violations(page) == []
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    app = pyotp.TOTP(secret)  # the phone's app, given the key
    page.fill("#id_code", app.now())
    page.click("main form button[type=submit]")

    expect(page.locator("h1")).to_have_text("Ihre Wiederherstellungscodes")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    assert axe_violations(page) == []
    page.click("text=Ich habe sie aufbewahrt, weiter")
    expect(page).to_have_url(live_content.url + "/beratung/")

    # signing out and in again: password, then the code the app shows now (a code works only once)
    page.click("text=Abmelden")
    page.goto(live_content.url + "/beratung/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", "alice-secret-password")
    page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_have_text("Code eingeben")
    assert axe_violations(page) == []
    page.fill("#id_code", "000000")
    page.click("main form button[type=submit]")
    expect(page.locator("main")).to_contain_text("nicht richtig")
    time.sleep(1.1)  # a wrong code makes the next try wait a second
    page.fill("#id_code", app.at(time.time() + 30))
    page.click("main form button[type=submit]")
    expect(page).to_have_url(live_content.url + "/beratung/")
    expect(page.locator("nav")).to_contain_text("Zweiter Faktor")
