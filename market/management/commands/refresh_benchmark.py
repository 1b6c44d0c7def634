from django.core.management.base import BaseCommand

from market.snapshots import snapshot_refresh


class Command(BaseCommand):
    help = (
        "Computes the peer benchmark and the market view anew from every finished assessment (run it daily by "
        "cron; the worker also refreshes after each change that moves it)."
    )

    def handle(self, *args, **options):
        snapshot = snapshot_refresh()
        self.stdout.write(
            f"Benchmark computed: {snapshot.results} results counted, {snapshot.figures.count()} tables stored."
        )
