"""`make bench`: every user-facing path against the framework floor, measured in the same run.

Starts PostgreSQL (from the Debian binaries, like CI) and the app under gunicorn (one sync worker, production
settings) on loopback, pins server and load generator to different cores, and prints one table with medians and
p95 over repeated runs, each next to its baseline and goal. Then the same for the peer, django-survey-and-report
with the same questionnaire (bench/peer/), after the app's server has stopped.
"""

import gzip
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

from peer.environment import PeerUnavailable, peer_python
from peer.environment import versions as peer_versions

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
RENDERS = int(os.environ.get("BENCH_RENDERS", "100"))
SCALE = int(os.environ.get("BENCH_SCALE", "10000"))
# A comma-separated subset of the parts (pages, weight, workshop, live, scale, report, peer) for quicker runs.
ONLY = set(filter(None, os.environ.get("BENCH_ONLY", "").split(","))) or {
    "pages",
    "weight",
    "workshop",
    "live",
    "scale",
    "report",
    "peer",
}
CORES = os.cpu_count() or 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pinned(core: int, command: list[str]) -> list[str]:
    return ["taskset", "-c", str(core % CORES), *command] if shutil.which("taskset") else command


class Postgres:
    def __init__(self):
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
        if not bins:
            sys.exit("PostgreSQL server binaries are missing (apt-get install postgresql).")
        self.bin = bins[-1]
        self.dir = Path(tempfile.mkdtemp(prefix="cjm-bench-pg."))
        self.port = free_port()
        shutil.chown(self.dir, "postgres")
        self.su(f"{self.bin}/initdb -D {self.dir}/data -U postgres --auth=trust --no-sync -E UTF8")
        self.su(
            f"{self.bin}/pg_ctl -D {self.dir}/data -w -l {self.dir}/log start -o '-k {self.dir} "
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off'"
        )
        self.su(f"{self.bin}/createdb -h 127.0.0.1 -p {self.port} cjm")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/cjm"

    @staticmethod
    def su(command: str) -> None:
        subprocess.run(["su", "postgres", "-c", command], check=True, capture_output=True)

    def stop(self) -> None:
        subprocess.run(
            ["su", "postgres", "-c", f"{self.bin}/pg_ctl -D {self.dir}/data -m immediate stop"],
            capture_output=True,
        )
        shutil.rmtree(self.dir, ignore_errors=True)


