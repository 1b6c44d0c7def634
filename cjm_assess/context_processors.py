from django.conf import settings


def site(request):
    """Operator and consultant details for the footer, the legal pages and the contact call to action."""
    return {"operator": settings.OPERATOR, "consultant": settings.CONSULTANT}
