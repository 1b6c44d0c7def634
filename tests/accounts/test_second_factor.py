"""Consultants sign in with a password and a code from an authenticator app (or a recovery code); nobody
signed in with the password alone gets further than entering or setting up that code."""

import base64
import re
import time

import pyotp
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import RecoveryCode, RecoveryCodes
from accounts.services import second_factor_enrol
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

PASSWORD = "alice-secret-password"


def app_of(device: TOTPDevice) -> pyotp.TOTP:
    """The authenticator app on the consultant's phone."""
    return pyotp.TOTP(base64.b32encode(device.bin_key).decode())


def next_code(device: TOTPDevice) -> str:
    """A code the device has not accepted yet (one step ahead: a code works once, and one step of drift is allowed)."""
    return app_of(device).at(time.time() + 30)


@pytest.fixture
def enrolled(alice):
    """alice with an authenticator app and recovery codes, as after the set-up."""
    key = "3132333435363738393031323334353637383930"
    enrolment = second_factor_enrol(user=alice, key=key, step=0)
    return enrolment


def password_login(user="alice", password=PASSWORD) -> Client:
    browser = Client()
    response = browser.post(reverse("login"), {"username": user, "password": password})
    assert response.status_code == 302
    return browser


def test_the_password_alone_leads_to_the_code_and_no_further(enrolled):
    browser = password_login()
    for url in [reverse("workspace:dashboard"), "/admin/", reverse("accounts:recovery_codes")]:
        response = browser.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{reverse('accounts:verify')}?next={url.replace('/', '%2F')}"
    # a form post is not carried out either
    response = browser.post(reverse("workspace:dashboard"), {"name": "Fremd AG"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:verify")
    from standortbestimmung.models import Client as ClientModel

    assert not ClientModel.objects.exists()


def test_a_code_from_the_app_signs_in_once_and_a_wrong_one_slows_down(enrolled, caplog, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # a minute after the first wrong code (1 s in production)
    browser = password_login()
    url = reverse("accounts:verify") + "?next=/beratung/"
    wrong = browser.post(url, {"code": "000000"})
    assert wrong.status_code == 400 and "nicht richtig" in wrong.content.decode()
    assert any("security second_factor_failed" in r.getMessage() for r in caplog.records)
    device = TOTPDevice.objects.get(user=enrolled.device.user)
    assert device.throttling_failure_count == 1
    throttled = browser.post(url, {"code": next_code(device)})  # right, but within the second of waiting
    assert throttled.status_code == 400 and "warten Sie" in throttled.content.decode()
    device.throttle_reset()
    code = next_code(device)
    response = browser.post(url, {"code": code, "next": "/beratung/"})
    assert response.status_code == 302 and response["Location"] == "/beratung/"
    assert browser.get(reverse("workspace:dashboard")).status_code == 200
    # the same code does not work a second time (another browser, the same password)
    again = password_login()
    assert again.post(reverse("accounts:verify"), {"code": code}).status_code == 400


def test_verifying_gives_a_new_session_id(enrolled):
    browser = password_login()
    before = browser.cookies["sessionid"].value
    browser.post(reverse("accounts:verify"), {"code": next_code(enrolled.device)})
    assert browser.cookies["sessionid"].value != before


def test_a_recovery_code_works_exactly_once(enrolled):
    code = enrolled.recovery_codes[3]
    browser = password_login()
    response = browser.post(reverse("accounts:verify"), {"code": code.upper().replace("-", " ")})
    assert response.status_code == 302
    assert RecoveryCodes.left_for(enrolled.device.user) == 9
    page = browser.get(reverse("workspace:dashboard")).content.decode()
    assert "Wiederherstellungscode" in page and "9" in page  # says how many are left
    other = password_login()
    assert other.post(reverse("accounts:verify"), {"code": code}).status_code == 400


def test_recovery_codes_are_stored_only_as_hashes(enrolled):
    stored = set(RecoveryCode.objects.values_list("digest", flat=True))
    assert len(stored) == 10
    for code in enrolled.recovery_codes:
        assert code not in stored and code.replace("-", "") not in stored


def test_the_first_sign_in_sets_up_the_app_from_a_qr_code_and_shows_recovery_codes_once(alice):
    browser = password_login()
    response = browser.get(reverse("workspace:dashboard"))
    assert response["Location"].startswith(reverse("accounts:setup"))
    before = TOTPDevice.objects.count()
    page = browser.get(response["Location"])
    assert page.status_code == 200
    assert TOTPDevice.objects.count() == before  # showing the page writes nothing
    html = page.content.decode()
    svg = re.search(r"<svg[^>]*>.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg and 'd="M' in svg
    assert "style" not in svg and "<script" not in html.split("<main", 1)[1]
    assert page["Cache-Control"] == "private, no-store"
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    key = re.search(r'name="key" value="([^"]+)"', html).group(1)
    app = pyotp.TOTP(secret)
    wrong = browser.post(reverse("accounts:setup"), {"key": key, "code": "000000"})
    assert wrong.status_code == 400 and TOTPDevice.objects.count() == before
    assert secret in wrong.content.decode().replace(" ", "")  # the same secret: the scanned code stays valid
    done = browser.post(reverse("accounts:setup"), {"key": key, "code": app.now(), "next": "/beratung/"})
    assert done.status_code == 200 and done["Cache-Control"] == "private, no-store"
    shown = re.findall(r"<li>([a-z2-7]{4}(?:-[a-z2-7]{4}){5})</li>", done.content.decode())
    assert len(shown) == 10
    assert browser.get(reverse("workspace:dashboard")).status_code == 200
    device = TOTPDevice.objects.get(user=alice)
    assert device.confirmed and pyotp.TOTP(secret).now() == app_of(device).now()


def test_a_forged_or_foreign_set_up_secret_is_refused(alice, bob):
    browser = password_login()
    page = browser.get(reverse("accounts:setup")).content.decode()
    key = re.search(r'name="key" value="([^"]+)"', page).group(1)
    # bob's page signs a secret for bob: it does not work in alice's session
    bobs = Client()
    bobs.force_login(bob)
    bobs_key = re.search(r'name="key" value="([^"]+)"', bobs.get(reverse("accounts:setup")).content.decode())
    forged = key[:-3] + ("AAA" if not key.endswith("AAA") else "BBB")
    for bad in [bobs_key.group(1), forged, ""]:
        response = browser.post(reverse("accounts:setup"), {"key": bad, "code": "123456"})
        assert response.status_code == 400
    assert not TOTPDevice.objects.exists()


def test_with_an_app_set_up_the_password_alone_cannot_set_up_another(enrolled):
    browser = password_login()
    response = browser.get(reverse("accounts:setup"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:verify"))


def test_a_signed_in_consultant_replaces_the_app_and_renews_recovery_codes(alice):
    browser = sign_in(Client(), alice)
    old = TOTPDevice.objects.get(user=alice)
    page = browser.get(reverse("accounts:setup")).content.decode()
    assert "ersetzt" in page
    key = re.search(r'name="key" value="([^"]+)"', page).group(1)
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    assert (
        browser.post(reverse("accounts:setup"), {"key": key, "code": pyotp.TOTP(secret).now()}).status_code
        == 200
    )
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert browser.get(reverse("workspace:dashboard")).status_code == 200  # signed in with the new one
    overview = browser.get(reverse("accounts:recovery_codes")).content.decode()
    assert "10 unbenutzte Wiederherstellungscodes" in overview
    first = set(RecoveryCode.objects.values_list("digest", flat=True))
    renewed = browser.post(reverse("accounts:recovery_codes"))
    assert (
        renewed.status_code == 200
        and len(re.findall(r"<li>[a-z2-7-]{29}</li>", renewed.content.decode())) == 10
    )
    assert not first & set(RecoveryCode.objects.values_list("digest", flat=True))


def test_the_admin_needs_the_second_factor_and_has_no_login_of_its_own(django_user_model):
    staff = django_user_model.objects.create_user("root", "root@example.org", PASSWORD, is_staff=True)
    staff.is_superuser = True
    staff.save()
    login_page = Client().get("/admin/login/?next=/admin/")
    assert login_page.status_code == 302 and login_page["Location"].startswith(reverse("login"))
    half = Client()
    half.force_login(staff)
    assert half.get("/admin/")["Location"].startswith(reverse("accounts:setup"))
    full = sign_in(Client(), staff)
    assert full.get("/admin/").status_code == 200
    device = TOTPDevice.objects.get(user=staff)
    change_page = full.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert change_page.status_code == 200 and device.key not in change_page.content.decode()


def test_the_reset_command_removes_a_lost_factor_and_the_running_session_must_set_up_again(enrolled, alice):
    browser = sign_in(Client(), alice)
    assert browser.get(reverse("workspace:dashboard")).status_code == 200
    call_command("reset_second_factor", "alice", verbosity=0)
    assert (
        not TOTPDevice.objects.filter(user=alice).exists()
        and not RecoveryCodes.objects.filter(user=alice).exists()
    )
    response = browser.get(reverse("workspace:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:setup"))
    with pytest.raises(CommandError, match="nothing to reset"):
        call_command("reset_second_factor", "alice", verbosity=0)
    with pytest.raises(CommandError, match="no user"):
        call_command("reset_second_factor", "nobody", verbosity=0)


def test_a_new_consultant_sets_the_password_from_the_printed_link_then_sets_up_the_app(capsys):
    call_command("create_consultant", "carla", "carla@example.org")
    link = re.search(r"http://\S+", capsys.readouterr().out).group(0)
    browser = Client()
    form = browser.get(link.split("127.0.0.1:8000", 1)[1], follow=True)
    new_password = "Neues-Passwort-2026!"
    done = browser.post(
        form.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert done.status_code == 302
    browser = password_login("carla", new_password)
    assert browser.get(reverse("workspace:dashboard"))["Location"].startswith(reverse("accounts:setup"))
    assert get_user_model().objects.get(username="carla").check_password(new_password)


def test_an_htmx_request_without_the_second_factor_is_redirected_as_a_whole_page(enrolled):
    browser = password_login()
    response = browser.get(reverse("workspace:dashboard"), headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(reverse("accounts:verify"))
