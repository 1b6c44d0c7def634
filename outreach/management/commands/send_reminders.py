from django.conf import settings
from django.core.management.base import BaseCommand

from outreach.services import reminders_queue


class Command(BaseCommand):
    help = (
        "Queues reminders to invited participants who have not finished, REMINDER_AFTER_DAYS after the last "
        "mail to them (at most REMINDERS_MAX each); the worker sends them. Run it daily (cron)."
    )

    def handle(self, *args, **options):
        if settings.REMINDER_AFTER_DAYS <= 0:
            self.stdout.write("Automatic reminders are off (REMINDER_AFTER_DAYS=0).")
            return
        self.stdout.write(f"Queued {reminders_queue()} reminders.")
