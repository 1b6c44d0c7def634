"""The questionnaire of a version as loaded once per process: published versions never change.

The short version (the kiosk) is the same questionnaire cut to the first N questions of each field: steps,
answers, scoring, result page, report and exports all follow it, because they all read the questionnaire here.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from django.db.models import F, Prefetch, Window
from django.db.models.functions import RowNumber

from standortbestimmung.models import AnswerOption, Field, Question, QuestionnaireVersion
from standortbestimmung.scoring import FieldCode, Level

_cache: dict[tuple[int, int | None], "Questionnaire"] = {}


@dataclass
class Questionnaire:
    version: QuestionnaireVersion
    fields: list[Field]  # with questions (and their options) and level texts prefetched
    per_field: int | None = None  # the short version: the first N questions of each field

    @cached_property
    def questions(self) -> dict[int, Question]:
        return {q.pk: q for field in self.fields for q in field.questions.all()}

    @cached_property
    def options(self) -> dict[int, AnswerOption]:
        return {o.pk: o for q in self.questions.values() for o in q.options.all()}

    def structure(self) -> dict[FieldCode, list[str]]:
        """Field code -> question codes in order, the shape the scoring rule takes."""
        return {FieldCode(f.code): [q.code for q in f.questions.all()] for f in self.fields}

    def field(self, code: str) -> Field | None:
        return next((f for f in self.fields if f.code == code), None)

    def field_names(self) -> dict[str, str]:
        """Field code -> the field's name in the active language."""
        return {f.code: f.name for f in self.fields}

    def level_text(self, field_code: str, level: int) -> str:
        field = self.field(field_code)
        return next((lt.text for lt in field.level_texts.all() if lt.level == level), "") if field else ""

    def level_of(self, option_id: int | None) -> Level | None:
        """The level an answer stands for: its option's level, None for "weiß nicht"."""
        return Level(self.options[option_id].level) if option_id is not None else None

    def by_code(self, chosen: Iterable[tuple[int, int | None]]) -> dict[str, Level | None]:
        """(question id, option id) pairs as the scoring rule takes them: question code -> level."""
        return {self.questions[qid].code: self.level_of(oid) for qid, oid in chosen}

    def option_text(self, question: Question, level: Level | None) -> str:
        """The description the answer at this level chose ("" for none)."""
        return next((o.text for o in question.options.all() if o.level == level), "") if level else ""


def questionnaire_for(version: QuestionnaireVersion, per_field: int | None = None) -> Questionnaire:
    """The questionnaire of a version (per_field: only the first N questions of each field); cached for
    versions that can no longer change."""
    cached = _cache.get((version.pk, per_field))
    if cached is not None and cached.version.published_at == version.published_at and not version.is_editable:
        return cached
    questions = Question.objects.order_by("position").prefetch_related(
        Prefetch("options", queryset=AnswerOption.objects.order_by("level"))
    )
    if per_field:  # the first N of each field by position (positions may have gaps in a later version)
        rank = Window(RowNumber(), partition_by=F("field_id"), order_by=F("position").asc())
        questions = questions.annotate(rank=rank).filter(rank__lte=per_field)
    fields = list(
        Field.objects.filter(version=version)
        .order_by("position")
        .prefetch_related(
            "level_texts",
            Prefetch("questions", queryset=questions),
        )
    )
    loaded = Questionnaire(version=version, fields=fields, per_field=per_field)
    if not version.is_editable:
        _cache[(version.pk, per_field)] = loaded
    return loaded


def questionnaire_of(assessment) -> Questionnaire:
    """The questionnaire of an assessment (the short one for a short assessment); from the cache without even
    loading the version row."""
    cached = _cache.get((assessment.version_id, assessment.questions_per_field))
    if cached is not None:
        return cached
    return questionnaire_for(assessment.version, per_field=assessment.questions_per_field)


def clear_cache() -> None:
    _cache.clear()
