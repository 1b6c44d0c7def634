from django.db import models


class RateCounter(models.Model):
    """Hits of one key (e.g. "bad-link:<ip>") in one time window; in the database, so every app process and
    every server behind a load balancer share it, with no Redis."""

    key = models.CharField(max_length=200)
    window = models.BigIntegerField()  # start of the window, in seconds since the epoch
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="one_counter_per_window")]
        indexes = [models.Index(fields=["window"])]

    def __str__(self):
        return f"{self.key} @ {self.window}: {self.hits}"
