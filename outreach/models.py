from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from standortbestimmung.models import Assessment, Client, Participant


class Lead(models.Model):
    """A self-assessor's request for a conversation, with their consent that the consultant sees this assessment.

    Withdrawing the consent erases the contact details and ends the consultant's access; what remains is a
    note that there was a request.
    """

    class Status(models.TextChoices):
        NEW = "new", _("New")
        CONTACTED = "contacted", _("Contacted")
        CONVERTED = "converted", _("Client")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Consent withdrawn")

    OPEN = (Status.NEW, Status.CONTACTED)

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="leads")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="leads", help_text=_("Who asked, by their link.")
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    message = models.TextField(_("message"), max_length=2000, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="de")
    # The consent as given: when, and the sentence that was agreed to (in the requester's language).
    consent_at = models.DateTimeField(_("consent given"))
    consent_text = models.TextField(_("consent"), max_length=1000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    client = models.ForeignKey(
        Client,
        verbose_name=_("client"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads",
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consultant"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The secret of the withdrawal link in the confirmation mail, as SHA-256 only (made by the worker).
    withdraw_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    withdrawn_at = models.DateTimeField(_("consent withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("contact request")
        verbose_name_plural = _("contact requests")

    def __str__(self):
        return self.name or _("withdrawn request")

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def is_withdrawn(self) -> bool:
        return self.status == self.Status.WITHDRAWN


class Mail(models.Model):
    """One e-mail the app sends and how sending it went. Its text is composed by the worker and never stored:
    an invitation carries a personal link, made in the same run."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        REMINDER = "reminder", _("Reminder")
        ALL_FINISHED = "all_finished", _("All participants finished")
        LEAD_NOTICE = "lead_notice", _("New contact request")
        LEAD_CONFIRMATION = "lead_confirmation", _("Confirmation of a contact request")
        REPORT = "report", _("Report")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("sending failed")
        CANCELLED = "cancelled", _("not sent: no longer needed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    to = models.EmailField(_("to"))
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, null=True, blank=True, related_name="mails"
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, null=True, blank=True, related_name="mails"
    )
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, null=True, blank=True, related_name="mails")
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["participant", "kind", "created_at"])]
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")

    def __str__(self):
        return f"{self.get_kind_display()} → {self.to} ({self.get_status_display()})"


class ShareLink(models.Model):
    """A read-only link to a finished result and its PDF, to forward inside the company; it expires, can be
    revoked, and its secret is stored only as SHA-256."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="share_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("share link")
        verbose_name_plural = _("share links")

    def __str__(self):
        return f"{self.assessment} · {self.expires_at:%Y-%m-%d}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()