def django(env, code: str) -> str:
    """Runs code with Django set up against the benchmark database; returns what it prints."""
    prelude = "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'cjm_assess.settings'); django.setup()\n"
    out = subprocess.run(
        [PY, "-c", prelude + code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""


def manage(env, *args) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)


WRK_SCRIPT = """
-- POST bodies separated by "|" are sent in turn (an autosave that really changes the answer each time).
local bodies = {}
for body in string.gmatch(os.getenv("WRK_BODY") or "", "[^|]+") do table.insert(bodies, body) end
local sent = 0
if #bodies > 0 then
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  request = function()
    sent = sent + 1
    return wrk.format(nil, nil, nil, bodies[sent % #bodies + 1])
  end
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %f %f %d %d\\n", summary.requests / (summary.duration / 1e6),
                         latency:percentile(95) / 1000, summary.errors.status + summary.errors.connect,
                         summary.requests))
end
"""


def measured_server(gunicorn: Path, app: str, port: int, cwd: Path, env: dict, stderr=subprocess.DEVNULL):
    """A server as the rows measure it: one sync worker pinned to core 0, no access log, and no worker recycling
    (our gunicorn.conf.py, read from the working directory, replaces a worker every ~1,000 requests, which at
    these rates is every second: the rows would time the restarts)."""
    command = [str(gunicorn), app, "-w", "1", "-b", f"127.0.0.1:{port}", "--access-logfile", "/dev/null"]
    return subprocess.Popen(
        pinned(0, [*command, "--max-requests", "0"]),
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
    )


def wait_until_up(base: str) -> bool:
    """Waits up to 10 s for the server's health check to answer; whether it did."""
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz")
            return True
        except OSError:
            time.sleep(0.1)
    return False


def drain(url: str) -> None:
    """Waits until the server has answered what wrk left queued when it stopped (up to one request per
    connection at a single sync worker): one more request, answered only after all of them."""
    parts = urllib.parse.urlsplit(url)
    with urllib.request.urlopen(f"{parts.scheme}://{parts.netloc}/healthz", timeout=120) as response:
        response.read()


def wrk(url: str, cookie: str = "", body: str = "", extra_headers=(), connections: int = 10, answered=None):
    """Median req/s and p95 ms over RUNS runs (after a warm-up), with errors; each run starts on an idle server.
    A list given as `answered` gets the number of requests answered in all runs, the warm-up included."""
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(WRK_SCRIPT)
    headers = [*(["-H", f"Cookie: {cookie}"] if cookie else []), *sum((["-H", h] for h in extra_headers), [])]
    env = {**os.environ, "WRK_BODY": body}
    base = ["wrk", "-t1", f"-c{connections}", "-s", str(script), *headers, url]
    warm_up = subprocess.run(
        pinned(1, [*base[:3], "-d2s", *base[3:]]), env=env, capture_output=True, text=True
    )
    counts = [int(m.group(1)) for m in re.finditer(r"RESULT [\d.]+ [\d.]+ \d+ (\d+)", warm_up.stdout)]
    rates, p95s, errors = [], [], 0
    for _ in range(RUNS):
        drain(url)
        out = subprocess.run(
            pinned(1, [*base[:3], f"-d{SECONDS}s", *base[3:]]), env=env, capture_output=True, text=True
        ).stdout
        match = re.search(r"RESULT ([\d.]+) ([\d.]+) (\d+) (\d+)", out)
        rates.append(float(match.group(1)))
        p95s.append(float(match.group(2)))
        errors += int(match.group(3))
        counts.append(int(match.group(4)))
    drain(url)
    if answered is not None:
        answered.append(sum(counts))
    return statistics.median(rates), statistics.median(p95s), errors


class Browser:
    """Just enough of a browser to hold a session and a CSRF token."""

    def __init__(self, base: str):
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        return self.opener.open(self.base + path).read().decode(errors="replace")

    def post(self, path: str, data: dict) -> str:
        """Sends a form; returns the address it ended on (after redirects)."""
        return self.opener.open(
            urllib.request.Request(
                self.base + path,
                data=urllib.parse.urlencode(data).encode(),
                headers={"Referer": self.base + path},
            )
        ).geturl()

    @property
    def cookie(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")


def main() -> None:
    for tool in ("wrk",):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing (apt-get install {tool}); `make bench` installs it.")
    started = time.time()
    pg = Postgres()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "BENCHMARK_VIEWS": "1",
        "DATABASE_URL": pg.url + os.environ.get("BENCH_DB_QUERY", ""),
        "BAD_LINKS_PER_IP_PER_HOUR": "100000",
        "LOG_LEVEL": "WARNING",
        "INVITATIONS_PER_CONSULTANT_PER_HOUR": "100000",
        # the rows measure requests; a worker rendering reports behind them would move every figure
        "REPORT_PRERENDER": "0",
    }
    server = None
    rows = []
    notes = []
    ours = {}  # our rows that get the peer's figure beside them: peer row key -> (row index, req/s)
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "load_content")
        manage(env, "collectstatic", "--noinput")
        manage(
            env,
            "generate_demo_data",
            "--assessments",
            "100",
            "--consultant",
            "demo",
            "--password",
            DEMO_PASSWORD,
        )
        seeded = json.loads(django(env, SEED))
        server = measured_server(ROOT / ".venv/bin/gunicorn", "cjm_assess.wsgi", port, ROOT, env)
        wait_until_up(base)
        me = Browser(base)
        me.get(f"/r/{seeded['token']}/")
        step = f"/a/{seeded['key']}/feld/journeys/"
        me.get(step)
        floor, floor_p95, _e = wrk(base + "/bench/trivial/")
        rows.append(
            (
                "trivial view, same middleware (baseline)",
                f"{floor:.0f} req/s",
                f"p95 {floor_p95:.1f} ms",
                "",
                "",
            )
        )

        def page(name, path, goal_share, body="", headers=()):
            rate, p95, errors = wrk(base + path, me.cookie, body, headers)
            share = rate / floor
            rows.append(
                (
                    name,
                    f"{rate:.0f} req/s",
                    f"p95 {p95:.1f} ms, {errors} errors",
                    f"{share:.0%} of baseline",
                    f"≥ {goal_share:.0%}: {'met' if share >= goal_share else 'MISSED'}",
                )
            )
            return len(rows) - 1, rate

        if "weight" in ONLY:
            rows.append(page_weight(base))
        if "pages" in ONLY:
            ours = pages(page, me, seeded, base, step)
            rows.append(benchmark_queries(env, seeded))
        peer_at = len(rows)
        if "workshop" in ONLY:
            rows.append(workshop(env, base, think="0.5-1.5"))
            rows.append(workshop(env, base, think="0"))
        if "live" in ONLY:
            rows.append(live_workshop(env, base))
        if "scale" in ONLY:
            rows.extend(scale(env, base, floor))
        # the peer only once our server has stopped: never both under load at once
        server.terminate()
        server.wait(10)
        server = None
        if "peer" in ONLY:
            rows[peer_at:peer_at] = peer(pg, rows, ours, notes)
    finally:
        if server:
            server.terminate()
            server.wait(10)
        pg.stop()
    if "report" in ONLY:
        rows.extend(report_rows())
    print_table(rows, time.time() - started, notes)


