from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from standortbestimmung import access, scoring
from standortbestimmung.content import questionnaire, questionnaire_of
from standortbestimmung.models import (
    Answer,
    AnswerOption,
    Assessment,
    Client,
    ConsensusAnswer,
    Field,
    FieldLevel,
    Participant,
    Question,
    QuestionnaireVersion,
)
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


# --- assessments ----------------------------------------------------------------------------------


class AnswerRefused(ValidationError):
    """An answer that must not be written (finished assessment, revoked link)."""


class StaleAnswer(ValidationError):
    """The answer was changed elsewhere (another tab) after the page showing it was loaded."""


@transaction.atomic
def assessment_start(
    *, version: QuestionnaireVersion, organisation: str = "", respondent_name: str = "", language: str = "de"
) -> tuple[Participant, str]:
    """Starts a self-assessment with one participant; returns the participant and the secret of its link."""
    assessment = Assessment.objects.create(
        version=version, organisation=organisation.strip(), language=language, kind=Assessment.Kind.SELF
    )
    token, digest = access.token_new()
    participant = Participant.objects.create(
        assessment=assessment, name=respondent_name.strip(), token_hash=digest
    )
    return participant, token


@transaction.atomic
def participant_new_link(*, participant: Participant) -> str:
    """Replaces the participant's link with a new one; the old link stops working at once."""
    token, digest = access.token_new()
    participant.token_hash = digest
    participant.token_created_at = timezone.now()
    participant.save(update_fields=["token_hash", "token_created_at"])
    return token


@transaction.atomic
def answers_save(
    *,
    participant: Participant,
    answers: dict[Question, AnswerOption | None],
    seen_revisions: dict[int, int] | None = None,
) -> list[Answer]:
    """Saves answers (None = "weiß nicht"); idempotent, one row per participant and question.

    seen_revisions (question id -> the revision the page showed, 0 for unanswered) turns a write over a newer
    answer into StaleAnswer instead of a silent overwrite. Saving the answer that is already there is fine.
    """
    # The participant row is the lock: saves of one participant happen one after the other.
    participant = Participant.objects.select_for_update().select_related("assessment").get(pk=participant.pk)
    if participant.finished_at is not None or not participant.assessment.is_open:
        raise AnswerRefused(_("This assessment is finished; its answers can no longer be changed."))
    saved, changed = [], False
    existing = {
        a.question_id: a for a in Answer.objects.filter(participant=participant, question__in=answers)
    }
    for question, option in answers.items():
        current = existing.get(question.pk)
        if seen_revisions and question.pk in seen_revisions and current is not None:
            unchanged = current.option_id == (option.pk if option else None)
            if current.revision != seen_revisions[question.pk] and not unchanged:
                raise StaleAnswer(
                    _("This answer was changed meanwhile, in another tab or window. Please reload the page.")
                )
    for question, option in answers.items():
        if option is not None and option.question_id != question.pk:
            raise AnswerRefused(_("The option does not belong to this question."))
        answer = existing.get(question.pk)
        if answer is None:
            answer = Answer.objects.create(participant=participant, question=question, option=option)
            changed = True
        elif answer.option_id != (option.pk if option else None):
            answer.option = option
            answer.revision += 1
            answer.save(update_fields=["option", "revision", "updated_at"])
            changed = True
        saved.append(answer)
    if changed:  # saving what is already there changes nothing, not even the time of the last change
        Assessment.objects.filter(pk=participant.assessment_id).update(updated_at=timezone.now())
    return saved


@transaction.atomic
def participant_finish(*, participant: Participant) -> None:
    """Marks the participant's answers as complete; for a self-assessment the assessment is finished too."""
    now = timezone.now()
    Participant.objects.filter(pk=participant.pk).update(finished_at=now)
    assessment = participant.assessment
    if assessment.kind == Assessment.Kind.SELF:
        Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.FINISHED, finished_at=now)


@transaction.atomic
def participant_reopen(*, participant: Participant) -> None:
    """Lets the participant change answers again (the result follows the new answers)."""
    Participant.objects.filter(pk=participant.pk).update(finished_at=None)
    assessment = participant.assessment
    if assessment.kind == Assessment.Kind.SELF:
        Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.OPEN, finished_at=None)


def participant_answers(*, participant: Participant) -> dict[int, int | None]:
    """Question id -> chosen option id (None for "weiß nicht") of everything the participant answered."""
    return dict(Answer.objects.filter(participant=participant).values_list("question_id", "option_id"))


def participant_answer_count(*, participant: Participant) -> int:
    """How many questions the participant answered ("weiß nicht" included)."""
    return Answer.objects.filter(participant=participant).count()


def participant_levels(
    *, participant: Participant | None, content=None, version: QuestionnaireVersion | None = None
) -> tuple[scoring.Profile, dict[str, Level | None]]:
    """The scoring profile of a participant's answers, and those answers by question code."""
    content = content or questionnaire(version or participant.assessment.version)
    chosen = participant_answers(participant=participant) if participant else {}
    answers = {
        content.questions[qid].code: (Level(content.options[oid].level) if oid else None)
        for qid, oid in chosen.items()
    }
    return scoring.score(content.structure(), answers), answers


