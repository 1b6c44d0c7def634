import uuid

from django.core.management.base import CommandError

from standortbestimmung.models import Assessment


def assessment_by_id(value: str) -> Assessment:
    """An assessment by its key (UUID) or its database id."""
    try:
        lookup = {"key": uuid.UUID(value)} if "-" in value else {"pk": int(value)}
    except ValueError:
        raise CommandError(f"{value!r} is neither an assessment key nor an id.") from None
    assessment = Assessment.objects.filter(**lookup).select_related("version").first()
    if assessment is None:
        raise CommandError(f"There is no assessment {value}.")
    return assessment
