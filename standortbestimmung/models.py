import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cjm_assess.translation import Translated
from standortbestimmung.scoring import FIELD_ORDER, LEVEL_LABELS, FieldCode, Level

LEVEL_CHOICES = [(level.value, LEVEL_LABELS[level]) for level in Level]
FIELD_CHOICES = [(code.value, code.value.capitalize()) for code in FieldCode]


class VersionedContent(models.Model):
    """Content published in numbered versions (questionnaire, measures catalogue): a draft can be edited, a
    published or retired version never changes, because results and roadmaps point to it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    number = models.PositiveIntegerField(_("number"), unique=True)
    title_de = models.CharField(_("title (German)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    title = Translated("title")

    class Meta:
        abstract = True
        ordering = ["-number"]

    def __str__(self):
        return f"v{self.number} {self.title_de} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class QuestionnaireVersion(VersionedContent):
    """One version of the questionnaire. Once published it never changes; assessments point to it."""

    notes = models.TextField(_("notes"), blank=True)

    class Meta(VersionedContent.Meta):
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")


class Field(models.Model):
    """A Handlungsfeld (Journeys, Insights, …) within one questionnaire version."""

    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE, related_name="fields")
    code = models.CharField(_("code"), max_length=20, choices=FIELD_CHOICES)
    position = models.PositiveSmallIntegerField(_("position"))
    name_de = models.CharField(_("name (German)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60)
    subtitle_de = models.CharField(_("subtitle (German)"), max_length=120, blank=True)
    subtitle_en = models.CharField(_("subtitle (English)"), max_length=120, blank=True)
    question_de = models.CharField(_("guiding question (German)"), max_length=300)
    question_en = models.CharField(_("guiding question (English)"), max_length=300)

    name = Translated("name")
    subtitle = Translated("subtitle")
    question = Translated("question")

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="field_code_unique_per_version"),
            models.UniqueConstraint(fields=["version", "position"], name="field_position_unique_per_version"),
        ]
        verbose_name = _("field")
        verbose_name_plural = _("fields")

    def __str__(self):
        return f"{self.name_de} (v{self.version.number})" if self.version_id else self.name_de

    def clean(self):
        if self.code and self.code not in FieldCode._value2member_map_:
            raise ValidationError({"code": _("Unknown field.")})
        if self.code and self.position and FIELD_ORDER.index(FieldCode(self.code)) + 1 != self.position:
            raise ValidationError({"position": _("The order of the six fields is fixed.")})


class FieldLevel(models.Model):
    """What a level typically looks like in one field (for the result page and the report)."""

    field = models.ForeignKey(Field, on_delete=models.CASCADE, related_name="level_texts")
    level = models.PositiveSmallIntegerField(_("level"), choices=LEVEL_CHOICES)
    text_de = models.TextField(_("description (German)"))
    text_en = models.TextField(_("description (English)"))

    text = Translated("text")

    class Meta:
        ordering = ["field", "level"]
        constraints = [models.UniqueConstraint(fields=["field", "level"], name="fieldlevel_unique")]
        verbose_name = _("level description")
        verbose_name_plural = _("level descriptions")

    def __str__(self):
        return f"{self.field.code} · {Level(self.level).label}"


class Question(models.Model):
    """One observable practice, answered by choosing the option that describes the company's state."""

    field = models.ForeignKey(Field, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(_("code"), max_length=40, help_text=_("Stable across versions, e.g. journeys.3"))
    position = models.PositiveSmallIntegerField(_("position"))
    text_de = models.CharField(_("question (German)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300)
    help_de = models.TextField(_("help text (German)"), blank=True)
    help_en = models.TextField(_("help text (English)"), blank=True)

    text = Translated("text")
    help = Translated("help")

    class Meta:
        ordering = ["field__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["field", "code"], name="question_code_unique_per_field"),
            models.UniqueConstraint(fields=["field", "position"], name="question_position_unique_per_field"),
        ]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return f"{self.code}: {self.text_de}"

    def clean(self):
        if self.field_id and self.code and not self.code.startswith(f"{self.field.code}."):
            raise ValidationError({"code": _("The code must start with the code of its field.")})


class AnswerOption(models.Model):
    """One of the four descriptions of a practice, each tied to one level."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    level = models.PositiveSmallIntegerField(_("level"), choices=LEVEL_CHOICES)
    text_de = models.TextField(_("description (German)"))
    text_en = models.TextField(_("description (English)"))

    text = Translated("text")

    class Meta:
        ordering = ["question", "level"]
        constraints = [models.UniqueConstraint(fields=["question", "level"], name="option_level_unique")]
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")

    def __str__(self):
        return f"{self.question.code} · {Level(self.level).label}"


class Client(models.Model):
    """A client organisation of a consultant; only its owner (and staff) can see it."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consultant"),
        on_delete=models.CASCADE,
        related_name="clients",
    )
    name = models.CharField(_("organisation"), max_length=200)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    notes = models.TextField(_("notes"), max_length=5000, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")

    def __str__(self):
        return self.name


class Assessment(models.Model):
    """One Standortbestimmung of one organisation, answered with one questionnaire version."""

    class Kind(models.TextChoices):
        SELF = "self", _("Self-assessment")
        WORKSHOP = "workshop", _("Workshop")

    class Status(models.TextChoices):
        OPEN = "open", _("In progress")
        FINISHED = "finished", _("Finished")

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="assessments")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SELF)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    client = models.ForeignKey(
        Client,
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assessments",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consultant"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessments",
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="de")
    # The short version (the kiosk at events) asks only the first N questions of each field and scores those;
    # None: the whole questionnaire. Kept per assessment, so a later change of the setting changes no result.
    questions_per_field = models.PositiveSmallIntegerField(
        _("questions per field (short version)"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self):
        return self.organisation or str(self.key)[:8]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_short(self) -> bool:
        return self.questions_per_field is not None


class Participant(models.Model):
    """Someone answering an assessment through a personal link; the link's secret is stored only as a hash."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="participants")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # the language of the mails to this person ("": the assessment's)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    token_created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self):
        return self.name or str(self.key)[:8]

    @property
    def mail_language(self) -> str:
        return self.language or self.assessment.language


class Answer(models.Model):
    """A participant's answer to one question: an option (a level) or none for "weiß nicht"."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(
        AnswerOption, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "question"], name="one_answer_per_question"),
        ]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self):
        return f"{self.question_id}: {self.option_id or '?'}"

    def clean(self):
        if self.option_id and self.option.question_id != self.question_id:
            raise ValidationError({"option": _("The option belongs to another question.")})


class ConsensusAnswer(models.Model):
    """The answer a workshop settled on for one question; it counts for the result instead of the median."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="consensus")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(
        AnswerOption, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="one_consensus_per_question")
        ]
        verbose_name = _("consensus answer")
        verbose_name_plural = _("consensus answers")

    def __str__(self):
        return f"{self.question_id}: {self.option_id or '?'}"
