import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from khoosheh.analysis import ClusterIdentifier, IdentifyParams
from khoosheh.analysis.identify import MONTE_CARLO_UNITS
from khoosheh.clusters import jobs
from khoosheh.clusters.outputs import FORMATS, write_result
from khoosheh.clusters.sources import columns_from_db, columns_from_file, columns_from_files
from khoosheh.core.progress import Progress
from khoosheh.core.unitfile.many import NoInputFiles, expand_inputs
from khoosheh.core.unitfile.writers import write_report
from khoosheh.registry.map_option import add_map_option, parse_mapping, refuse_unfitting, remembered_mapping


class Command(BaseCommand):
    help = ("Identify industrial clusters in a unit file (the registry file contract) or in the registry "
            "database, and write them as JSON, GeoJSON or XLSX. The method: docs/methodology.md.")

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", metavar="FILE",
                            help="CSV, XLSX or Parquet in the unit-file contract; several files, folders or globs "
                                 "are one registry (national IDs checked across them)")
        parser.add_argument("--from-db", action="store_true", help="use the registry database instead of a file")
        parser.add_argument("--output", "-o", required=True, metavar="OUT.json|OUT.geojson|OUT.xlsx")
        parser.add_argument("--skip-invalid", action="store_true", help="analyse the valid rows of a file")
        add_map_option(parser, more_help=" (each file its own, for its own headers). With several files, --map "
                                         "applies to every file")
        parser.add_argument("--report", metavar="REPORT.csv", help="write the file's errors here")
        parser.add_argument("--engine", choices=["embedded", "dask"], default="embedded",
                            help="dask: validate, count and scan on a Dask cluster (pip install khoosheh[dask]); "
                                 "the same clusters as embedded (docs/scale-out.md)")
        parser.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                            help="with --engine dask: an existing Dask scheduler; without it a LocalCluster starts")
        parser.add_argument("--workers", type=int, default=2, help="with --engine dask and no --scheduler: "
                            "the LocalCluster's worker processes")
        parser.add_argument("--tile-km", type=float, default=256.0,
                            help="with --engine dask: the side of the scan's spatial tiles, km (each a task)")
        parser.add_argument("--background", action="store_true",
                            help="with --from-db: queue the run for `khoosheh worker`, print the job's id and return")
        defaults = IdentifyParams()
        parser.add_argument("--distance-km", type=float, default=defaults.distance_km,
                            help="largest window radius searched, km (windows of 1, 2, 4, 8 km ... up to it)")
        parser.add_argument("--min-units", type=int, default=defaults.min_units,
                            help="fewest units of the activity in a cluster (and in a window that can report one)")
        parser.add_argument("--min-employees", type=int, default=defaults.min_employees)
        parser.add_argument("--alpha", type=float, default=defaults.alpha, help="significance level")
        parser.add_argument("--significance", choices=["auto", "bonferroni", "monte-carlo"],
                            default=defaults.significance.replace(" ", "-"),
                            help="how the search over many windows is paid for: auto (Monte Carlo up to "
                                 f"{MONTE_CARLO_UNITS:,} units, Bonferroni above), bonferroni or monte-carlo "
                                 "(docs/methodology.md, step 5)")
        parser.add_argument("--min-lq", type=float, default=defaults.min_lq)
        parser.add_argument("--activity-level", type=int, choices=[2, 3, 4], default=defaults.activity_level,
                            help="4: ISIC class, 3: group, 2: division (related activities)")

    def handle(self, *args, files, from_db, output, skip_invalid, report, background, engine, scheduler, workers,
               tile_km, mapping, **options):
        if bool(files) == bool(from_db):
            raise CommandError("give either FILEs or --from-db")
        if mapping and from_db:
            raise CommandError("--map reads FILEs (the registry's columns need none)")
        given = parse_mapping(mapping) if mapping else None
        if engine == "dask" and from_db:
            raise CommandError("--engine dask reads files (export the registry with `khoosheh export-units`)")
        if background and not from_db:
            raise CommandError("--background works with --from-db (a file is read where the command runs)")
        if not output.lower().endswith(FORMATS):
            raise CommandError(f"--output must end in {', '.join(FORMATS)}")
        try:
            params = IdentifyParams(distance_km=options["distance_km"], min_units=options["min_units"],
                                    min_employees=options["min_employees"], alpha=options["alpha"],
                                    min_lq=options["min_lq"], activity_level=options["activity_level"],
                                    significance=options["significance"].replace("-", " "))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if background:
            job = jobs.start(None, params, output=str(Path(output).resolve()))
            sys.stdout.write(f"{job.pk}\n")
            self.stderr.write(f"job {job.pk} queued: `khoosheh jobs` follows it; a worker writes {output}")
            return
        started = time.perf_counter()
        say = lambda text: self.stderr.write(f"[{time.perf_counter() - started:6.1f}s] {text}")  # noqa: E731
        try:
            paths = expand_inputs(files) if files else []
        except NoInputFiles as exc:
            raise CommandError(str(exc)) from exc
        mappings = file_mappings(paths, given)
        if engine == "dask":
            clusters, source = self._on_dask(paths, mappings, params, scheduler, workers, tile_km, report,
                                             skip_invalid, say)
        else:
            clusters, source = self._embedded(paths, mappings, params, report, skip_invalid, say)
        # The parameters as the run used them: "auto" significance settled by the registry's size.
        write_result(output, clusters, params.for_registry(source["units"]), source)
        say(f"{len(clusters)} clusters written to {output}")
        sys.stdout.write(f"{len(clusters)} clusters\n")

    def _embedded(self, paths, mappings, params, report, skip_invalid, say):
        if not paths:
            say("reading the registry")
            columns, source, _ = columns_from_db()
        else:
            say(f"reading and checking {' '.join(p.name for p in paths)}")
            checked = lambda stage, done, total: say(f"  {done:,} rows checked")  # noqa: E731
            columns, source, outcome = columns_from_file(paths[0], progress=checked, mapping=mappings[0]) \
                if len(paths) == 1 else columns_from_files(paths, mappings=mappings)
            self._stop_on_errors(outcome, report, skip_invalid)
        say(f"identifying clusters among {len(columns):,} units")
        step = lambda stage, done, total: say(f"  {stage}")  # noqa: E731
        return ClusterIdentifier(params, progress=step).fit(columns).clusters_, source

    def _on_dask(self, paths, mappings, params, scheduler, workers, tile_km, report, skip_invalid, say):
        try:
            from khoosheh.distributed import engine
        except ImportError as exc:  # the optional extra is not installed
            raise CommandError(f"--engine dask needs Dask: pip install 'khoosheh[dask]' ({exc})") from exc
        with engine.connect(scheduler, workers=workers) as client:
            say(f"Dask: {engine.describe(client)}")
            run = engine.DistributedRun(client, paths, location_tolerance_km=settings.KHOOSHEH_LOCATION_TOLERANCE_KM,
                                        tile_km=tile_km, progress=Progress(force=True), mappings=mappings)
            outcome = run.check()
            self._stop_on_errors(outcome, report, skip_invalid)
            clusters = run.identify(params)
        return clusters, run.source()

    def _stop_on_errors(self, outcome, report, skip_invalid):
        if report:
            write_report(report, outcome)
        if outcome.errors and not skip_invalid:
            for e in outcome.errors[:20]:
                where = f"{e.file}, " if e.file else ""
                self.stderr.write(f"error: {where}row {e.row}, column «{e.column}»: {e.message} [{e.value}]")
            raise CommandError(f"the input has {len(outcome.errors)} errors; fix them or use --skip-invalid "
                               "(--report writes them all)", returncode=1)


def file_mappings(paths: list[Path], given: dict[str, str] | None) -> list[dict[str, str] | None]:
    """Each file's column mapping: the one given by --map for every file (refused, before any work, where it
    does not fit), else the national mapping remembered for that file's own headers, as import-units reads it
    (None for a file whose headers need none, or that has none saved: the reader names its missing columns)."""
    if given is None:
        return [remembered_mapping(path) for path in paths]
    for path in paths:
        refuse_unfitting(path, given)
    return [given] * len(paths)
