import random
import secrets
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from market.snapshots import snapshot_refresh
from roadmap.quarters import Quarter
from roadmap.services import roadmap_create
from standortbestimmung.access import token_new
from standortbestimmung.models import (
    Answer,
    Assessment,
    Client,
    CompanySize,
    Industry,
    Participant,
    Question,
    Region,
)
from standortbestimmung.result import assessment_result
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
# Roughly how often each appears among companies that assess their CJM in the DACH region ("" = not given).
INDUSTRIES = {
    Industry.MANUFACTURING: 18,
    Industry.TRADE: 14,
    Industry.ICT: 12,
    Industry.SERVICES: 12,
    Industry.FINANCE: 10,
    Industry.HEALTH: 8,
    Industry.PUBLIC: 7,
    Industry.ENERGY: 5,
    Industry.TRANSPORT: 5,
    Industry.CONSTRUCTION: 4,
    Industry.HOSPITALITY: 2,
    Industry.EDUCATION: 2,
    Industry.OTHER: 1,
    "": 8,
}
SIZES = {
    CompanySize.MICRO: 8,
    CompanySize.SMALL: 22,
    CompanySize.MEDIUM: 34,
    CompanySize.LARGE: 20,
    CompanySize.VERY_LARGE: 12,
    "": 4,
}
REGIONS = {Region.GERMANY: 68, Region.AUSTRIA: 15, Region.SWITZERLAND: 13, Region.OTHER: 4}
# Larger organisations and some sectors tend to be further along (a nudge to the typical answer).
NUDGE = {CompanySize.LARGE: 0.3, CompanySize.VERY_LARGE: 0.6, Industry.ICT: 0.4, Industry.FINANCE: 0.3}
QUARTERS = 8  # the demo's assessments were finished over the last two years