def pages(page, me, seeded, base, step) -> dict:
    """The participant's pages: a question step, the autosave, the result and the cached PDF. Returns the
    rows the peer is compared with."""
    ours = {"get": page("question step page (GET)", step, 0.20)}
    body = "|".join(
        urllib.parse.urlencode({f"q{seeded['question']}": option, "csrfmiddlewaretoken": me.csrf()})
        for option in seeded["options"]
    )
    ours["post"] = page(
        "autosave of one answer (POST)",
        f"/a/{seeded['key']}/antwort/",
        0.35,
        body,
        [f"X-CSRFToken: {me.csrf()}", "HX-Request: true", f"Referer: {base}{step}"],
    )
    me.post(f"/a/{seeded['key']}/abschluss/", {"csrfmiddlewaretoken": me.csrf()})
    page("result page with radar, roadmap preview and benchmark", f"/a/{seeded['key']}/ergebnis/", 0.15)
    me.get(f"/a/{seeded['key']}/bericht.pdf")  # render once, then it is cached
    page("PDF download, cached", f"/a/{seeded['key']}/bericht.pdf", 0.50)
    return ours


BENCHMARK_QUERIES = """
from django.db import connection
from django.test.utils import CaptureQueriesContext
from market.presentation import benchmark_of
from standortbestimmung.models import Participant
from standortbestimmung.result import participant_result
participant = Participant.objects.select_related('assessment').get(key='{key}')
profile = participant_result(participant).profile
with CaptureQueriesContext(connection) as captured:
    benchmark = benchmark_of(participant.assessment, profile)
print(len(captured), benchmark.basis or 'none', benchmark.rows[0].figure.n if benchmark.basis else 0)
"""


def benchmark_queries(env, seeded) -> tuple:
    """What the benchmark adds to the result page: its queries (the page above is measured with it)."""
    queries, basis, n = django(env, BENCHMARK_QUERIES.format(key=seeded["key"])).split()
    return (
        "result page: queries the benchmark adds",
        f"{queries} queries",
        f"cohort: {basis}, {n} results",
        "",
        f"≤ 2 extra queries: {'met' if int(queries) <= 2 else 'MISSED'}",
    )


