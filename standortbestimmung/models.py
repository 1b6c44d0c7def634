import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from cjm_assess.translation import Translated
from standortbestimmung.scoring import FIELD_ORDER, LEVEL_LABELS, FieldCode, Level
from standortbestimmung.segments import MIN_PARTICIPANTS, Confidence

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


class Industry(models.TextChoices):
    """About a dozen sectors, grouped from the NACE Rev. 2 sections (letters in the comments)."""

    MANUFACTURING = "manufacturing", _("Manufacturing and mining")  # B, C
    ENERGY = "energy", _("Energy, water and waste")  # D, E
    CONSTRUCTION = "construction", _("Construction and real estate")  # F, L
    TRADE = "trade", _("Trade and consumer goods")  # G
    TRANSPORT = "transport", _("Transport and logistics")  # H
    HOSPITALITY = "hospitality", _("Hospitality and tourism")  # I
    ICT = "ict", _("Information, communication and media")  # J
    FINANCE = "finance", _("Banking and insurance")  # K
    SERVICES = "services", _("Professional and business services")  # M, N
    PUBLIC = "public", _("Public administration")  # O, U
    EDUCATION = "education", _("Education")  # P
    HEALTH = "health", _("Health and social work")  # Q
    OTHER = "other", _("Other (agriculture, culture, other services)")  # A, R, S, T


class CompanySize(models.TextChoices):
    """Employee bands (the EU's SME classes, the large ones split once more)."""

    MICRO = "1-9", _("1–9 employees")
    SMALL = "10-49", _("10–49 employees")
    MEDIUM = "50-249", _("50–249 employees")
    LARGE = "250-999", _("250–999 employees")
    VERY_LARGE = "1000+", _("1,000 employees or more")


class Region(models.TextChoices):
    GERMANY = "de", _("Germany")
    AUSTRIA = "at", _("Austria")
    SWITZERLAND = "ch", _("Switzerland")
    OTHER = "other", _("Another country")


class OrganisationProfile(models.Model):
    """What the peer benchmark compares by, all optional, and the consent to count in it (never preset)."""

    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices, blank=True)
    size = models.CharField(_("company size"), max_length=10, choices=CompanySize.choices, blank=True)
    region = models.CharField(_("region"), max_length=10, choices=Region.choices, blank=True)
    benchmark_consent = models.BooleanField(_("counts in the benchmark"), default=False)
    benchmark_consent_at = models.DateTimeField(_("benchmark consent given"), null=True, blank=True)

    class Meta:
        abstract = True


class Client(OrganisationProfile):
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


MAX_GROUP_SIZE = 50
SEGMENT_NAME_LENGTH = 80
EVIDENCE_LENGTH = 500


class Assessment(OrganisationProfile):
    """One Standortbestimmung of one organisation, answered with one questionnaire version.

    Its profile and consent are the self-assessor's; an assessment of a client follows the client's."""

    class Kind(models.TextChoices):
        SELF = "self", _("Self-assessment")
        WORKSHOP = "workshop", _("Workshop")

    class Status(models.TextChoices):
        OPEN = "open", _("In progress")
        FINISHED = "finished", _("Finished")

    class Counting(models.TextChoices):
        """Whose answers make up a workshop's result (a self-assessment has one respondent)."""

        FINISHED = "finished", _("Finished participants only")
        ALL = "all", _("All answers, finished or not")

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(
        _("title"),
        max_length=120,
        blank=True,
        help_text=_("Optional. Tells this assessment apart from the client's others, e.g. “Sales team”."),
    )
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
    counting = models.CharField(
        _("counted in the result"), max_length=10, choices=Counting.choices, default=Counting.ALL
    )
    # The short version (the kiosk at events) asks only the first N questions of each field and scores those;
    # None: the whole questionnaire. Kept per assessment, so a later change of the setting changes no result.
    questions_per_field = models.PositiveSmallIntegerField(
        _("questions per field (short version)"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    min_group_size = models.PositiveSmallIntegerField(
        _("minimum group size"),
        default=MIN_PARTICIPANTS,
        validators=[MinValueValidator(2), MaxValueValidator(MAX_GROUP_SIZE)],
        help_text=_("A business unit or role shows its result only from this many answering participants."),
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_group_size__gte=2, min_group_size__lte=MAX_GROUP_SIZE),
                name="min_group_size_2_to_50",
            )
        ]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self):
        return self.organisation or str(self.key)[:8]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def counts_finished_only(self) -> bool:
        """Whether only participants who finished count for the result (workshops; a self-assessment's one
        respondent always counts)."""
        return self.kind == self.Kind.WORKSHOP and self.counting == self.Counting.FINISHED

    def label(self) -> str:
        """How the assessment is told apart from the client's others: its title or its kind, with the date
        and time it was started, in the active language."""
        started = formats.date_format(timezone.localtime(self.created_at), "DATETIME_FORMAT")
        return f"{self.title or self.get_kind_display()} · {started}"

    @property
    def is_short(self) -> bool:
        return self.questions_per_field is not None


class Segment(models.Model):
    """A business unit (or key journey) or a role of a workshop, named by the consultant; each participant
    belongs to at most one of each."""

    class Dimension(models.TextChoices):
        UNIT = "unit", _("Business unit")
        ROLE = "role", _("Role")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="segments")
    dimension = models.CharField(_("kind"), max_length=4, choices=Dimension.choices)
    name = models.CharField(_("name"), max_length=SEGMENT_NAME_LENGTH)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    targets = models.JSONField(
        _("target levels"),
        default=dict,
        blank=True,
        help_text=_("Business units only: field code -> target level, once the consultant has set them."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["assessment", "dimension", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "dimension", "name"], name="segment_name_unique")
        ]
        verbose_name = _("segment")
        verbose_name_plural = _("segments")

    def __str__(self):
        return self.name


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
    unit = models.ForeignKey(
        Segment,
        verbose_name=_("business unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"dimension": Segment.Dimension.UNIT},
    )
    role = models.ForeignKey(
        Segment,
        verbose_name=_("role"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"dimension": Segment.Dimension.ROLE},
    )
    # when the unit or role was last set: the report's cache key sees a change of either
    placed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self):
        return self.name or str(self.key)[:8]

    @property
    def mail_language(self) -> str:
        return self.language or self.assessment.language


CONFIDENCE_CHOICES = [
    (Confidence.SURE.value, _("sure")),
    (Confidence.RATHER_SURE.value, _("rather sure")),
    (Confidence.GUESS.value, _("a guess")),
]


class Answer(models.Model):
    """A participant's answer to one question: an option (a level) or none for "weiß nicht", and optionally
    how sure they are and a short note or link that backs it up (their own words: escaped, never logged)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(
        AnswerOption, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confidence = models.CharField(_("how sure"), max_length=12, choices=CONFIDENCE_CHOICES, blank=True)
    evidence = models.TextField(_("note or link"), max_length=EVIDENCE_LENGTH, blank=True)
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


class ValidatedAnswer(models.Model):
    """The group's answer to one question was checked in the workshop (against the participants' notes):
    guesses to it no longer count as unchecked."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="validations")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="one_validation_per_question")
        ]
        verbose_name = _("validated answer")
        verbose_name_plural = _("validated answers")

    def __str__(self):
        return f"{self.question_id} ✓"
