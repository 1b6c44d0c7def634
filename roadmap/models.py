from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cjm_assess.translation import Translated
from roadmap.catalogue import EFFORT_DAYS, Effort, MeasureSpec
from roadmap.planning import FieldGoal, Fixed, Reason
from roadmap.quarters import Quarter
from standortbestimmung.models import FIELD_CHOICES, LEVEL_CHOICES, VersionedContent
from standortbestimmung.scoring import FieldCode, Level, Profile


class Catalogue(VersionedContent):
    """One version of the measures catalogue; like the questionnaire, immutable once published."""

    class Meta(VersionedContent.Meta):
        verbose_name = _("measures catalogue")
        verbose_name_plural = _("measures catalogues")


class Measure(models.Model):
    """A Maßnahme of the catalogue: what to do in one field to reach a level, and how success shows."""

    EFFORT_CHOICES = [
        (
            e.value,
            format_lazy("{} ({}–{} {})", e.value, EFFORT_DAYS[e][0], EFFORT_DAYS[e][1], _("person-days")),
        )
        for e in Effort
    ]

    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="measures")
    code = models.CharField(_("code"), max_length=60)
    field = models.CharField(_("field"), max_length=20, choices=FIELD_CHOICES)
    target_level = models.PositiveSmallIntegerField(_("leads to level"), choices=LEVEL_CHOICES[1:])
    sustains = models.BooleanField(_("sustains Commit"), default=False)
    carries = models.BooleanField(
        _("carries its level"),
        default=False,
        help_text=_(
            "One of the few measures that make the field reach the level; the others deepen it. Where no measure "
            "of a field and level is marked, all of them carry it."
        ),
    )
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
            carries=self.carries,
        )


class Roadmap(models.Model):
    """The plan of one assessment: its settings, and a revision that guards against lost updates."""

    assessment = models.OneToOneField(
        "standortbestimmung.Assessment", on_delete=models.CASCADE, related_name="roadmap"
    )
    catalogue = models.ForeignKey(Catalogue, on_delete=models.PROTECT, related_name="roadmaps")
    start_year = models.PositiveSmallIntegerField(_("start year"))
    start_quarter = models.PositiveSmallIntegerField(
        _("start quarter"), choices=[(q, f"Q{q}") for q in range(1, 5)]
    )
    horizon = models.PositiveSmallIntegerField(_("horizon in quarters"), default=4)
    capacity = models.PositiveSmallIntegerField(_("capacity per quarter"), default=3)
    capacity_in_points = models.BooleanField(_("capacity in effort points"), default=False)
    targets = models.JSONField(_("target levels"), default=dict, blank=True)
    targets_chosen = models.BooleanField(
        _("targets chosen by the consultant"),
        default=False,
        help_text=_("Until a consultant sets them, the targets follow the levels (one level up)."),
    )
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("roadmap")
        verbose_name_plural = _("roadmaps")

    def __str__(self):
        return f"{self.assessment} · {self.start}"

    @property
    def start(self) -> Quarter:
        return Quarter(self.start_year, self.start_quarter)

    def quarters(self) -> list[Quarter]:
        return [self.start + i for i in range(self.horizon)]

    def goals(self, profile: Profile) -> list[FieldGoal]:
        """What the planner works toward: each field's target, never below the level it has already."""
        goals = []
        for result in profile.fields:
            current = result.level or Level.UNAWARE
            target = Level(self.targets.get(result.field.value, int(current.next or Level.COMMIT)))
            goals.append(FieldGoal(result.field, result.level, max(target, current), result.score))
        return goals


REASON_CHOICES = [
    (Reason.STEP.value, _("toward the next level")),
    (Reason.GAP.value, _("lagging practice")),
    (Reason.PREREQUISITE.value, _("prerequisite")),
    (Reason.SUSTAIN.value, _("keeps Commit")),
]


class RoadmapItem(models.Model):
    """A measure in a quarter (or later): from the catalogue or written by the consultant."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        POSTPONED = "postponed", _("postponed")
        DROPPED = "dropped", _("dropped")

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="items")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("Only for your own measures.")
    )
    description = models.TextField(_("description"), max_length=2000, blank=True)
    field = models.CharField(_("field"), max_length=20, choices=FIELD_CHOICES)
    target_level = models.PositiveSmallIntegerField(_("leads to level"), choices=LEVEL_CHOICES)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    quarter = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    owner = models.CharField(_("responsible"), max_length=200, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    pinned = models.BooleanField(
        default=False, help_text=_("Edited by hand: re-planning leaves it where it is.")
    )
    reason = models.CharField(max_length=20, blank=True, choices=REASON_CHOICES)
    for_field = models.CharField(max_length=20, blank=True, choices=FIELD_CHOICES)
    enables = models.CharField(
        max_length=60, blank=True, help_text=_("The measure this one is a prerequisite for (its code).")
    )
    position = models.PositiveSmallIntegerField(default=0)
    progress = models.PositiveSmallIntegerField(
        _("progress in percent"), default=0, help_text=_("The latest entry of its progress history.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year", "quarter", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["roadmap", "measure"],
                condition=models.Q(measure__isnull=False),
                name="measure_once_per_roadmap",
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__isnull=True) | models.Q(quarter__gte=1, quarter__lte=4),
                name="quarter_1_to_4",
            ),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="item_progress_0_to_100"),
        ]
        verbose_name = _("roadmap item")
        verbose_name_plural = _("roadmap items")

    def __str__(self):
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.measure.title if self.measure_id else self.title

    @property
    def when(self) -> Quarter | None:
        return Quarter(self.year, self.quarter) if self.year and self.quarter else None

    @property
    def duration(self) -> int:
        return self.measure.duration_quarters if self.measure_id else 1

    def fixed(self) -> Fixed:
        """The item as the planner keeps it: where it runs (nowhere once dropped) and whether it is done."""
        return Fixed(
            code=self.measure.code,
            quarter=self.when if self.status != self.Status.DROPPED else None,
            duration=self.duration,
            done=self.status == self.Status.DONE,
        )

    @property
    def is_kept_on_replan(self) -> bool:
        """Items the consultant touched, started, finished or wrote stay as they are when re-planning."""
        return self.pinned or self.measure_id is None or self.status != self.Status.PLANNED


class ProgressEntry(models.Model):
    """One change of a roadmap item's progress, with the day it was recorded: the history behind the burn-up."""

    item = models.ForeignKey(RoadmapItem, on_delete=models.CASCADE, related_name="progress_entries")
    percent = models.PositiveSmallIntegerField(_("progress in percent"))
    recorded_on = models.DateField(_("recorded on"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_on", "created_at", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(percent__lte=100), name="progress_0_to_100")]
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")

    def __str__(self):
        return f"{self.item} · {self.percent} % · {self.recorded_on}"


class Report(models.Model):
    """A rendered PDF report, kept until what it shows changes (the digest covers all of it)."""

    assessment = models.ForeignKey(
        "standortbestimmung.Assessment", on_delete=models.CASCADE, related_name="reports"
    )
    language = models.CharField(max_length=5)
    for_owner = models.BooleanField(default=False, help_text=_("The consultant's copy, with the comparison."))
    digest = models.CharField(max_length=64)
    pdf = models.BinaryField()
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "language", "for_owner"], name="one_report_per_language_and_reader"
            )
        ]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self):
        return f"{self.assessment} ({self.language})"
