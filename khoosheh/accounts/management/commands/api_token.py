from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from khoosheh.accounts.tokens import make_token
from khoosheh.accounts.tokens import revoke as revoke_tokens


class Command(BaseCommand):
    help = ("Make an API token for a user and print it (it is shown only this once; only its hash is kept), "
            "or revoke all of the user's tokens with --revoke.")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--revoke", action="store_true", help="revoke every token of the user")
        parser.add_argument("--days", type=int, help="lifetime in days (default KHOOSHEH_API_TOKEN_DAYS, 90)")

    def handle(self, *args, username, revoke: bool = False, days=None, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user called {username}")
        if revoke:
            self.stdout.write(f"revoked {revoke_tokens(user)} token(s) of {username}")
            return
        if days is not None and not 1 <= days <= 3650:
            raise CommandError("--days must be between 1 and 3650")
        self.stdout.write(make_token(user, days=days))