def participant_profile(*, participant: Participant, content=None) -> scoring.Profile:
    """The scoring profile of one participant's answers."""
    return participant_levels(participant=participant, content=content)[0]


def assessment_answers(*, assessment: Assessment, content=None) -> tuple[list[dict[str, Level | None]], dict]:
    """Every participant's answers by question code, and the consensus answers by code."""
    content = content or questionnaire_of(assessment)
    per_participant: dict[int, dict[str, Level | None]] = {}
    participants = assessment.participants.filter(revoked_at__isnull=True).values_list("pk", flat=True)
    for pid in participants:
        per_participant[pid] = {}
    for pid, qid, oid in Answer.objects.filter(participant_id__in=list(per_participant)).values_list(
        "participant_id", "question_id", "option_id"
    ):
        per_participant[pid][content.questions[qid].code] = Level(content.options[oid].level) if oid else None
    consensus = {
        content.questions[qid].code: (Level(content.options[oid].level) if oid else None)
        for qid, oid in ConsensusAnswer.objects.filter(assessment=assessment).values_list(
            "question_id", "option_id"
        )
    }
    return list(per_participant.values()), consensus


def assessment_levels(
    *, assessment: Assessment, content=None, answers: tuple | None = None
) -> tuple[scoring.Profile, dict[str, Level | None]]:
    """The profile an assessment's result and roadmap are built from, and the answers behind it (by code).

    A self-assessment has one participant, whose answers are the result; a workshop's result takes the consensus
    where one was set and otherwise the lower median of the participants' answers (scoring.group_answers).
    answers is what assessment_answers returned, when the caller has it already.
    """
    content = content or questionnaire_of(assessment)
    per_participant, consensus = answers or assessment_answers(assessment=assessment, content=content)
    answers = scoring.group_answers(per_participant, consensus)
    return scoring.score(content.structure(), answers), answers


# --- the consultant's workspace -----------------------------------------------------------------------


@transaction.atomic
def workshop_start(*, client: Client, version: QuestionnaireVersion, language: str = "de") -> Assessment:
    """A new assessment of a client, answered by invited participants."""
    return Assessment.objects.create(
        version=version,
        client=client,
        owner=client.owner,
        organisation=client.name,
        kind=Assessment.Kind.WORKSHOP,
        language=language,
    )


@transaction.atomic
def participant_invite(*, assessment: Assessment, name: str, email: str = "") -> tuple[Participant, str]:
    """Adds a participant with a personal link; returns the link's secret, which is shown only once."""
    token, digest = access.token_new()
    participant = Participant.objects.create(
        assessment=assessment, name=name.strip(), email=email.strip(), token_hash=digest
    )
    return participant, token


def participant_revoke(*, participant: Participant) -> None:
    """The participant's link stops working; their answers no longer count for the result."""
    Participant.objects.filter(pk=participant.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


@transaction.atomic
def consensus_set(
    *, assessment: Assessment, question: Question, option: AnswerOption | None, clear: bool = False
):
    """Sets (or with clear removes) the answer a workshop agreed on for a question."""
    if question.field.version_id != assessment.version_id or (option and option.question_id != question.pk):
        raise ValidationError(_("The answer does not belong to this assessment's questionnaire."))
    if clear:
        ConsensusAnswer.objects.filter(assessment=assessment, question=question).delete()
        return None
    consensus, _created = ConsensusAnswer.objects.update_or_create(
        assessment=assessment, question=question, defaults={"option": option}
    )
    return consensus


@transaction.atomic
def assessment_claim(*, client: Client, token: str) -> Assessment:
    """Moves an anonymous self-assessment into a client, found by its personal link (or the link's secret)."""
    token = token.strip().rstrip("/").rsplit("/", 1)[-1]
    participant = access.participant_by_token(token)
    if participant is None:
        raise ValidationError(_("No self-assessment was found for this link."))
    assessment = Assessment.objects.select_for_update().get(pk=participant.assessment_id)
    if assessment.kind != Assessment.Kind.SELF or assessment.client_id or assessment.owner_id:
        raise ValidationError(_("This assessment belongs to a client already."))
    assessment.client, assessment.owner = client, client.owner
    assessment.organisation = assessment.organisation or client.name
    assessment.save(update_fields=["client", "owner", "organisation", "updated_at"])
    return assessment


def previous_assessment(assessment: Assessment) -> Assessment | None:
    """The client's assessment before this one, to compare with and to carry the roadmap's status from."""
    if not assessment.client_id:
        return None
    return (
        Assessment.objects.filter(client_id=assessment.client_id, created_at__lt=assessment.created_at)
        .select_related("version")
        .order_by("-created_at")
        .first()
    )
