"""The client's address, in one place, for login lock-outs, every rate limit and the security log: directly,
and behind TRUSTED_PROXIES proxies that append to X-Forwarded-For, whatever a client writes into that header."""

import logging

import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from cjm_assess.logging import KeyValueFormatter
from cjm_assess.security import axes_client_ip, client_ip

PROXY = "10.0.0.2"  # the reverse proxy's own address: what the app sees as REMOTE_ADDR behind it


def request_from(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "client"),
    [
        # reached directly: the header is the client's own invention
        (0, "203.0.113.7", None, "203.0.113.7"),
        (0, "203.0.113.7", "6.6.6.6", "203.0.113.7"),
        # one proxy: it appends the address it saw, the rightmost entry
        (1, PROXY, "203.0.113.7", "203.0.113.7"),
        (1, PROXY, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # a forged entry in front is ignored
        (1, PROXY, "garbage, 203.0.113.7", "203.0.113.7"),
        (1, PROXY, "192.168.1.20", "192.168.1.20"),  # an intranet client is a client too
        (1, PROXY, "2001:db8::7", "2001:db8::7"),
        (1, PROXY, None, PROXY),  # did not pass the proxy (a health check on the host): its own address
        (1, PROXY, "", PROXY),
        # two proxies (a load balancer, then nginx): the second entry from the right
        (2, PROXY, "203.0.113.7, 10.0.0.1", "203.0.113.7"),
        (2, PROXY, "6.6.6.6, 203.0.113.7, 10.0.0.1", "203.0.113.7"),
    ],
)
def test_the_client_is_the_address_the_trusted_proxies_saw(settings, proxies, remote, forwarded, client):
    settings.TRUSTED_PROXIES = proxies
    assert client_ip(request_from(remote, forwarded)) == client


def forged(real: str) -> dict:
    """A request through one proxy whose client claims to be 6.6.6.6."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"6.6.6.6, {real}"}


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=1, AXES_FAILURE_LIMIT=3)
def test_behind_a_proxy_wrong_passwords_lock_out_the_guesser_not_everyone(django_user_model):
    django_user_model.objects.create_user("alice", "alice@example.org", "alice-secret-password")
    django_user_model.objects.create_user("bob", "bob@example.org", "bob-secret-password")
    guesser = Client(**forged("203.0.113.66"))
    for name, status in [
        ("carla", 200),
        ("dora", 200),
        ("emil", 429),
    ]:  # other accounts: the address is locked
        assert guesser.post(reverse("login"), {"username": name, "password": "x"}).status_code == status
    assert (
        guesser.post(reverse("login"), {"username": "bob", "password": "bob-secret-password"}).status_code
        == 429
    )
    # everyone else behind the same proxy still signs in, also a client who forges the same 6.6.6.6
    colleague = Client(**forged("198.51.100.9"))
    response = colleague.post(reverse("login"), {"username": "alice", "password": "alice-secret-password"})
    assert response.status_code == 302


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=0, AXES_FAILURE_LIMIT=3)
def test_directly_reached_a_forged_header_does_not_escape_the_lock_out(django_user_model):
    for i, (name, status) in enumerate([("carla", 200), ("dora", 200), ("emil", 429)]):
        attacker = Client(REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR=f"10.1.1.{i}")
        assert attacker.post(reverse("login"), {"username": name, "password": "x"}).status_code == status
    again = Client(REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert again.post(reverse("login"), {"username": "fritz", "password": "x"}).status_code == 429


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=1, BAD_LINKS_PER_IP_PER_HOUR=2)
def test_behind_a_proxy_the_bad_link_limit_and_the_log_count_the_real_client(content, caplog):
    caplog.set_level(logging.INFO)
    guesser = Client(**forged("203.0.113.66"))
    for i in range(2):
        assert guesser.get(reverse("respondent:resume", args=[f"{i:0>32}"])).status_code == 404
    assert guesser.get(reverse("respondent:resume", args=["Z" * 32])).status_code == 302  # to the 429 page
    other = Client(**forged("198.51.100.9"))
    assert (
        other.get(reverse("respondent:resume", args=["Y" * 32])).status_code == 404
    )  # not the guesser's limit
    lines = [KeyValueFormatter().format(r) for r in caplog.records if r.name == "cjm.security"]
    assert any("bad_link" in line and "ip=203.0.113.66" in line for line in lines)
    assert any("rate_limited" in line and "ip=203.0.113.66" in line for line in lines)
    assert not any("6.6.6.6" in line or PROXY in line for line in lines)


def test_axes_gets_no_address_rather_than_a_dash_its_ip_column_would_refuse():
    from django.http import HttpRequest

    assert axes_client_ip(HttpRequest()) is None  # what force_login builds: no REMOTE_ADDR
    assert axes_client_ip(request_from("203.0.113.9")) == "203.0.113.9"
