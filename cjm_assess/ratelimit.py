"""A fixed-window rate limit counted in the database (shared by all processes and servers)."""

import time

from django.db import IntegrityError, transaction
from django.db.models import F

from cjm_assess.models import RateCounter


def over_limit(key: str, *, limit: int, window_seconds: int, count: bool = True) -> bool:
    """Counts one hit of key (unless count is False) and says whether the key is over its limit now."""
    window = int(time.time()) // window_seconds * window_seconds
    if not count:
        hits = RateCounter.objects.filter(key=key, window=window).values_list("hits", flat=True).first() or 0
        return hits >= limit
    with transaction.atomic():
        updated = RateCounter.objects.filter(key=key, window=window).update(hits=F("hits") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=key, window=window, hits=1)
            except IntegrityError:  # another process created it meanwhile
                RateCounter.objects.filter(key=key, window=window).update(hits=F("hits") + 1)
        hits = RateCounter.objects.filter(key=key, window=window).values_list("hits", flat=True).first()
    # old windows are of no use any more
    RateCounter.objects.filter(window__lt=window - 2 * window_seconds).delete()
    return hits > limit
