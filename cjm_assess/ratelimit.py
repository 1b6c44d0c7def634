"""Fixed-window rate limits counted in the database (shared by all processes and servers), and the named limits
of the app: what is counted, per what, and the setting that says how many hits an hour allows."""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from cjm_assess.models import RateCounter

LONGEST_WINDOW = 86400  # a day: the contact requests' limit


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
    # windows that ended before the longest limit's window began are of no use any more (to any limit)
    RateCounter.objects.filter(window__lt=window - 2 * max(window_seconds, LONGEST_WINDOW)).delete()
    return hits > limit


@dataclass(frozen=True)
class Limit:
    """At most `getattr(settings, setting)` hits an hour of one subject (an address, a person, an account)."""

    name: str
    setting: str
    window_seconds: int = 3600

    def key(self, subject: str) -> str:
        return f"{self.name}:{subject}"

    def reached(self, subject: str) -> bool:
        """True when the subject has used up its hits in this window (counts nothing)."""
        return over_limit(
            self.key(subject),
            limit=getattr(settings, self.setting),
            window_seconds=self.window_seconds,
            count=False,
        )

    def hit(self, subject: str) -> bool:
        """Counts one hit of the subject; True when that hit is over the limit."""
        return over_limit(
            self.key(subject), limit=getattr(settings, self.setting), window_seconds=self.window_seconds
        )


# Wrong personal links (opened or pasted to claim a self-assessment), per client address.
BAD_LINKS = Limit("bad-link", "BAD_LINKS_PER_IP_PER_HOUR")
# Wrong join codes of live workshops, per client address.
BAD_JOIN_CODES = Limit("bad-join-code", "BAD_JOIN_CODES_PER_IP_PER_HOUR")
# Invitations, per consultant.
INVITATIONS = Limit("invite", "INVITATIONS_PER_CONSULTANT_PER_HOUR")
# New self-assessments, per client address.
SELF_ASSESSMENTS = Limit("start", "SELF_ASSESSMENTS_PER_IP_PER_HOUR")
# Fresh PDF renders (downloads from the cache are free), per person and per client address.
RENDERS_PER_PERSON = Limit("render-person", "REPORT_RENDERS_PER_PERSON_PER_HOUR")
RENDERS_PER_ADDRESS = Limit("render-ip", "REPORT_RENDERS_PER_IP_PER_HOUR")
# Password-reset requests, per client address and per e-mail address asked for (existing or not).
PASSWORD_RESETS_PER_ADDRESS = Limit("reset-ip", "PASSWORD_RESETS_PER_IP_PER_HOUR")
PASSWORD_RESETS_PER_ACCOUNT = Limit("reset-account", "PASSWORD_RESETS_PER_ACCOUNT_PER_HOUR")


def pseudonym(value: str) -> str:
    """A stable stand-in for personal data in a counter's key (an e-mail address is not kept readable)."""
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
