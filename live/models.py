import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from live.codes import LENGTH, code_display
from live.phases import Phase, Status, phase_of
from standortbestimmung.models import Assessment, Field, Participant, Question
from standortbestimmung.questionnaire import questionnaire_of

STATUS_CHOICES = [
    (Status.RUNNING.value, _("running")),
    (Status.PAUSED.value, _("paused")),
    (Status.ENDED.value, _("ended")),
]


class LiveSession(models.Model):
    """A workshop answered live in the room: what is open, whether it is shown, the timer; every change of
    what the screens show raises the revision, which polling screens and the consultant's forms compare."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="live_sessions")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("join code"), max_length=LENGTH, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=STATUS_CHOICES, default=Status.RUNNING)
    field = models.ForeignKey(Field, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    revealed = models.BooleanField(_("results shown"), default=False)
    timer_ends_at = models.DateTimeField(_("timer ends"), null=True, blank=True)
    allow_anonymous = models.BooleanField(_("anonymous participation"), default=False)
    result_shared = models.BooleanField(_("group result shared"), default=False)
    revision = models.PositiveIntegerField(default=1)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment"], condition=~Q(status=Status.ENDED), name="one_open_live_session"
            ),
            models.CheckConstraint(
                condition=Q(field__isnull=True) | Q(question__isnull=True), name="live_field_or_question"
            ),
        ]
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")

    def __str__(self):
        return f"{self.assessment} · {self.code}"

    @property
    def code_display(self) -> str:
        return code_display(self.code)

    @property
    def has_item(self) -> bool:
        return self.field_id is not None or self.question_id is not None

    def open_questions(self) -> list[Question]:
        """The questions open now: the one opened, or every question of the opened field, in their order."""
        questionnaire = questionnaire_of(self.assessment)
        if self.question_id is not None:
            return [questionnaire.questions[self.question_id]]
        field = next((f for f in questionnaire.fields if f.pk == self.field_id), None)
        return list(field.questions.all()) if field else []

    def open_question_ids(self) -> set[int]:
        return {q.pk for q in self.open_questions()}

    def phase(self, now=None) -> Phase:
        return phase_of(
            status=self.status,
            has_item=self.has_item,
            revealed=self.revealed,
            timer_ends_at=self.timer_ends_at,
            now=now or timezone.now(),
        )


class LiveMember(models.Model):
    """A person in the room: a participant of the workshop who joined this session from their phone."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="members")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="live_memberships")
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="one_membership_per_session")
        ]
        verbose_name = _("member of a live session")
        verbose_name_plural = _("members of live sessions")

    def __str__(self):
        return f"{self.session.code}: {self.participant}"
