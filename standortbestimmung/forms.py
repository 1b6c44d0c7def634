import re

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from standortbestimmung.content import Questionnaire
from standortbestimmung.models import AnswerOption, Question

DONT_KNOW = "dk"
_ANSWER_NAME = re.compile(r"^q(\d{1,10})$")


class StartForm(forms.Form):
    organisation = forms.CharField(
        label=gettext_lazy("Organisation"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Optional. Appears on the result and in the report."),
    )
    respondent_name = forms.CharField(
        label=gettext_lazy("Your name"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Optional."),
    )
    language = forms.ChoiceField(label=gettext_lazy("Language of the assessment"), choices=settings.LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_organisation(self):
        return _clean_text(self.cleaned_data["organisation"])

    def clean_respondent_name(self):
        return _clean_text(self.cleaned_data["respondent_name"])


def _clean_text(value: str) -> str:
    if any(ord(ch) < 32 and ch not in "\t" for ch in value):
        raise forms.ValidationError(_("Please remove control characters."))
    return value.strip()


class BadAnswer(ValueError):
    """A posted answer that does not fit the questionnaire; the message is shown to the user."""


def parse_answers(
    data, content: Questionnaire, allowed: set[int] | None = None
) -> dict[Question, AnswerOption | None]:
    """Reads answers posted as q<question id>=<option id>|dk and checks each against the questionnaire.

    allowed limits the questions (one step's); every other question, every option of another question and
    every unknown field name is refused as a whole, so nothing is written from a tampered request.
    """
    answers: dict[Question, AnswerOption | None] = {}
    for name in data:
        if name in {"csrfmiddlewaretoken", "next", "action"}:
            continue
        match = _ANSWER_NAME.match(name)
        if not match:
            raise BadAnswer(_("The form contained an unknown field."))
        question = content.questions.get(int(match.group(1)))
        if question is None or (allowed is not None and question.pk not in allowed):
            raise BadAnswer(_("The answer refers to a question that is not part of this step."))
        values = data.getlist(name)
        if len(values) != 1:
            raise BadAnswer(_("A question was answered more than once in one request."))
        value = values[0]
        if value == DONT_KNOW:
            answers[question] = None
            continue
        option = content.options.get(int(value)) if value.isdigit() and len(value) <= 10 else None
        if option is None or option.question_id != question.pk:
            raise BadAnswer(_("The chosen answer does not belong to this question."))
        answers[question] = option
    return answers
