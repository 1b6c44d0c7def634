"""One mail through a real SMTP server (aiosmtpd on loopback, started by the test), read back as received."""

import re
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.test import Client, override_settings

from outreach.models import Mail
from standortbestimmung.models import Client as ClientModel
from tests.outreach.conftest import free_port, smtp_mailer
from workspace import services

pytestmark = pytest.mark.django_db


class Collecting:
    """An SMTP handler that keeps every message it accepts."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    handler = Collecting()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


@override_settings(
    DEFAULT_FROM_EMAIL="CJM-Standortbestimmung <noreply@beratung.example>",
    MAIL_REPLY_TO=["anna@beratung.example"],
    MAIL_FOOTER="Beratung Beispiel · Musterweg 1",
    PUBLIC_BASE_URL="https://cjm.beratung.example",
)
def test_an_invitation_travels_through_a_real_smtp_server(smtp_server, alice, version):
    controller, handler = smtp_server
    client = ClientModel.objects.create(owner=alice, name="Müller & Söhne GmbH")
    workshop = services.workshop_start(client=client, version=version, language="de")
    with override_settings(MAILERS=smtp_mailer(controller.port)):
        services.participant_invite(
            assessment=workshop, name="Jörg Öztürk", email="joerg@kunde.example", by_mail=True
        )
    assert Mail.objects.get().status == Mail.Status.SENT
    [(sender, recipients, raw)] = handler.received
    assert sender == "noreply@beratung.example" and recipients == ["joerg@kunde.example"]
    message = message_from_bytes(raw, policy=policy.default)
    assert message["To"] == "joerg@kunde.example"
    assert message["From"].addresses[0].display_name == "CJM-Standortbestimmung"
    assert message["Reply-To"] == "anna@beratung.example"
    # (Python's header folding may double a space next to an encoded word when the subject is read back)
    assert (
        " ".join(message["Subject"].split()) == "Einladung zur CJM-Standortbestimmung · Müller & Söhne GmbH"
    )
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert text.startswith("Hallo Jörg Öztürk,")
    assert "Müller &amp; Söhne GmbH" in html and "Beratung Beispiel · Musterweg 1" in text
    link = re.search(r"https://cjm\.beratung\.example(/r/[A-Za-z0-9_-]{32}/)", text).group(1)
    assert link in html
    assert Client().get(link).status_code == 302  # the link in the received mail opens the assessment
