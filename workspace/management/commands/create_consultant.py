from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


class Command(BaseCommand):
    help = "Creates a consultant account and prints a one-time link to set its password."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("email")
        parser.add_argument("--staff", action="store_true", help="may see every client (and use the admin)")
        parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="where the app is reachable")

    def handle(self, *args, username, email, staff, base_url, **options):
        User = get_user_model()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an e-mail address.") from None
        if User.objects.filter(username=username).exists():
            raise CommandError(f"The user {username!r} exists already.")
        user = User.objects.create_user(username=username, email=email, is_staff=staff)
        user.set_unusable_password()
        user.save()
        path = reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        self.stdout.write(f"Created {username}. Set the password here: {base_url.rstrip('/')}{path}")
