from django.db import models
from django.utils.translation import gettext_lazy as _

from cjm_assess.translation import Translated
from roadmap.planning import EFFORT_DAYS, Effort, MeasureSpec
from standortbestimmung.models import FIELD_CHOICES, LEVEL_CHOICES
from standortbestimmung.scoring import FieldCode, Level


class Catalogue(models.Model):
    """One version of the measures catalogue; like the questionnaire, immutable once published."""

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
        ordering = ["-number"]
        verbose_name = _("measures catalogue")
        verbose_name_plural = _("measures catalogues")

    def __str__(self):
        return f"v{self.number} {self.title_de} ({self.get_status_display()})"


class Measure(models.Model):
    """A Maßnahme of the catalogue: what to do in one field to reach a level, and how success shows."""

    EFFORT_CHOICES = [(e.value, f"{e.value} ({EFFORT_DAYS[e][0]}–{EFFORT_DAYS[e][1]} PT)") for e in Effort]

    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="measures")
    code = models.CharField(_("code"), max_length=60)
    field = models.CharField(_("field"), max_length=20, choices=FIELD_CHOICES)
    target_level = models.PositiveSmallIntegerField(_("leads to level"), choices=LEVEL_CHOICES[1:])
    sustains = models.BooleanField(_("sustains Commit"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    title_de = models.CharField(_("title (German)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    description_de = models.TextField(_("description (German)"))
    description_en = models.TextField(_("description (English)"))
    effort = models.CharField(_("effort"), max_length=1, choices=EFFORT_CHOICES)
    duration_quarters = models.PositiveSmallIntegerField(_("duration in quarters"), default=1)
    prerequisites = models.JSONField(_("prerequisites (codes)"), default=list, blank=True)
    success_indicator_de = models.TextField(_("success indicator (German)"))
    success_indicator_en = models.TextField(_("success indicator (English)"))
    roles_de = models.CharField(_("roles (German)"), max_length=300, blank=True)
    roles_en = models.CharField(_("roles (English)"), max_length=300, blank=True)
    question_codes = models.JSONField(_("improves questions (codes)"), default=list, blank=True)

    title = Translated("title")
    description = Translated("description")
    success_indicator = Translated("success_indicator")
    roles = Translated("roles")

    class Meta:
        ordering = ["catalogue", "code"]
        constraints = [models.UniqueConstraint(fields=["catalogue", "code"], name="measure_code_unique")]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self):
        return f"{self.code}: {self.title_de}"

    def spec(self) -> MeasureSpec:
        """The plain data the planner works with."""
        return MeasureSpec(
            code=self.code,
            field=FieldCode(self.field),
            target_level=Level(self.target_level),
            effort=Effort(self.effort),
            duration_quarters=self.duration_quarters,
            prerequisites=tuple(self.prerequisites),
            question_codes=tuple(self.question_codes),
            sustains=self.sustains,
            position=self.position,
        )
