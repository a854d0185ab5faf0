"""`khoosheh report`: build a report from the command line, with progress, as a user would see it."""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from khoosheh.accounts.models import User
from khoosheh.core.jalali import jalali_year
from khoosheh.core.progress import Progress
from khoosheh.dashboards import jobs, reports


class Command(BaseCommand):
    help = "Build the national, a province's or a cluster's report (Excel or PDF), within a user's scope."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="whose view of the data the report shows")
        parser.add_argument("--output", required=True, help="OUT.xlsx or OUT.pdf")
        parser.add_argument("--year", type=int, help="Jalali year (default: this year)")
        parser.add_argument("--province", help="province code; omit for the national report")
        parser.add_argument("--cluster", type=int, help="a cluster's profile instead of an area report")
        parser.add_argument("--units", action="store_true", help="list every unit in scope")
        parser.add_argument("--progress", action="store_true", help="show progress even when not on a terminal")

    def handle(self, *args, user, output, year, province, cluster, units, progress, **options):
        who = User.objects.filter(username=user, is_active=True).first()
        if who is None:
            raise CommandError(f"no active user {user!r}")
        out = Path(output)
        fmt = out.suffix.lower().lstrip(".")
        if fmt not in jobs.FORMATS:
            raise CommandError("the output must end in .xlsx or .pdf")
        spec = jobs.ReportSpec(kind="cluster" if cluster else "area", fmt=fmt, cluster=cluster,
                               year=year or jalali_year(timezone.localdate()), province=province, units=units)
        try:
            spec = spec.scoped_for(who)
        except (jobs.BadSpec, PermissionDenied, ValidationError):
            raise CommandError("no such province or cluster, or not in this user's scope") from None
        bar = Progress(force=progress)
        partial = out.with_name(out.name + ".part")
        try:
            jobs.build(spec, who, str(partial), progress=bar)
            partial.replace(out)  # never leave a half-written report under the asked-for name
        except reports.PdfUnavailable as exc:
            raise CommandError(str(exc)) from exc
        finally:
            partial.unlink(missing_ok=True)
            bar.close()
        self.stdout.write(f"{out}: {spec.title()} ({out.stat().st_size:,} bytes)")
