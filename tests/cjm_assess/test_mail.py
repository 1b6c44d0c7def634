"""The mail module: header-safe names, links at the public address, and mails composed from settings."""

from email import message_from_bytes, message_from_string, policy

import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from cjm_assess.mail import NAME_LIMIT, compose, display_address, header_safe, public_url


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Eva Muster", "Eva Muster"),
        ("  Eva \t Muster ", "Eva Muster"),
        ("Eva\r\nBcc: victim@example.org", "Eva Bcc: victim@example.org"),
        ("Eva\nTo: x@example.org", "Eva To: x@example.org"),
        ("Eva\u2028Cc: x", "Eva Cc: x"),  # Unicode line separator
        ("Eva\u202eabc", "Eva abc"),  # right-to-left override (a format character)
        ("\x00\x1b[31mEva", "[31mEva"),
        ("Jörg Ünal-Öztürk", "Jörg Ünal-Öztürk"),
        ("x" * 200, "x" * NAME_LIMIT),
        ("", ""),
    ],
)
def test_header_safe_keeps_one_clean_line(text, expected):
    assert header_safe(text) == expected


@given(st.text(max_size=300))
def test_header_safe_never_leaves_a_line_break_or_control_character(text):
    safe = header_safe(text)
    assert len(safe) <= NAME_LIMIT
    assert not any(ch in safe for ch in "\r\n\x00\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
    assert safe == safe.strip() and "  " not in safe


@given(st.text(max_size=120))
def test_no_name_adds_a_recipient_or_a_header(name):
    header = display_address(name, "lea@example.org")
    parsed = message_from_string(f"Reply-To: {header}\n\nbody", policy=policy.default)
    addresses = parsed["Reply-To"].addresses
    assert [a.addr_spec for a in addresses] == ["lea@example.org"]
    assert list(parsed.keys()) == ["Reply-To"]


@override_settings(PUBLIC_BASE_URL="https://cjm.example.org")
def test_links_point_at_the_public_address():
    assert public_url("/r/abc/") == "https://cjm.example.org/r/abc/"


@override_settings(
    DEFAULT_FROM_EMAIL="CJM <noreply@example.org>",
    MAIL_REPLY_TO=["beratung@example.org"],
    MAIL_FOOTER="Beispiel Beratung GmbH\nMusterweg 1",
)
@pytest.mark.parametrize(
    ("language", "greeting", "subject"),
    [
        ("de", "Hallo Eva,", "Einladung zur CJM-Standortbestimmung"),
        ("en", "Hello Eva,", "Invitation to the CJM"),
    ],
)
def test_a_mail_has_sender_reply_to_footer_and_both_parts_in_its_language(language, greeting, subject):
    context = {
        "name": "Eva <b>",
        "organisation": "Muster AG",
        "consultant": "Anna Berater",
        "link": "https://cjm.example.org/r/abc/",
        "questions": 42,
        "valid_until": None,
    }
    message = compose("invitation", context, to="eva@example.org", language=language)
    parsed = message_from_bytes(message.message().as_bytes(), policy=policy.default)
    assert parsed["From"] == "CJM <noreply@example.org>"
    assert parsed["Reply-To"] == "beratung@example.org"
    assert parsed["Content-Language"] == language and parsed["Auto-Submitted"] == "auto-generated"
    assert parsed["Subject"].startswith(subject) and parsed["Subject"].endswith("Muster AG")
    text = parsed.get_body(("plain",)).get_content()
    html = parsed.get_body(("html",)).get_content()
    assert text.startswith(greeting.replace("Eva", "Eva <b>"))  # plain text is not HTML-escaped
    assert "Eva &lt;b&gt;" in html and "<b>," not in html  # HTML is
    for part in (text, html):
        assert "https://cjm.example.org/r/abc/" in part
        assert "Beispiel Beratung GmbH" in part and "Musterweg 1" in part
    assert "-- \nBeispiel Beratung GmbH\nMusterweg 1" in text
