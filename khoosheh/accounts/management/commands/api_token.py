from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from khoosheh.accounts.tokens import make_token


class Command(BaseCommand):
    help = "Make an API token for a user and print it (it is shown only this once; only its hash is kept)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user called {username}")
        self.stdout.write(make_token(user))