def page_weight(base: str) -> tuple:
    """Bytes a first visit of the start page transfers (HTML and everything it loads, compressed as a
    browser asks for it), and whether the hashed static files may be cached for a year or more."""
    headers = {"Accept-Encoding": "br, gzip", "Accept-Language": "de"}

    def fetch(url: str) -> tuple[bytes, dict]:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
            return response.read(), dict(response.headers)

    html, html_headers = fetch(base + "/")
    # the HTML comes gzipped (cjm_assess.compression): counted as sent, read unpacked
    text = gzip.decompress(html) if html_headers.get("Content-Encoding") == "gzip" else html
    assets = re.findall(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"', text.decode())
    total, cached, seen = len(html), True, set()
    while assets:
        path = assets.pop()
        if path in seen:
            continue
        seen.add(path)
        body, asset_headers = fetch(base + path)
        total += len(body)
        age = re.search(r"max-age=(\d+)", asset_headers.get("Cache-Control", ""))
        cached &= bool(age) and int(age.group(1)) >= 365 * 24 * 3600
        if path.endswith(".css"):  # fonts and images the stylesheet pulls in
            plain, _h = fetch_plain(base + path)
            folder = path.rsplit("/", 1)[0]
            for ref in re.findall(r"url\(['\"]?([^'\")]+)", plain.decode(errors="replace")):
                if not ref.startswith(("data:", "#")):
                    assets.append(urllib.parse.urljoin(folder + "/", ref))
    kb = total / 1024
    return (
        "page weight: first visit of the start page",
        f"{kb:.0f} KB",
        f"{len(seen) + 1} files, compressed",
        f"static files cached ≥ 1 year: {'yes' if cached else 'NO'}",
        f"≤ 150 KB: {'met' if kb <= 150 and cached else 'MISSED'}",
    )


def fetch_plain(url: str) -> tuple[bytes, dict]:
    with urllib.request.urlopen(url) as response:
        return response.read(), dict(response.headers)


SEED = """
import json
from respondent.services import self_assessment_start
from standortbestimmung.answering import answers_save
from standortbestimmung.versions import current_version
from standortbestimmung.models import Question
link = self_assessment_start(
    version=current_version(), organisation='Benchmark GmbH', industry='trade', size='50-249', region='de',
    benchmark_consent=True,
)
p, token = link.participant, link.token
qs = list(Question.objects.filter(field__version=p.assessment.version).prefetch_related('options'))
answers_save(participant=p, answers={q: q.options.get(level=1 + q.position % 4) for q in qs})
q = qs[0]
print(json.dumps({'token': token, 'key': str(p.key), 'question': q.pk, 'options': [o.pk for o in q.options.all()[:2]]}))
"""

# The benchmark's consultant: a password of its own (generate_demo_data makes a random one otherwise) and an
# authenticator app whose code the benchmark reads from the database, as the consultant reads it from a phone.
DEMO_PASSWORD = "bench-demo-" + "x" * 12
SECOND_FACTOR = """
import time
from django.contrib.auth import get_user_model
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
user = get_user_model().objects.get(username=USERNAME)  # set by the caller
device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={'name': 'Benchmark'})
while int(time.time()) // 30 + 1 <= device.last_t:  # a code works once: wait for a fresh one
    time.sleep(1)
totp = TOTP(device.bin_key)
totp.time = time.time() + 30
print(f'{totp.token():06d}')
"""

WORKSHOP = """
import json
from workspace.services import workshop_start, participant_invite
from standortbestimmung.versions import current_version
from standortbestimmung.models import Client, Question
from django.contrib.auth import get_user_model
user = get_user_model().objects.get(username='demo')
w = workshop_start(client=Client.objects.create(owner=user, name='Workshop GmbH'), version=current_version())
qs = list(Question.objects.filter(field__version=w.version).prefetch_related('options').order_by('field__position', 'position'))
links = []
for i in range(30):
    link = participant_invite(assessment=w, name=f'Person {i}')
    p, token = link.participant, link.token
    by_field = {}
    for q in qs:
        by_field.setdefault(q.field.code, []).append((q.pk, q.options.get(level=1 + (i + q.position) % 4).pk))
    links.append((token, str(p.key), by_field))
print(json.dumps({'assessment': w.pk, 'links': links}))
"""


def workshop(env, base, think: str):
    """30 simulated participants answering the whole questionnaire at once (locust, headless), with a pause
    of `think` seconds before each answer or none at all."""
    if not shutil.which(str(ROOT / ".venv/bin/locust")):
        return ("workshop: 30 participants", "locust missing", "", "", "")
    data = json.loads(django(env, WORKSHOP))
    links_file = Path(tempfile.mkstemp(suffix=".json")[1])
    links_file.write_text(json.dumps(data["links"]))
    csv_prefix = tempfile.mkdtemp() + "/stats"
    subprocess.run(
        pinned(
            1,
            [
                str(ROOT / ".venv/bin/locust"),
                "-f",
                str(ROOT / "bench/locustfile.py"),
                "--headless",
                "-u",
                "30",
                "-r",
                "10",
                "-t",
                "75s" if think != "0" else "40s",
                "-H",
                base,
                "--csv",
                csv_prefix,
                "--only-summary",
                "--stop-timeout",
                "5",
            ],
        ),
        env={**env, "BENCH_WORKSHOP_FILE": str(links_file), "BENCH_THINK": think},
        capture_output=True,
        check=False,
    )
    stats = Path(csv_prefix + "_stats.csv").read_text().splitlines()
    header = stats[0].split(",")
    total = dict(zip(header, stats[-1].split(","), strict=False))
    p95, failures = float(total["95%"]), int(total["Failure Count"])
    stored = int(
        django(
            env,
            f"from standortbestimmung.models import Answer; "
            f"print(Answer.objects.filter(participant__assessment_id={data['assessment']}).count())",
        )
    )
    lost = 30 * 42 - stored
    met = p95 <= 150 and failures == 0 and lost == 0
    pause = f"{think} s before each answer" if think != "0" else "no pauses (stress)"
    return (
        f"workshop: 30 participants answer everything, {pause}",
        f"p95 {p95:.0f} ms",
        f"{failures} errors, {lost} lost answers",
        f"{total['Request Count']} requests",
        f"p95 ≤ 150 ms, 0 errors, 0 lost: {'met' if met else 'MISSED'}",
    )


LIVE = """
import json
from django.contrib.auth import get_user_model
from live.services import live_start
from standortbestimmung.models import Client, Question
from standortbestimmung.versions import current_version
from workspace.services import workshop_start
user = get_user_model().objects.create_user('live', 'live@example.org', 'live-bench-password')
w = workshop_start(client=Client.objects.create(owner=user, name='Live GmbH'), version=current_version())
s = live_start(assessment=w)
qs = Question.objects.filter(field__version=w.version).prefetch_related('options').order_by('field__position', 'position')
print(json.dumps({'assessment': w.pk, 'key': str(s.key), 'code': s.code,
                  'questions': [[q.pk, q.options.get(level=2).pk] for q in qs]}))
"""


def live_workshop(env, base):
    """A live session of all 42 questions: 30 phones, the presenter view and the control view polling once a
    second, every phone voting on every question (bench/live.py), counted in the database afterwards."""
    data = json.loads(django(env, LIVE))
    questions_file = Path(tempfile.mkstemp(suffix=".json")[1])
    questions_file.write_text(json.dumps(data["questions"]))
    out = subprocess.run(
        pinned(
            1,
            [PY, str(ROOT / "bench/live.py"), base, data["code"], data["key"], "live", "live-bench-password"]
            + [django(env, "USERNAME = 'live'\n" + SECOND_FACTOR), str(questions_file)],
        ),
        capture_output=True,
        text=True,
        check=False,
        timeout=1200,
    ).stdout
    found = [line for line in out.splitlines() if line.startswith("LIVE: ")]
    if not found:
        return ("live workshop: 30 phones + presenter + control", "driver failed", out[-200:], "", "")
    result = json.loads(found[0][6:])
    stored = int(
        django(
            env,
            f"from standortbestimmung.models import Answer; "
            f"print(Answer.objects.filter(participant__assessment_id={data['assessment']}).count())",
        )
    )
    lost = result["accepted"] - stored
    met = result["wall_p95_s"] <= 2 and result["errors"] == 0 and lost == 0
    return (
        f"live workshop: 30 phones + presenter + control, {len(data['questions'])} questions",
        f"vote p95 {result['vote_p95_ms']:.0f} ms",
        f"{result['errors']} errors, {lost} lost of {result['accepted']} votes",
        f"vote to the wall p95 {result['wall_p95_s']:.2f} s (median {result['wall_median_s']:.2f} s), "
        f"{result['requests']} requests in {result['seconds']:.0f} s",
        f"to the wall ≤ 2 s, 0 errors, 0 lost: {'met' if met else 'MISSED'}",
    )


def scale(env, base, floor):
    """The consultant's dashboard, a client page and the market view with 100 and with SCALE assessments (half
    of them anonymous self-assessments, most counting in the benchmark, computed by generate_demo_data)."""
    results = {}
    for size in (100, SCALE):
        have = int(
            django(
                env,
                "from standortbestimmung.models import Assessment; print(Assessment.objects.count())",
            )
        )
        if size > have:
            manage(
                env,
                "generate_demo_data",
                "--assessments",
                str(size - have),
                "--consultant",
                "demo",
                "--password",
                DEMO_PASSWORD,
                "--seed",
                str(size),
            )
        consultant = Browser(base)
        consultant.get("/konto/anmelden/")
        consultant.post(
            "/konto/anmelden/",
            {"username": "demo", "password": DEMO_PASSWORD, "csrfmiddlewaretoken": consultant.csrf()},
        )
        # the second factor: the code the demo consultant's authenticator app shows
        consultant.post(
            "/konto/bestaetigen/",
            {
                "code": django(env, "USERNAME = 'demo'\n" + SECOND_FACTOR),
                "csrfmiddlewaretoken": consultant.csrf(),
            },
        )
        client_id = django(
            env,
            "from standortbestimmung.models import Client; "
            "print(Client.objects.filter(owner__username='demo').order_by('pk').first().pk)",
        )
        results[size] = {
            name: wrk(base + path, consultant.cookie)[1]
            for name, path in [
                ("dashboard", "/beratung/"),
                ("client", f"/beratung/kunden/{client_id}/"),
                ("market view", "/beratung/markt/"),
            ]
        }
    answers = django(env, "from standortbestimmung.models import Answer; print(Answer.objects.count())")
    rows = []
    for name in ("dashboard", "client", "market view"):
        # a p95 of 0: no request finished within wrk's 2 s timeout (an overloaded machine), not a fast page
        ratio = results[SCALE][name] / results[100][name] if results[100][name] else float("inf")
        rows.append(
            (
                f"scale: {name} page, {SCALE} assessments / {int(answers):,} answers",
                f"p95 {results[SCALE][name]:.1f} ms",
                f"100 assessments: p95 {results[100][name]:.1f} ms",
                f"{ratio:.2f}x",
                f"≤ 1.5x: {'met' if ratio <= 1.5 else 'MISSED'}",
            )
        )
    return rows


PEER_DIR = ROOT / "bench" / "peer"
PEER_COUNT = """
from survey.models import Answer, Response
print(Response.objects.count(), Answer.objects.count(), Answer.objects.exclude(body='').count())
"""


def peer(pg, rows, ours, notes) -> list:
    """The peer, django-survey-and-report with the same questionnaire (bench/peer/), under the same gunicorn
    settings, cores, wrk and PostgreSQL server as the app. Returns its rows and puts its figures beside ours;
    when it cannot be installed or started, says why in both places."""
    server = None
    try:
        python = peer_python(PY)
        notes.append(
            "peer: django-survey-and-report {django-survey-and-report} (Django {Django}, gunicorn {gunicorn}, "
            "psycopg {psycopg}, Python {Python}) in bench/peer/.venv".format(**peer_versions(python))
        )
        pg.su(f"{pg.bin}/createdb -h 127.0.0.1 -p {pg.port} peer")
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "settings",
            "PEER_DATABASE_URL": pg.url.rsplit("/", 1)[0] + "/peer",
        }

        def run(*args) -> str:
            done = subprocess.run([str(python), *args], cwd=PEER_DIR, env=env, capture_output=True, text=True)
            if done.returncode:
                lines = done.stderr.strip().splitlines() or [str(done.returncode)]
                raise PeerUnavailable(f"{args[0]} failed: {lines[-1][:80]}")
            return done.stdout.strip()

        run("manage.py", "migrate", "--noinput")
        seeded = json.loads(run("seed.py", str(ROOT / "fixtures" / "questionnaire.json")))
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = Path(tempfile.mkstemp(suffix=".log")[1])
        server = measured_server(
            python.parent / "gunicorn", "wsgi:application", port, PEER_DIR, env, log.open("w")
        )
        if not wait_until_up(base):
            lines = log.read_text().strip().splitlines() or ["no answer"]
            raise PeerUnavailable(f"server did not start: {lines[-1][:80]}")
        return peer_measure(base, seeded, run, rows, ours)
    except (PeerUnavailable, OSError, subprocess.SubprocessError, ValueError) as problem:
        reason = str(problem)[:100]  # an HTTP error (urllib's HTTPError is an OSError) or a failed step
        for index, _rate in ours.values():
            rows[index] = (*rows[index], f"—, {reason}")
        return [("peer: django-survey-and-report", "—", reason, "", "")]
    finally:
        if server:
            server.terminate()
            server.wait(10)


