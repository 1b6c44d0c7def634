"""A live workshop against the running server: 30 phones, 1 presenter view, 1 control view, every question.

Each screen polls its state URL once a second with the version it shows (204 while nothing changed), as the
pages do. Each phone votes on every open question after 0.5-2.5 s (people read the options). The control view
opens question after question, waits until everyone voted (or 20 s), shows the results and sets a consensus.
The presenter records when its count changes; a vote's latency to the wall is the time from the vote's answer
to the first presenter poll after it whose count includes it.

Usage (bench/run.py runs it): python bench/live.py BASE CODE KEY USER PASSWORD QUESTIONS_JSON
Prints one line "LIVE: {json}" with the measurements.
"""

import json
import random
import re
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

PHONES = 30
POLL = 1.0
THINK = (0.5, 2.5)
WAIT_FOR_ALL = 20.0


class Screen:
    """A browser: cookies, a CSRF token, requests that count errors instead of raising."""

    def __init__(self, base: str, log: "Log"):
        self.base, self.log = base, log
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def request(self, path: str, data: dict | None = None, htmx: bool = False) -> tuple[int, str, float]:
        headers = {"Referer": self.base + path}
        if htmx:
            headers |= {"HX-Request": "true", "X-CSRFToken": self.csrf()}
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        started = time.monotonic()
        try:
            with self.opener.open(urllib.request.Request(self.base + path, data=body, headers=headers)) as r:
                status, text = r.status, r.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
        except OSError as error:
            status, text = 0, str(error)
        elapsed = time.monotonic() - started
        if status not in (200, 204):
            self.log.error(path, status)
        return status, text, elapsed


class Log:
    def __init__(self):
        self.lock = threading.Lock()
        self.errors: list[tuple[str, int]] = []
        self.votes: list[tuple[int, float, float, int]] = []  # question, done at, seconds, status
        self.seen: list[tuple[float, tuple[int, ...], int]] = []  # presenter: time, open questions, answered
        self.polls: list[float] = []

    def error(self, path, status):
        with self.lock:
            self.errors.append((re.sub(r"[0-9a-f-]{36}", "…", path), status))


def version_of(html: str) -> str:
    found = re.search(r"since=([0-9a-z-]+)", html)
    return found.group(1) if found else ""


def phone(base, code, index, log, stop):
    me = Screen(base, log)
    me.request(f"/live/{code}/")
    status, page, _ = me.request(
        f"/live/{code}/", {"name": f"Person {index}", "csrfmiddlewaretoken": me.csrf()}
    )
    key = re.search(r"/live/t/([0-9a-f-]{36})/", page).group(1)
    version, html, voted, due = version_of(page), page, set(), None
    next_poll = time.monotonic() + random.random()
    while not stop.is_set():
        now = time.monotonic()
        open_questions = (
            [int(q) for q in re.findall(r'name="q(\d+)"', html)] if "phase-voting" in html else []
        )
        todo = [q for q in open_questions if q not in voted]
        if todo and due is None:
            due = now + random.uniform(*THINK)
        if due is not None and now >= due and todo:
            question = todo[0]
            options = re.findall(rf'name="q{question}"\s+id="o\d+"\s+value="(\d+)"', html)
            data = {f"q{question}": random.choice(options + ["dk"]), "csrfmiddlewaretoken": me.csrf()}
            status, _text, seconds = me.request(f"/live/t/{key}/stimme/", data, htmx=True)
            with log.lock:
                log.votes.append((question, time.monotonic(), seconds, status))
            voted.add(question)
            due = None
        if now >= next_poll:
            status, text, seconds = me.request(f"/live/t/{key}/stand/?since={version}")
            with log.lock:
                log.polls.append(seconds)
            if status == 200:
                html, version = text, version_of(text)
            next_poll = now + POLL
        if "phase-ended" in html:
            return
        time.sleep(0.05)


def presenter(screen, key, log, stop):
    version = ""
    while not stop.is_set():
        started = time.monotonic()
        status, text, seconds = screen.request(f"/beratung/live/{key}/praesentation/stand/?since={version}")
        with log.lock:
            log.polls.append(seconds)
        if status == 200:
            version = version_of(text)
            answered = int(re.search(r'data-answered="(\d+)"', text).group(1))
            questions = tuple(int(q) for q in re.search(r'data-questions="([\d ]*)"', text).group(1).split())
            with log.lock:
                log.seen.append((time.monotonic(), questions, answered))
        time.sleep(max(0.0, POLL - (time.monotonic() - started)))


