from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.services import second_factor_reset


class Command(BaseCommand):
    help = (
        "Removes a user's second factor (authenticator app and recovery codes), e.g. after a lost phone: "
        "they set up a new one at their next sign-in."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}.")
        if not second_factor_reset(user=user):
            raise CommandError(f"{username} has no second factor set up; nothing to reset.")
        self.stdout.write(
            f"Removed the second factor of {username}. They set up a new authenticator app at their next "
            "sign-in (password first); make sure it is really them who signs in next."
        )
