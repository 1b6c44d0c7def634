"""A workshop: every simulated participant opens their personal link and answers the whole questionnaire.

BENCH_THINK="0.5-1.5" pauses that many seconds before each answer (people read the options; real ones take far
longer); "0" sends every request as soon as the last one returned, a stress test of the same work.
"""

import json
import os
import re
from pathlib import Path

from locust import FastHttpUser, between, constant, task
from locust.exception import StopUser

LINKS = json.loads(Path(os.environ["BENCH_WORKSHOP_FILE"]).read_text())
_next = iter(LINKS)
_think = [float(x) for x in os.environ.get("BENCH_THINK", "0").split("-")]


class Participant(FastHttpUser):
    wait_time = between(*_think) if len(_think) == 2 else constant(_think[0])

    def on_start(self):
        token, self.key, self.questions = next(_next)
        self.client.get(f"/r/{token}/", name="/r/[link]/")
        page = self.client.get(f"/a/{self.key}/feld/journeys/", name="step page").text
        self.csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        self.done = False

    @task
    def answer_everything(self):
        if self.done:
            return
        for field, pairs in self.questions.items():
            self.client.get(f"/a/{self.key}/feld/{field}/", name="step page")
            for question_id, option_id in pairs:
                self.wait()
                self.client.post(
                    f"/a/{self.key}/antwort/",
                    data={f"q{question_id}": str(option_id), "csrfmiddlewaretoken": self.csrf},
                    headers={"HX-Request": "true", "X-CSRFToken": self.csrf},
                    name="autosave",
                )
        self.client.post(f"/a/{self.key}/abschluss/", data={"csrfmiddlewaretoken": self.csrf}, name="finish")
        self.done = True
        raise StopUser()
