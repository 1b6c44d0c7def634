"""Limits on what costs the server: fresh PDF renders per person and per address, new self-assessments per
address, wrong personal links (also pasted to claim one) per address; each a 429 with a message that says what
to do, while what is cached stays free."""

import logging
import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from roadmap.models import Report
from standortbestimmung.models import Answer, Assessment
from standortbestimmung.models import Client as ClientModel
from tests.conftest import Respondent, sign_in

pytestmark = pytest.mark.django_db


def finished(version, address: str) -> Respondent:
    respondent = Respondent(Client(REMOTE_ADDR=address), version)
    respondent.answer_all(lambda code: 2)
    respondent.client.post(respondent.url("summary"))
    return respondent


def change_an_answer(respondent: Respondent) -> None:
    """Something the report shows changes (as after reopening and answering again)."""
    answer = Answer.objects.filter(participant=respondent.participant).first()
    answer.option = answer.question.options.get(level=3)
    answer.save()


@override_settings(REPORT_RENDERS_PER_PERSON_PER_HOUR=2, REPORT_RENDERS_PER_IP_PER_HOUR=100)
def test_fresh_renders_are_limited_per_person_and_cached_downloads_stay_free(version, alice, caplog):
    respondent = finished(version, "203.0.113.10")
    url = respondent.url("report")
    assert respondent.client.get(url).status_code == 200  # render 1
    assert respondent.client.get(url + "?lang=en").status_code == 200  # render 2
    for _ in range(3):
        assert respondent.client.get(url).status_code == 200  # from the cache, as often as wanted
    change_an_answer(respondent)
    reports = list(Report.objects.values_list("pk", "digest"))
    refused = respondent.client.get(url)
    assert refused.status_code == 429
    assert "Berichte" in refused.content.decode() and "bleiben verfügbar" in refused.content.decode()
    assert list(Report.objects.values_list("pk", "digest")) == reports  # nothing rendered
    assert any(
        "rate_limited" in r.getMessage() and "report_renders" in r.getMessage() for r in caplog.records
    )
    # the consultant who owns it is another person
    Assessment.objects.filter(pk=respondent.participant.assessment_id).update(owner=alice)
    consultant = sign_in(Client(REMOTE_ADDR="198.51.100.20"), alice)
    assessment_key = respondent.participant.assessment.key
    assert consultant.get(reverse("workspace:report", args=[assessment_key])).status_code == 200


@override_settings(REPORT_RENDERS_PER_PERSON_PER_HOUR=100, REPORT_RENDERS_PER_IP_PER_HOUR=1)
def test_fresh_renders_are_limited_per_address(version):
    first = finished(version, "203.0.113.11")
    second = finished(version, "203.0.113.11")
    elsewhere = finished(version, "198.51.100.11")
    assert first.client.get(first.url("report")).status_code == 200
    assert second.client.get(second.url("report")).status_code == 429
    assert elsewhere.client.get(elsewhere.url("report")).status_code == 200
    assert first.client.get(first.url("report")).status_code == 200  # cached: free


@override_settings(SELF_ASSESSMENTS_PER_IP_PER_HOUR=2)
def test_new_self_assessments_are_limited_per_address(version):
    data = {"organisation": "Muster AG", "respondent_name": "", "language": "de"}
    browser = Client(REMOTE_ADDR="203.0.113.12")
    for _ in range(2):
        assert browser.post("/start/", data).status_code == 200
    refused = browser.post("/start/", data)
    assert refused.status_code == 429 and "persönlichen Link" in refused.content.decode()
    assert Assessment.objects.count() == 2
    assert browser.post("/start/", {"language": "fr"}).status_code == 400  # a bad form costs nothing
    assert Client(REMOTE_ADDR="198.51.100.12").post("/start/", data).status_code == 200


@override_settings(BAD_LINKS_PER_IP_PER_HOUR=2)
def test_wrong_links_pasted_to_claim_count_for_the_bad_link_limit(version, alice, caplog):
    caplog.set_level(logging.INFO)
    respondent = finished(version, "198.51.100.13")
    client_org = ClientModel.objects.create(owner=alice, name="Muster AG")
    consultant = sign_in(Client(REMOTE_ADDR="203.0.113.13"), alice)
    url = reverse("workspace:claim", args=[client_org.pk])
    for i in range(2):
        assert consultant.post(url, {"link": f"https://cjm.example.org/r/{i:0>32}/"}).status_code == 400
    assert (
        consultant.post(url, {"link": f"/r/{respondent.token}/"}).status_code == 429
    )  # even a right one now
    opened = Client(REMOTE_ADDR="203.0.113.13").get(reverse("respondent:resume", args=[respondent.token]))
    assert opened["Location"] == reverse("respondent:links_paused")  # opening links from there is paused too
    assert Assessment.objects.get().client is None
    assert any("bad_link" in r.getMessage() and "where=claim" in r.getMessage() for r in caplog.records)
    other = sign_in(Client(REMOTE_ADDR="198.51.100.14"), alice)
    assert other.post(url, {"link": f"/r/{respondent.token}/"}).status_code == 302


@override_settings(BAD_LINKS_PER_IP_PER_HOUR=1)
def test_a_rate_limited_link_leaves_the_address_bar_and_the_language_form(version):
    respondent = finished(version, "198.51.100.15")
    guesser = Client(REMOTE_ADDR="203.0.113.15")
    assert guesser.get(reverse("respondent:resume", args=["B" * 32])).status_code == 404
    response = guesser.get(reverse("respondent:resume", args=[respondent.token]), follow=True)
    assert response.status_code == 429
    assert response.redirect_chain == [(reverse("respondent:links_paused"), 302)]
    html = response.content.decode()
    assert respondent.token not in html
    assert re.search(r'name="next" value="([^"]*)"', html).group(1) == reverse("respondent:links_paused")
    # without a limit reached, the tokenless address leads to the start page
    assert Client(REMOTE_ADDR="198.51.100.16").get(reverse("respondent:links_paused"))["Location"] == "/"


def test_a_daily_limit_keeps_counting_while_hourly_limits_clean_up_their_old_windows():
    from cjm_assess.ratelimit import over_limit

    daily = {"limit": 2, "window_seconds": 86400}
    assert not over_limit("contact-address:x", **daily)
    assert not over_limit("start:127.0.0.1", limit=20, window_seconds=3600)  # cleans up what is stale
    assert not over_limit("contact-address:x", **daily)
    assert not over_limit("start:127.0.0.1", limit=20, window_seconds=3600)
    assert over_limit("contact-address:x", **daily)  # the third of the day, whatever ran in between
