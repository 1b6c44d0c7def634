import re

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from standortbestimmung.content import Questionnaire
from standortbestimmung.models import AnswerOption, Client, Question

DONT_KNOW = "dk"
_ANSWER_NAME = re.compile(r"^q([0-9]{1,10})$")
_REVISION_NAME = re.compile(r"^r([0-9]{1,10})$")
_ID = re.compile(r"^[0-9]{1,10}$")  # ASCII only: str.isdigit() accepts "²", which int() refuses


def parse_id(value: str) -> int | None:
    """A database id posted as text, or None for anything else."""
    return int(value) if _ID.match(value or "") else None


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
        if name in {"csrfmiddlewaretoken", "next", "action"} or _REVISION_NAME.match(name):
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
        option_id = parse_id(value)
        option = content.options.get(option_id) if option_id is not None else None
        if option is None or option.question_id != question.pk:
            raise BadAnswer(_("The chosen answer does not belong to this question."))
        answers[question] = option
    return answers


class ClientForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = ["name", "contact_name", "contact_email", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_name(self):
        return _clean_text(self.cleaned_data["name"])

    def clean_contact_name(self):
        return _clean_text(self.cleaned_data["contact_name"])


class InviteForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    email = forms.EmailField(label=gettext_lazy("E-mail (optional)"), required=False, max_length=254)

    def clean_name(self):
        return _clean_text(self.cleaned_data["name"])


class ClaimForm(forms.Form):
    link = forms.CharField(
        label=gettext_lazy("Personal link of the self-assessment"),
        max_length=500,
        help_text=gettext_lazy("The respondent's link to continue, e.g. https://…/r/…/"),
    )


class ConfirmDeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("Yes, delete it with all answers, participants, roadmap and reports."),
        required=True,
    )


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
