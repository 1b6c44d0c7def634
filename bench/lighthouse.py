"""`make lighthouse`: Lighthouse's four category scores for the main pages, on desktop and on a phone.

Serves the app as in production (gunicorn, DEBUG off, collected and compressed static files, a throw-away
SQLite database with the content, a finished self-assessment and a consultant's workshop), then runs
Lighthouse 12.2.3 (npm, from node_modules) against each page in Debian's Chromium: desktop preset and the
default mobile emulation. Pages behind a session are reached with the session cookie in the browser's own
cookie store (Lighthouse clears caches before each run, not cookies); a Cookie header (--extra-headers) would
be dropped as soon as the site sets a cookie of its own. The respondent uses localhost, the consultant
127.0.0.1: two sites, two sessions. Prints one table; the target is 95 in every category. Performance depends
on the machine's load (printed with the table): on a busy shared machine it drops while the other three do
not. Exits 1 when accessibility, best practices or SEO miss 95.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from run import ROOT, SECOND_FACTOR, Browser, free_port, wait_until_up

PY = sys.executable  # make lighthouse runs this with the project's virtualenv

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME = shutil.which("chromium") or "/usr/bin/chromium"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGET = 95
SERVER_LOG = ROOT / "var" / "lighthouse" / "server.log"  # kept, with the JSON reports (var/ is not tracked)

SEED = """
import json
from django.contrib.auth import get_user_model
from respondent.services import participant_finish, self_assessment_start
from standortbestimmung.answering import answers_save
from standortbestimmung.models import Client, Question
from standortbestimmung.versions import current_version
from workspace.services import participant_invite, workshop_start
version = current_version()
qs = list(Question.objects.filter(field__version=version).prefetch_related('options'))
link = self_assessment_start(version=version, organisation='Muster Versicherung AG')
answers_save(participant=link.participant, answers={q: q.options.get(level=1 + q.position % 4) for q in qs})
participant_finish(participant=link.participant)
answering = self_assessment_start(version=version, organisation='Muster Versicherung AG')
answers_save(participant=answering.participant, answers={q: q.options.get(level=2) for q in qs[:10]})
user = get_user_model().objects.create_user('lighthouse', 'l@example.org', 'lighthouse-password-1')
workshop = workshop_start(client=Client.objects.create(owner=user, name='Muster AG'), version=version)
for i, name in enumerate(['Anna', 'Bert', 'Cem']):
    person = participant_invite(assessment=workshop, name=name).participant
    answers_save(participant=person, answers={q: q.options.get(level=1 + (i + q.position) % 4) for q in qs})
    participant_finish(participant=person)
print(json.dumps({
    'token': link.token, 'key': str(link.participant.key), 'workshop': str(workshop.key),
    'answering_token': answering.token, 'answering_key': str(answering.participant.key),
}))
"""


def manage(env, *args) -> str:
    return subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def chromium(profile: Path, cookies: list[dict]) -> tuple[subprocess.Popen, int]:
    """Headless Chromium with a debugging port for Lighthouse, its cookie store holding the sessions."""

    port = free_port()
    browser = subprocess.Popen(
        [
            CHROME,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            f"--remote-debugging-port={port}",
            f"--user-data-dir={profile}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/json/version")
            break
        except OSError:
            time.sleep(0.1)
    set_cookies(port, cookies)
    return browser, port


def set_cookies(port: int, cookies: list[dict]) -> None:
    """Puts cookies into the running Chromium's store (a cookie of the same name and site is replaced)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        playwright.chromium.connect_over_cdp(f"http://127.0.0.1:{port}").contexts[0].add_cookies(cookies)


def lighthouse(url: str, preset: str, port: int, out: Path) -> dict[str, int]:
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        f"--port={port}",
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    subprocess.run(command, timeout=300)
    report = json.loads(out.read_text()) if out.exists() else {}
    if "categories" not in report or report.get("runtimeError"):
        server_log = SERVER_LOG.read_text()[-3000:] if SERVER_LOG.exists() else ""
        sys.exit(f"{url}: {report.get('runtimeError', {}).get('message', 'no report')}\n{server_log}")
    return {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}


