from pathlib import Path

from django.core.management.base import BaseCommand

from roadmap.management.commands._lookup import assessment_by_id
from roadmap.pdf import report_pdf


class Command(BaseCommand):
    help = (
        "Renders the PDF report of an assessment (the consultant's copy, as the workspace's download button)."
    )

    def add_arguments(self, parser):
        parser.add_argument("id", help="the assessment's key (UUID) or database id")
        parser.add_argument("-o", "--output", required=True, help="the PDF file to write")
        parser.add_argument("--lang", choices=["de", "en"], help="default: the assessment's language")

    def handle(self, *args, id, output, lang, **options):
        assessment = assessment_by_id(id)
        rendered = report_pdf(assessment, lang or assessment.language, for_owner=True)
        Path(output).write_bytes(rendered.pdf)
        self.stdout.write(f"Written {len(rendered.pdf) // 1024} KB to {output}")
