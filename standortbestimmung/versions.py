"""Questionnaire versions: validate and publish a draft, retire a version, copy one as a new draft."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from standortbestimmung.models import AnswerOption, Field, FieldLevel, Question, QuestionnaireVersion
from standortbestimmung.scoring import FIELD_ORDER, Level

MIN_QUESTIONS_PER_FIELD = 3


def version_problems(*, version: QuestionnaireVersion) -> list[str]:
    """Everything that keeps a version from being published, each problem naming its field or question."""
    problems = []
    fields = list(
        version.fields.prefetch_related(
            "level_texts", Prefetch("questions", queryset=Question.objects.prefetch_related("options"))
        )
    )
    codes = [field.code for field in fields]
    if codes != [code.value for code in FIELD_ORDER]:
        problems.append(
            _("The version needs exactly the six fields in their fixed order (%(codes)s).")
            % {"codes": ", ".join(code.value for code in FIELD_ORDER)}
        )
    for field in fields:
        questions = list(field.questions.all())
        if len(questions) < MIN_QUESTIONS_PER_FIELD:
            problems.append(
                _("Field %(field)s has %(count)s questions; at least %(min)s are needed.")
                % {"field": field.code, "count": len(questions), "min": MIN_QUESTIONS_PER_FIELD}
            )
        if sorted(level_text.level for level_text in field.level_texts.all()) != [lv.value for lv in Level]:
            problems.append(
                _("Field %(field)s needs one description for each of the four levels.")
                % {"field": field.code}
            )
        for question in questions:
            if not question.code.startswith(f"{field.code}."):
                problems.append(
                    _("Question %(code)s: the code must start with “%(field)s.”.")
                    % {"code": question.code, "field": field.code}
                )
            if not (question.text_de.strip() and question.text_en.strip()):
                problems.append(
                    _("Question %(code)s: the question text is missing in one language.")
                    % {"code": question.code}
                )
            options = list(question.options.all())
            if sorted(option.level for option in options) != [lv.value for lv in Level]:
                problems.append(
                    _(
                        "Question %(code)s needs exactly four answer options, one each for Unaware, Adopt, Build and Commit."
                    )
                    % {"code": question.code}
                )
            if any(not (option.text_de.strip() and option.text_en.strip()) for option in options):
                problems.append(
                    _("Question %(code)s: an answer option has no text in one language.")
                    % {"code": question.code}
                )
    all_codes = [q.code for field in fields for q in field.questions.all()]
    for code in sorted({c for c in all_codes if all_codes.count(c) > 1}):
        problems.append(_("The question code %(code)s appears more than once.") % {"code": code})
    return problems


@transaction.atomic
def version_publish(*, version: QuestionnaireVersion) -> QuestionnaireVersion:
    """Publishes a draft after validating it; a published version never changes again."""
    version = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != QuestionnaireVersion.Status.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    problems = version_problems(version=version)
    if problems:
        raise ValidationError(problems)
    version.status = QuestionnaireVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    return version


@transaction.atomic
def version_retire(*, version: QuestionnaireVersion) -> QuestionnaireVersion:
    """Retires a published version: no new assessments start with it, existing ones keep it."""
    if version.status != QuestionnaireVersion.Status.PUBLISHED:
        raise ValidationError(_("Only a published version can be retired."))
    version.status = QuestionnaireVersion.Status.RETIRED
    version.save(update_fields=["status"])
    return version


@transaction.atomic
def version_copy_as_draft(*, version: QuestionnaireVersion) -> QuestionnaireVersion:
    """Copies a version with all its fields, questions and options into a new draft with the next number."""
    number = (QuestionnaireVersion.objects.aggregate(m=Max("number"))["m"] or 0) + 1
    draft = QuestionnaireVersion.objects.create(
        number=number,
        title_de=version.title_de,
        title_en=version.title_en,
        status=QuestionnaireVersion.Status.DRAFT,
        notes=_("Copy of version %(number)s") % {"number": version.number},
    )
    for field in version.fields.prefetch_related("level_texts", "questions__options"):
        new_field = Field.objects.create(
            version=draft,
            **{name: getattr(field, name) for name in _copied(Field, exclude={"version"})},
        )
        FieldLevel.objects.bulk_create(
            FieldLevel(field=new_field, **{n: getattr(lt, n) for n in _copied(FieldLevel, exclude={"field"})})
            for lt in field.level_texts.all()
        )
        for question in field.questions.all():
            new_question = Question.objects.create(
                field=new_field, **{n: getattr(question, n) for n in _copied(Question, exclude={"field"})}
            )
            AnswerOption.objects.bulk_create(
                AnswerOption(
                    question=new_question, **{n: getattr(o, n) for n in _copied(AnswerOption, {"question"})}
                )
                for o in question.options.all()
            )
    return draft


def current_version() -> QuestionnaireVersion | None:
    """The newest published version: the one new assessments are answered with."""
    return (
        QuestionnaireVersion.objects.filter(status=QuestionnaireVersion.Status.PUBLISHED)
        .order_by("-number")
        .first()
    )


def _copied(model, exclude: set[str]) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in exclude and not getattr(f, "auto_now_add", False)
    ]
