from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from khoosheh.clusters.demo import build_demo_clusters
from khoosheh.programs.demo import build_demo_programs
from khoosheh.registry.demo import build_demo, demo_exists, make_demo_users
from khoosheh.registry.models import ProductionUnit
from khoosheh.spx.demo import build_demo_spx


class Command(BaseCommand):
    help = ("Fill an empty registry with a synthetic national registry (clearly labelled as such), identify and "
            "review its clusters, add demo records for every program, and create the demo users.")

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=30_000, help="how many units (default 30,000)")
        parser.add_argument("--seed", type=int, default=1404, help="random seed; the same seed gives the same data")
        parser.add_argument("--if-empty", action="store_true",
                            help="do nothing (and succeed) when the registry already has units")
        parser.add_argument("--registry-only", action="store_true", help="units only: no clusters or programs")

    def handle(self, *args, units, seed, if_empty, registry_only, **options):
        if ProductionUnit.objects.exists():
            if if_empty:
                self.stdout.write("the registry already has units; demo data not added")
                self._print_logins(make_demo_users() if demo_exists() else [])
                return
            raise CommandError("the registry already has units; demo data goes only into an empty registry")
        if units < 100:
            raise CommandError("--units must be at least 100")
        with transaction.atomic():
            self.stderr.write(f"[1/4] building {units:,} synthetic units (seed {seed}) ...")
            made = build_demo(units, seed)
            users = make_demo_users()
            if not registry_only:
                from django.contrib.auth import get_user_model

                User = get_user_model()
                demo, agent = User.objects.get(username="demo"), User.objects.get(username="demo-agent")
                self.stderr.write("[2/4] identifying and reviewing clusters ...")
                clusters = build_demo_clusters(demo)
                self.stderr.write("[3/4] cluster development, consortia, business clinic, projects, targets ...")
                counts = build_demo_programs(demo, agent, clusters, seed=seed)
                self.stderr.write("[4/4] capability profiles, enquiries, an exhibition ...")
                counts.update(build_demo_spx(demo, seed=seed))
                self.stdout.write(f"{len(clusters)} clusters confirmed; " + ", ".join(
                    f"{k}: {v}" for k, v in counts.items()))
        self.stdout.write(self.style.SUCCESS(f"made {made:,} synthetic units"))
        self._print_logins(users)

    def _print_logins(self, users):
        for username, password, role in users:
            self.stdout.write(f"  demo login: {username} / {password}  ({role})")
