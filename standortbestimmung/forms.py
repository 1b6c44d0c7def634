"""Reading answers posted by a form: every question, option and field name checked against the questionnaire."""

import re

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cjm_assess.text import visible_text
from standortbestimmung.answering import AnswerNote, BadAnswer
from standortbestimmung.models import EVIDENCE_LENGTH, AnswerOption, Question, Segment
from standortbestimmung.questionnaire import Questionnaire
from standortbestimmung.segments import Confidence

DONT_KNOW = "dk"
_ANSWER_NAME = re.compile(r"^q([0-9]{1,10})$")
_REVISION_NAME = re.compile(r"^r([0-9]{1,10})$")
# what a participant adds to an answer: c<question id> (how sure), e<question id> (note or link)
_NOTE_NAME = re.compile(r"^([ce])([0-9]{1,10})$")
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
        if (
            name in {"csrfmiddlewaretoken", "next", "action"}
            or _REVISION_NAME.match(name)
            or _NOTE_NAME.match(name)
        ):
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


def parse_notes(data, questionnaire: Questionnaire, allowed: set[int] | None = None) -> dict[int, AnswerNote]:
    """Reads what was added to answers (c<id>=sure|rather_sure|guess|"", e<id>=note) for the questions posted.

    A question appears when either field was posted; the note is length-limited and may hold line breaks but no
    other control characters. Anything else is refused as a whole (BadAnswer), without echoing the text.
    """
    posted: dict[int, dict[str, str]] = {}
    for name in data:
        match = _NOTE_NAME.match(name)
        if not match:
            continue
        question = questionnaire.questions.get(int(match.group(2)))
        if question is None or (allowed is not None and question.pk not in allowed):
            raise BadAnswer(_("The answer refers to a question that is not part of this step."))
        values = data.getlist(name)
        if len(values) != 1:
            raise BadAnswer(_("A question was answered more than once in one request."))
        posted.setdefault(question.pk, {})[match.group(1)] = values[0]
    notes = {}
    for pk, fields in posted.items():
        confidence = fields.get("c", "")
        if confidence not in {"", *Confidence}:
            raise BadAnswer(_("Please say how sure you are with one of the offered choices."))
        evidence = fields.get("e", "").replace("\r\n", "\n").replace("\r", "\n").strip()
        if len(evidence) > EVIDENCE_LENGTH:
            raise BadAnswer(
                _("The note may have at most %(n)s characters. Please shorten it.") % {"n": EVIDENCE_LENGTH}
            )
        if any(ord(ch) < 32 and ch not in "\n\t" for ch in evidence):
            raise BadAnswer(_("Please remove control characters."))
        notes[pk] = AnswerNote(confidence=confidence, evidence=evidence)
    return notes


class SegmentChoiceForm(forms.Form):
    """A participant's business unit and role, chosen from the workshop's lists (shared by every page that
    asks for it: the invitation, the participant's first page)."""

    unit = forms.ModelChoiceField(
        label=gettext_lazy("Business unit"),
        queryset=Segment.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    role = forms.ModelChoiceField(
        label=gettext_lazy("Role"),
        queryset=Segment.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, assessment, segments: list[Segment] | None = None, **kwargs):
        """segments: the assessment's, if read already."""
        kwargs.setdefault("auto_id", "segment_%s")
        super().__init__(*args, **kwargs)
        if segments is None:
            segments = list(assessment.segments.order_by("position", "pk"))
        for name, dimension in [("unit", Segment.Dimension.UNIT), ("role", Segment.Dimension.ROLE)]:
            field = self.fields[name]
            field.queryset = assessment.segments.filter(dimension=dimension)
            field.empty_label = _("– not stated –")
            # the choices from the list read above: rendering the form costs no further query
            field.choices = [("", field.empty_label)] + [
                (s.pk, s.name) for s in segments if s.dimension == dimension
            ]
            field.error_messages["invalid_choice"] = _("Please choose one of the offered entries.")
        self.has_units = any(s.dimension == Segment.Dimension.UNIT for s in segments)
        self.has_roles = any(s.dimension == Segment.Dimension.ROLE for s in segments)

    @property
    def offered(self) -> bool:
        return self.has_units or self.has_roles
