import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from khoosheh.analysis import ClusterIdentifier, IdentifyParams
from khoosheh.clusters import jobs
from khoosheh.clusters.outputs import FORMATS, write_result
from khoosheh.clusters.sources import columns_from_db, columns_from_file
from khoosheh.core.unitfile.writers import write_report


class Command(BaseCommand):
    help = ("Identify industrial clusters in a unit file (the registry file contract) or in the registry "
            "database, and write them as JSON, GeoJSON or XLSX. The method: docs/methodology.md.")

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="CSV or XLSX in the unit-file contract")
        parser.add_argument("--from-db", action="store_true", help="use the registry database instead of a file")
        parser.add_argument("--output", "-o", required=True, metavar="OUT.json|OUT.geojson|OUT.xlsx")
        parser.add_argument("--skip-invalid", action="store_true", help="analyse the valid rows of a file")
        parser.add_argument("--report", metavar="REPORT.csv", help="write the file's errors here")
        parser.add_argument("--background", action="store_true",
                            help="with --from-db: queue the run for `khoosheh worker`, print the job's id and return")
        defaults = IdentifyParams()
        parser.add_argument("--distance-km", type=float, default=defaults.distance_km,
                            help="largest window radius searched, km (windows of 1, 2, 4, 8 km ... up to it)")
        parser.add_argument("--min-units", type=int, default=defaults.min_units,
                            help="fewest units of the activity in a cluster (and in a window that can report one)")
        parser.add_argument("--min-employees", type=int, default=defaults.min_employees)
        parser.add_argument("--alpha", type=float, default=defaults.alpha, help="significance level")
        parser.add_argument("--min-lq", type=float, default=defaults.min_lq)
        parser.add_argument("--activity-level", type=int, choices=[2, 3, 4], default=defaults.activity_level,
                            help="4: ISIC class, 3: group, 2: division (related activities)")

    def handle(self, *args, file, from_db, output, skip_invalid, report, background, **options):
        if bool(file) == bool(from_db):
            raise CommandError("give either a FILE or --from-db")
        if background and not from_db:
            raise CommandError("--background works with --from-db (a file is read where the command runs)")
        if not output.lower().endswith(FORMATS):
            raise CommandError(f"--output must end in {', '.join(FORMATS)}")
        try:
            params = IdentifyParams(distance_km=options["distance_km"], min_units=options["min_units"],
                                    min_employees=options["min_employees"], alpha=options["alpha"],
                                    min_lq=options["min_lq"], activity_level=options["activity_level"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if background:
            job = jobs.start(None, params, output=str(Path(output).resolve()))
            sys.stdout.write(f"{job.pk}\n")
            self.stderr.write(f"job {job.pk} queued: `khoosheh jobs` follows it; a worker writes {output}")
            return
        started = time.perf_counter()
        say = lambda text: self.stderr.write(f"[{time.perf_counter() - started:6.1f}s] {text}")  # noqa: E731
        if from_db:
            say("reading the registry")
            columns, source, _ = columns_from_db()
        else:
            say(f"reading and checking {file}")
            columns, source, outcome = columns_from_file(file, progress=lambda n: say(f"  {n:,} rows checked"))
            if report:
                write_report(report, outcome)
            if outcome.errors and not skip_invalid:
                for e in outcome.errors[:20]:
                    self.stderr.write(f"error: row {e.row}, column «{e.column}»: {e.message} [{e.value}]")
                raise CommandError(f"the file has {len(outcome.errors)} errors; fix them or use --skip-invalid "
                                   "(--report writes them all)", returncode=1)
        say(f"identifying clusters among {len(columns):,} units")
        identifier = ClusterIdentifier(params, progress=lambda stage: say(f"  {stage}")).fit(columns)
        write_result(output, identifier.clusters_, params, source)
        say(f"{len(identifier.clusters_)} clusters written to {output}")
        sys.stdout.write(f"{len(identifier.clusters_)} clusters\n")
