from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from roadmap.measures import catalogue_problems_all
from roadmap.models import Catalogue
from standortbestimmung.models import QuestionnaireVersion
from standortbestimmung.versions import version_problems


def check_questionnaires() -> list[str]:
    problems = []
    for version in QuestionnaireVersion.objects.exclude(status=QuestionnaireVersion.Status.DRAFT):
        problems += [f"v{version.number}: {problem}" for problem in version_problems(version=version)]
    return problems


# (fixture file, is its content already in the database?, validation of what is published)
CONTENT = [
    ("questionnaire.json", lambda: QuestionnaireVersion.objects.exists(), check_questionnaires),
    ("measures.json", lambda: Catalogue.objects.exists(), catalogue_problems_all),
]


class Command(BaseCommand):
    help = "Loads the questionnaire and the measures catalogue from fixtures/ unless already there, then validates."

    def add_arguments(self, parser):
        parser.add_argument("--fixtures-dir", default=str(Path(settings.BASE_DIR) / "fixtures"))

    def handle(self, *args, fixtures_dir, verbosity=1, **options):
        for filename, present, check in CONTENT:
            path = Path(fixtures_dir) / filename
            if present():
                if verbosity:
                    self.stdout.write(f"{filename}: already loaded")
                continue
            if not path.exists():
                raise CommandError(f"{path} does not exist.")
            with transaction.atomic():
                call_command("loaddata", str(path), verbosity=0)
                problems = check()
                if problems:  # raising inside atomic() rolls the load back
                    raise CommandError(
                        f"{filename} is not valid, nothing was loaded:\n- " + "\n- ".join(problems)
                    )
            if verbosity:
                self.stdout.write(f"{filename}: loaded")
