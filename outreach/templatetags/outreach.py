from django import template

from outreach.access import sees_leads as _sees_leads

register = template.Library()


@register.filter
def sees_leads(user) -> bool:
    """Whether the user may open the leads inbox (for the navigation; no query)."""
    return _sees_leads(user)
