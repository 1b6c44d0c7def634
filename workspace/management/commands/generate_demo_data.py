import random
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from standortbestimmung.access import token_new
from standortbestimmung.models import Answer, Assessment, Client, Participant, Question
from standortbestimmung.versions import current_version

COMPANIES = ["Nordlicht", "Alpen", "Rhein", "Hanse", "Isar", "Elbe", "Bodensee", "Spree", "Main", "Donau"]
KINDS = [
    "Versicherung AG",
    "Handel GmbH",
    "Bank eG",
    "Stadtwerke",
    "Logistik KG",
    "Software GmbH",
    "Klinikum",
]


class Command(BaseCommand):
    help = (
        "Creates realistic demo data: clients of a consultant with assessments whose participants answered."
    )

    def add_arguments(self, parser):
        parser.add_argument("--assessments", type=int, default=20)
        parser.add_argument("--participants", type=int, default=1, help="participants per assessment")
        parser.add_argument("--per-client", type=int, default=4, help="assessments per client")
        parser.add_argument(
            "--consultant",
            default="demo",
            help="username (created if missing, with a random password that is printed once)",
        )
        parser.add_argument(
            "--password", help="the new consultant's password instead of a random one (for the benchmarks)"
        )
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, assessments, participants, per_client, consultant, password, seed, **options):
        if not 1 <= assessments <= 100_000 or not 1 <= participants <= 50 or per_client < 1:
            raise CommandError("--assessments 1..100000, --participants 1..50, --per-client >= 1")
        version = current_version()
        if version is None:
            raise CommandError("No published questionnaire: run `manage.py load_content` first.")
        # Demo data, reproducible on purpose: no secret comes from this generator.
        rng = random.Random(seed)  # noqa: S311  # nosec B311
        User = get_user_model()
        user = User.objects.filter(username=consultant).first()
        if user is None:
            shown = password or secrets.token_urlsafe(16)
            user = User.objects.create_user(consultant, f"{consultant}@example.org", shown)
            self.stdout.write(
                f"Created the consultant {consultant} with the password {shown} (shown only now); "
                "at the first sign-in they set up an authenticator app."
            )
        questions = list(Question.objects.filter(field__version=version).prefetch_related("options"))
        option_of = {(q.pk, o.level): o.pk for q in questions for o in q.options.all()}
        # one unusable hash is enough for demo participants: nobody opens their links
        _token, unusable = token_new()
        created = 0
        while created < assessments:
            with transaction.atomic():
                name = f"{rng.choice(COMPANIES)} {rng.choice(KINDS)} {created // per_client + 1}"
                client = Client.objects.create(owner=user, name=name, contact_name="Demo")
                batch = []
                for _ in range(min(per_client, assessments - created)):
                    batch.append(
                        Assessment(
                            version=version,
                            client=client,
                            owner=user,
                            organisation=name,
                            kind=Assessment.Kind.WORKSHOP,
                            status=Assessment.Status.FINISHED,
                        )
                    )
                    created += 1
                batch = Assessment.objects.bulk_create(batch)
                people = Participant.objects.bulk_create(
                    Participant(
                        assessment=a, name=f"Person {i + 1}", token_hash=f"{unusable[:40]}{a.pk:012d}{i:012d}"
                    )
                    for a in batch
                    for i in range(participants)
                )
                answers = []
                for person in people:
                    base = rng.choice([1, 2, 2, 3, 3, 4])
                    for q in questions:
                        level = min(4, max(1, base + rng.choice([-1, 0, 0, 0, 1])))
                        option = None if rng.random() < 0.04 else option_of[(q.pk, level)]
                        answers.append(Answer(participant=person, question=q, option_id=option))
                Answer.objects.bulk_create(answers, batch_size=5000)
        self.stdout.write(
            f"Created {created} assessments with {participants} participant(s) each for {consultant}."
        )
