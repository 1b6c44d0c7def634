"""Read-only share links: the result and its PDF for colleagues, revocable, expiring, stored as a hash."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from outreach.models import ShareLink
from standortbestimmung import access

pytestmark = pytest.mark.django_db


def share(respondent) -> str:
    """Makes a share link on the respondent's page and returns the path it showed (once)."""
    response = respondent.client.post(respondent.url("share"))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    url = response.content.decode().split('id="share-link"')[1].split('value="')[1].split('"')[0]
    return url.split("127.0.0.1:8000")[1]


def test_a_share_link_shows_the_result_read_only_and_the_pdf(asker):
    path = share(asker)
    token = path.split("/")[2]
    link = ShareLink.objects.get()
    assert link.token_hash == access.token_hash(token) and token not in link.token_hash  # only the hash
    reader = Client()
    page = reader.get(path)
    assert page.status_code == 200 and page["Referrer-Policy"] == "no-referrer"
    html = page.content.decode()
    assert "level-badge" in html and 'class="radar"' in html
    assert "<form" not in html.split('id="main"')[1].split("</main>")[0]  # nothing to answer or change
    assert str(asker.key) not in html  # nothing leads to the respondent's own pages
    pdf = reader.get(path + "bericht.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = PdfReader(BytesIO(pdf.content)).pages[0].extract_text()
    assert "Muster AG" in text
    assert reader.get(reverse("respondent:result", args=[asker.key])).status_code == 404  # no way in further


def test_a_revoked_or_expired_link_or_a_reopened_result_no_longer_opens(asker):
    first, second, third = share(asker), share(asker), share(asker)
    listing = asker.client.get(asker.url("share")).content.decode()
    assert listing.count("widerrufen/") == 3 and first not in listing  # secrets are never shown again
    revoke = reverse("respondent:share_revoke", args=[asker.key, ShareLink.objects.order_by("pk").first().pk])
    assert asker.client.post(revoke).status_code == 302
    assert Client().get(first).status_code == 404
    ShareLink.objects.filter(pk=ShareLink.objects.order_by("pk")[1].pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert Client().get(second).status_code == 404
    assert Client().get(third).status_code == 200
    asker.client.post(asker.url("reopen"))  # answers being changed: nothing to show until finished again
    assert Client().get(third).status_code == 404


def test_share_links_are_refused_before_the_assessment_is_finished(client, version):
    from tests.conftest import Respondent

    respondent = Respondent(client, version)
    assert respondent.client.post(respondent.url("share")).status_code == 400
    assert not ShareLink.objects.exists()


def test_another_respondents_share_link_cannot_be_revoked(asker, version):
    from tests.conftest import Respondent
    from tests.outreach.conftest import finish

    share(asker)
    other = finish(Respondent(Client(), version))
    link = ShareLink.objects.get()
    response = other.client.post(reverse("respondent:share_revoke", args=[other.key, link.pk]))
    assert response.status_code == 404 and ShareLink.objects.get().revoked_at is None


@override_settings(BAD_LINKS_PER_IP_PER_HOUR=3)
def test_guessing_share_links_is_rate_limited():
    guesser = Client()
    for i in range(3):
        assert guesser.get(reverse("outreach:shared", args=[f"{i}" * 32])).status_code == 404
    assert guesser.get(reverse("outreach:shared", args=["x" * 32])).status_code == 429
