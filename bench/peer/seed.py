"""Creates the app's questionnaire as a django-survey-and-report survey in the peer's database.

Run with the peer's Python in bench/peer (DJANGO_SETTINGS_MODULE=settings): `python seed.py FIXTURE`, where
FIXTURE is the app's fixtures/questionnaire.json. Its published version becomes one survey shown by category:
each field a category (a page), each question a radio question with the question's four answer options in
level order (Unaware, Adopt, Build, Commit), German as the app shows it by default. Prints JSON for the
benchmark: the survey, its first question and, per page, one choice for every question.
"""

import json
import os
import sys
from datetime import date
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402
from survey.models import Category, Question, Survey  # noqa: E402


def load(path: str) -> dict:
    objects = json.loads(Path(path).read_text(encoding="utf-8"))

    def of(model):
        return [o for o in objects if o["model"] == f"standortbestimmung.{model}"]

    version = max(
        (v for v in of("questionnaireversion") if v["fields"]["status"] == "published"),
        key=lambda v: v["fields"]["number"],
    )
    fields = sorted(
        (f for f in of("field") if f["fields"]["version"] == version["pk"]),
        key=lambda f: f["fields"]["position"],
    )
    return {
        "title": version["fields"]["title_de"],
        "fields": [
            {
                "name": field["fields"]["name_de"],
                "description": field["fields"]["question_de"],
                "questions": [
                    {
                        "text": question["fields"]["text_de"],
                        "options": [
                            option["fields"]["text_de"]
                            for option in sorted(
                                (o for o in of("answeroption") if o["fields"]["question"] == question["pk"]),
                                key=lambda o: o["fields"]["level"],
                            )
                        ],
                    }
                    for question in sorted(
                        (q for q in of("question") if q["fields"]["field"] == field["pk"]),
                        key=lambda q: q["fields"]["position"],
                    )
                ],
            }
            for field in fields
        ],
    }


@transaction.atomic
def seed(content: dict) -> dict:
    survey = Survey.objects.create(
        name=content["title"],
        description="",
        is_published=True,
        need_logged_user=False,  # the app's self-assessment is anonymous too
        editable_answers=True,
        display_method=Survey.BY_CATEGORY,
        publish_date=date(2026, 1, 1),
        expire_date=date(2099, 12, 31),
    )
    order = 0
    pages = []
    for position, field in enumerate(content["fields"], start=1):
        category = Category.objects.create(
            survey=survey, name=field["name"], order=position, description=field["description"]
        )
        page = []
        for question in field["questions"]:
            if any(settings.CHOICES_SEPARATOR in option for option in question["options"]):
                raise SystemExit(f"An option contains the separator {settings.CHOICES_SEPARATOR!r}.")
            order += 1
            # Optional, so that a repeated POST of the last page saves a whole response each time: the survey
            # keeps the earlier pages in the session and removes them once it has saved the response.
            created = Question.objects.create(
                survey=survey,
                category=category,
                text=question["text"],
                order=order,
                required=False,
                type=Question.RADIO,
                choices=settings.CHOICES_SEPARATOR.join(question["options"]),
            )
            page.append([created.pk, [value for value, _label in created.get_choices()]])
        pages.append(page)
    first = content["fields"][0]["questions"][0]["text"]
    return {"survey": survey.pk, "questions": order, "first_question": first, "pages": pages}


if __name__ == "__main__":
    print(json.dumps(seed(load(sys.argv[1]))))