class Command(BaseCommand):
    help = (
        "Creates realistic demo data: clients of a consultant with assessments whose participants answered, and "
        "anonymous self-assessments, with sectors, sizes and regions, most of them counting in the benchmark; "
        "then computes the benchmark."
    )

    def add_arguments(self, parser):
        parser.add_argument("--assessments", type=int, default=400)
        parser.add_argument("--participants", type=int, default=1, help="participants per assessment")
        parser.add_argument(
            "--per-client", type=int, default=4, help="assessments per client (one a quarter)"
        )
        parser.add_argument(
            "--self-share",
            type=float,
            default=0.5,
            help="share of anonymous self-assessments (no consultant)",
        )
        parser.add_argument(
            "--consent", type=float, default=0.85, help="share of organisations that count in the benchmark"
        )
        parser.add_argument(
            "--roadmaps", type=int, default=120, help="newest assessments that get a planned roadmap (slow)"
        )
        parser.add_argument(
            "--consultant",
            default="demo",
            help="username (created if missing, with a random password that is printed once)",
        )
        parser.add_argument(
            "--password", help="the new consultant's password instead of a random one (for the benchmarks)"
        )
        parser.add_argument("--seed", type=int, default=7)

    def handle(
        self, *args, assessments, participants, per_client, self_share, consent, roadmaps, password, **options
    ):
        if not 1 <= assessments <= 100_000 or not 1 <= participants <= 50 or per_client < 1:
            raise CommandError("--assessments 1..100000, --participants 1..50, --per-client >= 1")
        if not (0 <= self_share <= 1 and 0 <= consent <= 1) or roadmaps < 0:
            raise CommandError("--self-share and --consent 0..1, --roadmaps >= 0")
        version = current_version()
        if version is None:
            raise CommandError("No published questionnaire: run `manage.py load_content` first.")
        # Demo data, reproducible on purpose: no secret comes from this generator.
        self.rng = random.Random(options["seed"])  # noqa: S311  # nosec B311
        self.version, self.participants, self.consent = version, participants, consent
        consultant = options["consultant"]
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
        self.questions = questions
        self.option_of = {(q.pk, o.level): o.pk for q in questions for o in q.options.all()}
        # one unusable hash is enough for demo participants: nobody opens their links
        _token, self.unusable = token_new()
        self.now = Quarter.containing(timezone.localdate())
        anonymous = round(assessments * self_share)
        created = 0
        while created < assessments - anonymous:
            with transaction.atomic():
                count = min(per_client, assessments - anonymous - created)
                self._client(user, created // per_client + 1, count)
                created += count
        while created < assessments:
            with transaction.atomic():
                count = min(200, assessments - created)
                self._self_assessments(count)
                created += count
        newest = Assessment.objects.filter(status=Assessment.Status.FINISHED, roadmap__isnull=True)
        for assessment in newest.order_by("-finished_at", "-pk")[:roadmaps]:
            with transaction.atomic():
                roadmap_create(result=assessment_result(assessment))
        snapshot = snapshot_refresh()
        self.stdout.write(
            f"Created {created} assessments ({created - anonymous} of clients of {consultant}, {anonymous} "
            f"anonymous self-assessments) with {participants} participant(s) each; the benchmark counts "
            f"{snapshot.results} results."
        )

    def _pick(self, weights: dict) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _profile(self) -> dict:
        return {
            "industry": str(self._pick(INDUSTRIES)),
            "size": str(self._pick(SIZES)),
            "region": str(self._pick(REGIONS)),
            "benchmark_consent": self.rng.random() < self.consent,
        }

    def _finished(self, quarters_ago: int) -> datetime:
        quarter = self.now + (-quarters_ago)
        first = datetime(quarter.year, 3 * quarter.number - 2, 1, 10, 0)
        day = first + timedelta(days=self.rng.randrange(0, 88))
        latest = timezone.localtime().replace(tzinfo=None) - timedelta(hours=1)
        return timezone.make_aware(min(day, latest) if quarters_ago == 0 else day)

    def _maturity(self, profile: dict, quarters_ago: int) -> float:
        """The typical answer of an organisation: spread over the levels, a little higher for some, and
        slowly rising over the quarters (what the trend shows)."""
        base = self.rng.choice([1.2, 1.6, 2.0, 2.2, 2.5, 2.8, 3.2, 3.6])
        base += NUDGE.get(profile["size"], 0) + NUDGE.get(profile["industry"], 0)
        return min(4.0, base + 0.08 * (QUARTERS - quarters_ago))

    def _client(self, user, number: int, count: int) -> None:
        name = f"{self.rng.choice(COMPANIES)} {self.rng.choice(KINDS)} {number}"
        profile = self._profile()
        client = Client.objects.create(
            owner=user,
            name=name,
            contact_name="Demo",
            benchmark_consent_at=timezone.now() if profile["benchmark_consent"] else None,
            **profile,
        )
        start = self.rng.randrange(count - 1, max(count, QUARTERS))  # quarters ago of the first assessment
        batch = [
            Assessment(
                version=self.version,
                client=client,
                owner=user,
                organisation=name,
                kind=Assessment.Kind.WORKSHOP,
                status=Assessment.Status.FINISHED,
                finished_at=self._finished(start - i),
            )
            for i in range(count)
        ]
        batch = Assessment.objects.bulk_create(batch)
        self._answers(batch, [self._maturity(profile, start - i) for i in range(count)])

    def _self_assessments(self, count: int) -> None:
        batch, maturity = [], []
        for _ in range(count):
            profile, ago = self._profile(), self.rng.randrange(QUARTERS)
            batch.append(
                Assessment(
                    version=self.version,
                    kind=Assessment.Kind.SELF,
                    status=Assessment.Status.FINISHED,
                    finished_at=self._finished(ago),
                    benchmark_consent_at=timezone.now() if profile["benchmark_consent"] else None,
                    **profile,
                )
            )
            maturity.append(self._maturity(profile, ago))
        self._answers(Assessment.objects.bulk_create(batch), maturity)

    def _answers(self, batch: list[Assessment], maturity: list[float]) -> None:
        people = Participant.objects.bulk_create(
            Participant(
                assessment=a,
                name=f"Person {i + 1}",
                token_hash=f"{self.unusable[:40]}{a.pk:012d}{i:012d}",
                finished_at=a.finished_at,
            )
            for a in batch
            for i in range(self.participants)
        )
        typical = {a.pk: m for a, m in zip(batch, maturity, strict=True)}
        answers = []
        for person in people:
            centre = typical[person.assessment_id]
            for q in self.questions:
                level = min(4, max(1, round(centre + self.rng.choice([-1, -0.5, 0, 0, 0.5, 1]))))
                option = None if self.rng.random() < 0.04 else self.option_of[(q.pk, level)]
                answers.append(Answer(participant=person, question=q, option_id=option))
        Answer.objects.bulk_create(answers, batch_size=5000)