def peer_measure(base, seeded, run, rows, ours) -> list:
    """The peer's floor, its first page as a respondent sees it and the POST that saves a response."""
    me = Browser(base)
    first = f"/survey/{seeded['survey']}/"
    html = me.get(first)  # an error status raises, and the row says so
    if seeded["first_question"] not in html:
        raise PeerUnavailable("its first page lacks the first question")
    # One respondent answers every page as a person would (each POST goes on to the next page); the last one
    # saves the response: the survey keeps the earlier pages in the session until then.
    pages = seeded["pages"]
    for number, questions in enumerate(pages):
        path = first if number == 0 else f"/survey/{seeded['survey']}-{number}/"
        answers = {f"question_{pk}": choices[(number + i) % 4] for i, (pk, choices) in enumerate(questions)}
        landed = me.post(path, {**answers, "csrfmiddlewaretoken": me.csrf()})
    responses, answers, filled = map(int, run("-c", PEER_PRELUDE + PEER_COUNT).split())
    want = seeded["questions"]
    if "/confirm/" not in landed or (responses, answers, filled) != (1, want, want):
        raise PeerUnavailable(
            f"a respondent's answers were not saved ({responses} responses, {filled} answers)"
        )

    floor, floor_p95, floor_errors = wrk(base + "/bench/trivial/")
    result = [
        (
            "peer: trivial view, same middleware (its baseline)",
            f"{floor:.0f} req/s",
            f"p95 {floor_p95:.1f} ms, {floor_errors} errors",
            "",
            "",
        )
    ]
    rates = {}
    rate, p95, errors = wrk(base + first, me.cookie)
    rates["get"] = rate, errors
    result.append(
        (
            f"peer: first category page (GET, {len(pages[0])} questions)",
            f"{rate:.0f} req/s",
            f"p95 {p95:.1f} ms, {errors} errors",
            f"{rate / floor:.0%} of its baseline",
            "",
        )
    )
    # The last page again and again, alternating between two sets of answers: each POST saves a whole response
    # (its only way to store answers). Every answered POST must have left a response of all questions.
    last = pages[-1]
    body = "|".join(
        urllib.parse.urlencode(
            {
                **{f"question_{pk}": choices[(shift + i) % 4] for i, (pk, choices) in enumerate(last)},
                "csrfmiddlewaretoken": me.csrf(),
            }
        )
        for shift in (0, 1)
    )
    answered = []
    rate, p95, errors = wrk(
        f"{base}/survey/{seeded['survey']}-{len(pages) - 1}/", me.cookie, body, answered=answered
    )
    rates["post"] = rate, errors
    after, answers, _filled = map(int, run("-c", PEER_PRELUDE + PEER_COUNT).split())
    saved = after - responses
    complete = answers == after * seeded["questions"] and saved >= answered[0]
    result.append(
        (
            f"peer: last page saves the response (POST, {len(last)} questions, all {seeded['questions']} stored)",
            f"{rate:.0f} req/s",
            f"p95 {p95:.1f} ms, {errors} errors",
            f"{rate / floor:.0%} of its baseline",
            # more saved than answered: wrk gives up on a request after 2 s and leaves some queued when it
            # stops, and the server still saves them
            f"{answered[0]} POSTs answered, all saved"
            if complete
            else f"{saved} saved of {answered[0]} POSTs answered, {answers} answers: MISSING",
        )
    )
    for key, (index, ours_rate) in ours.items():
        peer_rate, peer_errors = rates[key]
        problem = f", peer had {peer_errors} errors" if peer_errors else ""
        rows[index] = (
            *rows[index],
            f"{ours_rate / peer_rate:.1f}x peer (peer {peer_rate:.0f} req/s){problem}",
        )
    return result


PEER_PRELUDE = "import django; django.setup()\n"


def report_rows():
    """PDF first render and memory: in a fresh process (bench/report.py), next to a one-page baseline."""
    out = subprocess.run(
        [PY, str(ROOT / "bench/report.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "BENCH_RENDERS": str(RENDERS)},
        check=True,
    ).stdout
    return [tuple(json.loads(line[5:])) for line in out.splitlines() if line.startswith("ROW: ")]


def print_table(rows, seconds, notes=()) -> None:
    print(
        f"\nCJM-Standortbestimmung benchmark ({CORES} cores, gunicorn 1 sync worker on core 0, load on core 1, "
        f"{RUNS} runs x {SECONDS} s, medians; total {seconds:.0f} s)\n"
    )
    columns = max(len(row) for row in rows)  # five; a sixth where a row is compared with the peer
    rows = [(*row, *[""] * (columns - len(row))) for row in rows]
    widths = [max(len(str(r[i])) for r in rows) for i in range(columns)]
    for row in rows:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    for note in notes:
        print(f"\n{note}")


if __name__ == "__main__":
    main()
