from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from standortbestimmung.models import Assessment, Participant


class Command(BaseCommand):
    help = (
        "Deletes anonymous self-assessments nobody changed for SELF_ASSESSMENT_RETENTION_MONTHS (with their "
        "answers, roadmaps and reports) and invitations never used for INVITATION_EXPIRY_DAYS. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only count what would be deleted")

    @transaction.atomic
    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        stale = Assessment.objects.filter(
            kind=Assessment.Kind.SELF,
            client__isnull=True,
            owner__isnull=True,
            updated_at__lt=now - timedelta(days=30 * settings.SELF_ASSESSMENT_RETENTION_MONTHS),
        )
        unused = Participant.objects.annotate(n=Count("answers")).filter(
            n=0,
            assessment__kind=Assessment.Kind.WORKSHOP,
            created_at__lt=now - timedelta(days=settings.INVITATION_EXPIRY_DAYS),
        )
        counts = (stale.count(), unused.count())
        if not dry_run:
            Participant.objects.filter(pk__in=list(unused.values_list("pk", flat=True))).delete()
            stale.delete()
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} {counts[0]} self-assessments and {counts[1]} unused invitations.")
