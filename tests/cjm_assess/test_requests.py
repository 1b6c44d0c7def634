"""What every request gets: a limit on its body that is checked before the body is read, no file parts, private
pages that no cache keeps, a request id on every log line, a security event for probed keys, and access logs
without the secrets of links."""

import http.client
import io
import logging
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from cjm_assess.logging import KeyValueFormatter
from standortbestimmung.models import Assessment
from tests.conftest import Respondent
from tests.test_permissions import rules, world  # noqa: F401 - the fixture is used below

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


class HugeBody:
    """A request body of `size` bytes, made as it is read: a multipart form with a wrong CSRF token and one
    file part. Counts what the server reads."""

    def __init__(self, size: int):
        head = (
            b'--b\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\nwrong\r\n'
            b'--b\r\nContent-Disposition: form-data; name="f"; filename="x.bin"\r\n'
            b"Content-Type: application/octet-stream\r\n\r\n"
        )
        self.head, self.size, self.read_bytes = head, size, 0

    def read(self, n=-1):
        left = self.size - self.read_bytes
        n = left if n is None or n < 0 else min(n, left)
        start = self.read_bytes
        self.read_bytes += n
        head = self.head[start : start + n]
        return head + b"A" * (n - len(head))

    def readline(self, limit=-1):
        return self.read(min(limit, 1024) if limit and limit > 0 else 1024)


def post_body(browser: Client, path: str, body: HugeBody):
    return browser.generic(
        "POST",
        path,
        **{
            "wsgi.input": body,
            "CONTENT_LENGTH": str(body.size),
            "CONTENT_TYPE": "multipart/form-data; boundary=b",
        },
    )


@pytest.mark.parametrize("path", ["/start/", "/konto/anmelden/", "/konto/passwort/", "/beratung/"])
def test_a_40_mb_body_is_refused_with_413_before_a_byte_is_read(content, path):
    body = HugeBody(40 * 1024 * 1024)
    response = post_body(Client(enforce_csrf_checks=True), path, body)  # the CSRF token is wrong, too
    assert response.status_code == 413
    assert "zu groß" in response.content.decode()
    assert body.read_bytes == 0
    assert Assessment.objects.count() == 0


def test_a_file_part_is_refused_where_no_page_takes_files(content):
    upload = io.BytesIO(b"A" * 100_000)
    upload.name = "x.bin"
    response = Client().post("/start/", {"organisation": "Muster AG", "language": "de", "file": upload})
    assert response.status_code == 400
    assert "keine Dateien" in response.content.decode()
    assert Assessment.objects.count() == 0
    # the same form without the file part works
    assert Client().post("/start/", {"organisation": "Muster AG", "language": "de"}).status_code == 200


def test_every_signed_in_page_and_every_personal_download_is_private_and_not_stored(world):  # noqa: F811
    checked = 0
    for name, (method, args, allowed) in rules(world).items():
        if method != "GET":
            continue
        for role in allowed:
            response = world["browsers"][role].get(reverse(name, args=args))
            assert response["Cache-Control"] == "private, no-store", (name, role)
            checked += 1
    assert checked > 30
    owner = world["browsers"]["owner"]
    for name in ["workspace:report", "workspace:export_json", "workspace:export_csv"]:
        response = owner.get(reverse(name, args=[world["self_assessment"]]))
        assert response.status_code == 200 and response["Cache-Control"] == "private, no-store", name


def test_every_django_request_log_line_carries_the_request_id(content):
    # the handler LOGGING configures: one JSON line per record on stdout
    handler = next(h for h in logging.getLogger().handlers if isinstance(h.formatter, KeyValueFormatter))
    stream = io.StringIO()
    old = handler.setStream(stream)
    try:
        response = Client().get("/gibt-es-nicht/")
    finally:
        handler.setStream(old)
    assert response.status_code == 404
    lines = [line for line in stream.getvalue().splitlines() if '"logger": "django.request"' in line]
    assert lines, stream.getvalue()
    assert all(f'"request_id": "{response["X-Request-ID"]}"' in line for line in lines)


def test_a_probe_of_a_participant_key_is_a_security_event(version, caplog):
    caplog.set_level(logging.INFO)
    respondent = Respondent(Client(), version)
    assert Client(REMOTE_ADDR="203.0.113.30").get(respondent.url("summary")).status_code == 404
    events = [r.getMessage() for r in caplog.records if r.name == "cjm.security"]
    assert any("foreign_participant" in e and "ip=203.0.113.30" in e for e in events)
    assert not any(str(respondent.key) in e for e in events)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, headers: dict | None = None) -> tuple[int, bytes]:
    """A GET to the server on this port: status and body (0 while it does not answer yet)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    except OSError:
        return 0, b""
    finally:
        connection.close()


def test_the_shipped_gunicorn_config_keeps_link_secrets_out_of_the_access_log(tmp_path):
    port = free_port()
    secret = "S3cr3tS3cr3tS3cr3tS3cr3tS3cr3tAB"
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
    }
    log = open(tmp_path / "gunicorn.log", "w+")  # noqa: SIM115 - read after the server stopped
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "cjm_assess.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.time() + 60
        while get(port, "/healthz")[0] != 200:
            assert time.time() < deadline, "gunicorn did not start"
            time.sleep(0.3)
        for path in [f"/r/{secret}/", f"/konto/passwort/MQ/{secret}/", f"/r/{secret}/?lang=de"]:
            # whatever the answer (the database here is empty), the request is logged
            get(port, path, {"Referer": f"https://x.example/r/{secret}/"})
    finally:
        server.terminate()
        server.wait(timeout=30)
    log.seek(0)
    output = log.read()
    access = [line for line in output.splitlines() if "/r/" in line or "/konto/passwort/" in line]
    assert len([line for line in access if "[redacted]" in line]) >= 3, output
    assert secret not in output
    assert re.search(r'"GET /r/\[redacted\]/ HTTP/1.1" \d{3}', output), output