def control(screen, key, questions, log):
    """Opens every question in turn, waits for the room, shows the results, sets a consensus; then ends."""
    path = f"/beratung/live/{key}/"
    _status, page, _ = screen.request(path)
    revision = int(re.search(r'data-revision="(\d+)"', page).group(1))
    version = version_of(page)

    def act(action, **data):
        nonlocal revision, page, version
        status, text, _ = screen.request(
            path + action + "/",
            {"revision": revision, "csrfmiddlewaretoken": screen.csrf(), **data},
            htmx=True,
        )
        if status == 200:
            page, version = text, version_of(text)
            revision = int(re.search(r'data-revision="(\d+)"', text).group(1))

    for question, option in questions:
        act("oeffnen", question=question)
        waited = time.monotonic()
        while time.monotonic() - waited < WAIT_FOR_ALL and not re.search(rf'data-answered="{PHONES}"', page):
            time.sleep(POLL)
            status, text, seconds = screen.request(f"{path}stand/?since={version}")
            with log.lock:
                log.polls.append(seconds)
            if status == 200:
                page, version = text, version_of(text)
        act("aufdecken")
        time.sleep(0.5)  # a word about the spread
        act("konsens", question=question, answer=option)
    act("beenden", share="1")


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else float("nan")


def to_the_wall(log) -> list[float]:
    """Per vote: seconds from its answer to the first presenter poll after it that counts it."""
    latencies = []
    by_question: dict[int, list[float]] = {}
    for question, done, _seconds, status in log.votes:
        if status == 200:
            by_question.setdefault(question, []).append(done)
    for question, done_times in by_question.items():
        seen = [(t, n) for t, qs, n in log.seen if qs == (question,)]
        for rank, done in enumerate(sorted(done_times), start=1):
            shown = next((t for t, n in seen if t >= done and n >= rank), None)
            if shown is not None:
                latencies.append(shown - done)
    return latencies


def main():
    base, code, key, user, password, second_factor, questions_file = sys.argv[1:8]
    questions = json.loads(Path(questions_file).read_text())  # [[question id, consensus option id], ...]
    log, stop = Log(), threading.Event()
    # the laptop, signed in with both factors, and the projector: a second window of the same browser
    consultant, projector = Screen(base, log), Screen(base, log)
    consultant.request("/konto/anmelden/")
    consultant.request(
        "/konto/anmelden/", {"username": user, "password": password, "csrfmiddlewaretoken": consultant.csrf()}
    )
    consultant.request(
        "/konto/bestaetigen/", {"code": second_factor, "csrfmiddlewaretoken": consultant.csrf()}
    )
    for cookie in consultant.jar:
        projector.jar.set_cookie(cookie)
    wall = threading.Thread(target=presenter, args=(projector, key, log, stop), daemon=True)
    phones = [
        threading.Thread(target=phone, args=(base, code, i, log, stop), daemon=True) for i in range(PHONES)
    ]
    for thread in phones:
        thread.start()
    wall.start()
    time.sleep(3)  # everyone has joined
    started = time.monotonic()
    control(consultant, key, questions, log)
    for thread in phones:
        thread.join(30)
    stop.set()
    wall.join(5)
    votes = [seconds for _q, _t, seconds, status in log.votes]
    wall_latency = to_the_wall(log)
    print(
        "LIVE: "
        + json.dumps(
            {
                "seconds": round(time.monotonic() - started, 1),
                "votes": len(votes),
                "accepted": sum(1 for *_rest, status in log.votes if status == 200),
                "vote_p95_ms": round(1000 * percentile(votes, 0.95), 1),
                "vote_median_ms": round(1000 * statistics.median(votes), 1) if votes else None,
                "wall_p95_s": round(percentile(wall_latency, 0.95), 2),
                "wall_median_s": round(statistics.median(wall_latency), 2) if wall_latency else None,
                "wall_measured": len(wall_latency),
                "poll_p95_ms": round(1000 * percentile(log.polls, 0.95), 1),
                "requests": len(votes) + len(log.polls),
                "errors": len(log.errors),
                "error_examples": sorted(set(log.errors))[:5],
            }
        )
    )


if __name__ == "__main__":
    main()
