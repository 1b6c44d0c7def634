from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from roadmap.exchange import MAX_IMPORT_BYTES, ImportRefused, import_assessment


class Command(BaseCommand):
    help = "Recreates an assessment from a JSON export; nothing is written if the file has any problem."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file} does not exist.")
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise CommandError(f"{file} is larger than 5 MB.")
        try:
            assessment = import_assessment(path.read_bytes())
        except ImportRefused as exc:
            raise CommandError(f"{file} was not imported: {exc}") from None
        self.stdout.write(
            f"Imported assessment {assessment.key} ({assessment.organisation or 'no organisation'})."
        )
