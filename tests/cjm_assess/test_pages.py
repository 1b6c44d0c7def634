import json

import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_landing_page_is_german_by_default(client, content):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "de"
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert "Wo steht Ihr Unternehmen im Customer Journey Management?" in html


def test_the_language_switch_turns_the_landing_page_english(client, content):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    response = client.get("/")
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Where does your company stand in Customer Journey Management?" in html
    assert "Wo steht Ihr Unternehmen" not in html


def test_the_landing_page_lists_the_six_fields_in_order(client, content):
    html = client.get("/").content.decode()
    positions = [
        html.index(f"field-{code}")
        for code in ["journeys", "insights", "skills", "culture", "operations", "tools"]
    ]
    assert positions == sorted(positions)


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok"}
    assert "no-cache" in response.headers["Cache-Control"]


def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.parametrize("name", ["impressum", "datenschutz", "methodology"])
def test_every_page_links_the_legal_pages(client, content, name):
    html = client.get(reverse(name)).content.decode()
    assert reverse("impressum") in html and reverse("datenschutz") in html


@override_settings(
    OPERATOR={
        "name": "Beispiel Beratung GmbH",
        "address": "Musterweg 1\n12345 Musterstadt",
        "email": "kontakt@example.org",
        "phone": "",
        "representative": "Erika Muster",
    }
)
def test_the_impressum_shows_the_operator_from_settings(client):
    html = client.get(reverse("impressum")).content.decode()
    assert "Beispiel Beratung GmbH" in html
    assert "Musterweg 1<br>12345 Musterstadt" in html
    assert "Erika Muster" in html


def test_the_impressum_says_when_the_operator_has_not_configured_it(client):
    html = client.get(reverse("impressum")).content.decode()
    assert "OPERATOR_NAME" in html


def test_an_unknown_page_gives_the_404_page_in_german(client):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


def test_a_request_id_is_returned_and_a_sane_incoming_one_is_kept(client):
    response = client.get("/healthz", headers={"X-Request-ID": "abc12345-proxy"})
    assert response.headers["X-Request-ID"] == "abc12345-proxy"
    response = client.get("/healthz", headers={"X-Request-ID": "bad id\nwith newline"})
    assert response.headers["X-Request-ID"] != "bad id\nwith newline"
    assert len(response.headers["X-Request-ID"]) == 32


def test_html_pages_carry_a_strict_content_security_policy(client, content):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


def test_the_first_visit_of_the_start_page_stays_under_150_kb_compressed(client, content):
    """The HTML and every file it loads (stylesheets, scripts, icon, and what the stylesheets pull in), gzipped
    as WhiteNoise serves them. `make bench` measures the same over HTTP, with the caching headers."""
    import gzip
    import re
    from pathlib import Path
    from urllib.parse import urljoin

    from django.conf import settings
    from django.contrib.staticfiles import finders

    html = client.get("/").content
    assets = re.findall(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"', html.decode())
    assert any(a.endswith(".css") for a in assets) and any(a.endswith(".js") for a in assets)
    total, seen = len(gzip.compress(html)), set()
    while assets:
        url = assets.pop()
        if url in seen:
            continue
        seen.add(url)
        path = finders.find(url.removeprefix(settings.STATIC_URL).split("?")[0])
        assert path, url
        body = Path(path).read_bytes()
        total += len(gzip.compress(body))
        if url.endswith(".css"):
            for ref in re.findall(r"url\(['\"]?([^'\")]+)", body.decode(errors="replace")):
                if not ref.startswith(("data:", "#")):
                    assets.append(urljoin(url, ref))
    assert 20 * 1024 < total <= 150 * 1024, f"{total / 1024:.0f} KB"  # Bootstrap alone is over 20 KB


PUBLIC_PAGES = [
    "home",
    "methodology",
    "impressum",
    "datenschutz",
    "respondent:start",
    "login",
    "password_reset",
]


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_answer_head_like_get_without_a_body(client, content, name):
    get = client.get(reverse(name))
    head = client.head(reverse(name))
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head["Content-Type"] == get["Content-Type"]


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_have_their_own_meta_description(client, content, name):
    import re

    html = client.get(reverse(name)).content.decode()
    descriptions = re.findall(r'<meta name="description"\s+content="([^"]+)"', html)
    assert len(descriptions) == 1 and len(descriptions[0]) >= 50, descriptions


def test_the_public_pages_describe_themselves_differently(client, content):
    import re

    descriptions = {
        re.search(r'<meta name="description"\s+content="([^"]+)"', client.get(reverse(n)).content.decode())[1]
        for n in PUBLIC_PAGES
    }
    assert len(descriptions) == len(PUBLIC_PAGES)


def test_html_is_compressed_for_browsers_that_accept_gzip(client, content):
    import gzip

    plain = client.get(reverse("methodology"))
    packed = client.get(reverse("methodology"), headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    html = gzip.decompress(packed.content).decode()
    assert "<h1" in html and len(packed.content) < len(plain.content) / 2
    assert 'name="csrfmiddlewaretoken"' in html


def test_the_csrf_token_in_compressed_pages_is_masked_anew_each_time(client, content):
    """BREACH needs a secret that repeats across responses; Django masks the CSRF token per response."""
    import gzip
    import re

    tokens = {
        re.search(
            r'name="csrfmiddlewaretoken" value="([^"]+)"',
            gzip.decompress(client.get("/", headers={"Accept-Encoding": "gzip"}).content).decode(),
        )[1]
        for _ in range(3)
    }
    assert len(tokens) == 3


def test_a_pdf_is_not_compressed_again_and_keeps_its_strong_etag(owned):
    browser = owned.client
    response = browser.get(owned.url("report"), headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Content-Encoding" not in response
    assert response["ETag"].startswith('"')
    again = browser.get(owned.url("report"), headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304
