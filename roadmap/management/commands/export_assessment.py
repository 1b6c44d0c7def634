from pathlib import Path

from django.core.management.base import BaseCommand

from roadmap.exchange import export_csv, export_json
from roadmap.management.commands._lookup import assessment_by_id


class Command(BaseCommand):
    help = "Writes an assessment (answers, result, roadmap) as JSON (default) or its answers as CSV."

    def add_arguments(self, parser):
        parser.add_argument("id", help="the assessment's key (UUID) or database id")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, id, output, format, **options):
        assessment = assessment_by_id(id)
        text = export_json(assessment) if format == "json" else export_csv(assessment)
        if output:
            Path(output).write_text(text + ("\n" if format == "json" else ""), encoding="utf-8")
            self.stderr.write(f"Written to {output}")
        else:
            self.stdout.write(text)
