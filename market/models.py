from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Snapshot(models.Model):
    """One computation of the benchmark over every counted assessment; pages read the latest until the next."""

    started_at = models.DateTimeField(_("read the assessments at"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    k = models.PositiveSmallIntegerField(_("smallest group"))
    results = models.PositiveIntegerField(_("counted results"))
    periods = models.JSONField(_("quarters"), default=list)  # with finished assessments, for the menus

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("benchmark snapshot")
        verbose_name_plural = _("benchmark snapshots")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} ({self.results})"


class Figures(models.Model):
    """The figures of one filter combination in a snapshot: the market's (protected), or one consultant's own
    clients' (owner set, for that consultant only). "" in a dimension means all; combinations in which the
    market shows nothing have no row."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="figures")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+")
    industry = models.CharField(max_length=20, blank=True)
    size = models.CharField(max_length=10, blank=True)
    region = models.CharField(max_length=10, blank=True)
    period = models.CharField(max_length=7, blank=True)  # "2026-Q4"
    data = models.JSONField()

    class Meta:
        indexes = [
            models.Index(fields=["snapshot", "owner", "industry", "size", "region"], name="figures_lookup")
        ]
        verbose_name = _("benchmark figures")
        verbose_name_plural = _("benchmark figures")

    def __str__(self):
        return "/".join([self.industry, self.size, self.region, self.period]) or "all"