def main() -> None:
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is missing: `make lighthouse` installs it (npm ci).")
    work = Path(tempfile.mkdtemp(prefix="cjm-lighthouse."))
    port = free_port()
    base, consultant_base = f"http://localhost:{port}", f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "lighthouse-" + "x" * 50,
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": f"sqlite:///{work}/db.sqlite3",
        "LOG_LEVEL": "WARNING",
    }
    server = browser = None
    rows = []
    SERVER_LOG.parent.mkdir(parents=True, exist_ok=True)
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "load_content")
        manage(env, "collectstatic", "--noinput")
        seeded = json.loads(manage(env, "shell", "-v", "0", "-c", SEED).strip().splitlines()[-1])
        log = SERVER_LOG.open("w")
        server = subprocess.Popen(
            [PY, "-m", "gunicorn", "cjm_assess.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=log,
        )
        wait_until_up(base)
        # opening a personal link starts a new session, so each self-assessment has a browser session of its
        # own, put into Chromium's cookie store before its page is judged
        respondent = Browser(base)
        respondent.get(f"/r/{seeded['token']}/")
        answering = Browser(base)
        answering.get(f"/r/{seeded['answering_token']}/")
        consultant = Browser(consultant_base)
        consultant.get("/konto/anmelden/")
        consultant.post(
            "/konto/anmelden/",
            {
                "username": "lighthouse",
                "password": "lighthouse-password-1",
                "csrfmiddlewaretoken": consultant.csrf(),
            },
        )
        code = manage(env, "shell", "-v", "0", "-c", "USERNAME = 'lighthouse'\n" + SECOND_FACTOR)
        consultant.post(
            "/konto/bestaetigen/",
            {"code": code.strip().splitlines()[-1], "csrfmiddlewaretoken": consultant.csrf()},
        )

        def session_of(site, browser):
            return [
                {"name": c.name, "value": c.value, "url": site} for c in browser.jar if c.name == "sessionid"
            ]

        browser, debugging_port = chromium(
            work / "profile", session_of(base, respondent) + session_of(consultant_base, consultant)
        )
        pages = [
            ("start page", base + "/", respondent),
            ("self-assessment: start", base + "/start/", respondent),
            ("method", base + "/methodik/", respondent),
            ("question step", f"{base}/a/{seeded['answering_key']}/feld/insights/", answering),
            ("result", f"{base}/a/{seeded['key']}/ergebnis/", respondent),
            ("workshop (consultant)", f"{consultant_base}/beratung/s/{seeded['workshop']}/", consultant),
        ]
        reports = SERVER_LOG.parent
        for name, url, holder in pages:
            if holder is not consultant:
                set_cookies(debugging_port, session_of(base, holder))
            for preset in ("desktop", "mobile"):
                out = reports / f"{name.split()[0].strip(':')}-{len(rows) // 2}-{preset}.json"
                scores = lighthouse(url, preset, debugging_port, out)
                rows.append((name, preset, scores))
                print(
                    f"  {name:<26} {preset:<8} " + "  ".join(f"{scores[c]:>3}" for c in CATEGORIES),
                    flush=True,
                )
    finally:
        for process in (browser, server):
            if process:
                process.terminate()
                process.wait(10)
        shutil.rmtree(work, ignore_errors=True)
    load = os.getloadavg()[0]
    print(f"\nLighthouse 12.2.3, Chromium headless; load average {load:.1f} on {os.cpu_count()} cores")
    print(f"{'page':<26} {'device':<8} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5}")
    missed = []
    for name, preset, scores in rows:
        print(f"{name:<26} {preset:<8} " + "".join(f"{scores[c]:>6}" for c in CATEGORIES))
        missed += [(name, preset, c) for c in CATEGORIES if scores[c] < TARGET]
    lowest = {c: min(s[c] for _n, _p, s in rows) for c in CATEGORIES}
    print("lowest: " + ", ".join(f"{c} {v}" for c, v in lowest.items()) + f" (target ≥ {TARGET} each)")
    if any(c != "performance" for _n, _p, c in missed):
        sys.exit(1)


if __name__ == "__main__":
    main()
