"""For pages of other apps that link into a live workshop (the workshop page's start button)."""

from django import template

from live.models import LiveSession
from live.phases import Status

register = template.Library()


@register.simple_tag
def open_live_session(assessment) -> LiveSession | None:
    """The assessment's live session that is running or paused, if there is one."""
    return LiveSession.objects.filter(assessment=assessment).exclude(status=Status.ENDED).first()
