"""Reading answers posted by a form: every question, option and field name checked against the questionnaire."""

import re

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext as _

from cjm_assess.text import visible_text
from standortbestimmung.answering import BadAnswer
from standortbestimmung.models import AnswerOption, Question
from standortbestimmung.questionnaire import Questionnaire

DONT_KNOW = "dk"
_ANSWER_NAME = re.compile(r"^q([0-9]{1,10})$")
_REVISION_NAME = re.compile(r"^r([0-9]{1,10})$")
_ID = re.compile(r"^[0-9]{1,10}$")  # ASCII only: str.isdigit() accepts "²", which int() refuses


def parse_id(value: str) -> int | None:
    """A database id posted as text, or None for anything else."""
    return int(value) if _ID.match(value or "") else None


def inline_helper() -> FormHelper:
    """crispy-forms renders the fields only: the template writes the <form> tag and the CSRF token."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


def clean_text(value: str) -> str:
    """A name typed by a person: control, bidi-override and zero-width characters removed, stripped; a name
    of nothing but such characters is refused."""
    cleaned = visible_text(value)
    if value and not cleaned:
        raise forms.ValidationError(_("Please enter visible characters."))
    return cleaned


def parse_answers(
    data, questionnaire: Questionnaire, allowed: set[int] | None = None
) -> dict[Question, AnswerOption | None]:
    """Reads answers posted as q<question id>=<option id>|dk and checks each against the questionnaire.

    allowed limits the questions (one step's); every other question, every option of another question and
    every unknown field name is refused as a whole, so nothing is written from a tampered request.
    """
    answers: dict[Question, AnswerOption | None] = {}
    for name in data:
        if name in {"csrfmiddlewaretoken", "next", "action"} or _REVISION_NAME.match(name):
            continue
        match = _ANSWER_NAME.match(name)
        if not match:
            raise BadAnswer(_("The form contained an unknown field."))
        question = questionnaire.questions.get(int(match.group(1)))
        if question is None or (allowed is not None and question.pk not in allowed):
            raise BadAnswer(_("The answer refers to a question that is not part of this step."))
        values = data.getlist(name)
        if len(values) != 1:
            raise BadAnswer(_("A question was answered more than once in one request."))
        value = values[0]
        if value == DONT_KNOW:
            answers[question] = None
            continue
        option_id = parse_id(value)
        option = questionnaire.options.get(option_id) if option_id is not None else None
        if option is None or option.question_id != question.pk:
            raise BadAnswer(_("The chosen answer does not belong to this question."))
        answers[question] = option
    return answers


def parse_revisions(data) -> dict[int, int]:
    """The answer revisions the page was showing (r<question id>=<revision>), to detect a stale write."""
    revisions = {}
    for name in data:
        match = _REVISION_NAME.match(name)
        if match:
            value = parse_id(data.get(name))
            if value is None:
                raise BadAnswer(_("The form contained an unknown field."))
            revisions[int(match.group(1))] = value
    return revisions
