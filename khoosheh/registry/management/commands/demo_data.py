from django.core.management.base import BaseCommand, CommandError

from khoosheh.registry.demo import build_demo, demo_exists, make_demo_users
from khoosheh.registry.models import ProductionUnit


class Command(BaseCommand):
    help = ("Fill an empty registry with a synthetic national registry (clearly labelled as such) "
            "and create the demo users.")

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=30_000, help="how many units (default 30,000)")
        parser.add_argument("--seed", type=int, default=1404, help="random seed; the same seed gives the same data")
        parser.add_argument("--if-empty", action="store_true",
                            help="do nothing (and succeed) when the registry already has units")

    def handle(self, *args, units, seed, if_empty, **options):
        if ProductionUnit.objects.exists():
            if if_empty:
                self.stdout.write("the registry already has units; demo data not added")
                users = make_demo_users() if demo_exists() else []
                self._print_logins(users)
                return
            raise CommandError("the registry already has units; demo data goes only into an empty registry")
        if units < 100:
            raise CommandError("--units must be at least 100")
        self.stderr.write(f"building {units:,} synthetic units (seed {seed}) ...")
        made = build_demo(units, seed)
        self.stdout.write(self.style.SUCCESS(f"made {made:,} synthetic units"))
        self._print_logins(make_demo_users())

    def _print_logins(self, users):
        for username, password, role in users:
            self.stdout.write(f"  demo login: {username} / {password}  ({role})")
