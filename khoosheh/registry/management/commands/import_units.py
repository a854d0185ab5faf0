import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from khoosheh.core.progress import Progress
from khoosheh.core.unitfile.writers import write_report
from khoosheh.registry import uploads
from khoosheh.registry.importing import import_units
from khoosheh.registry.map_option import add_map_option, parse_mapping, refuse_unfitting, remembered_mapping


class Command(BaseCommand):
    help = ("Import production units from a CSV or XLSX file in the unit-file contract (docs/file-formats.md). "
            "With any invalid row and no --skip-invalid, nothing is written and the exit status is 1.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument("--skip-invalid", action="store_true", help="import the valid rows, report the rest")
        parser.add_argument("--report", metavar="REPORT.csv", help="write errors and warnings to this CSV")
        parser.add_argument("--progress", action="store_true", help="show progress even when not on a terminal")
        parser.add_argument("--background", action="store_true",
                            help="queue the import for `khoosheh worker`, print the job's id and return")
        add_map_option(parser)

    def handle(self, *args, file, dry_run, skip_invalid, report, progress, background, mapping, **options):
        if background and not Path(file).is_file():
            raise CommandError(f"no such file: {file}")
        if mapping:
            mapping = parse_mapping(mapping)
            refuse_unfitting(file, mapping)  # before a job is queued or a row is read
        else:
            mapping = remembered_mapping(file)
        if background:
            job = uploads.start_file(file, dry_run=dry_run, skip_invalid=skip_invalid, mapping=mapping)
            self.stdout.write(f"{job.pk}\n")
            self.stderr.write(f"job {job.pk} queued: `khoosheh jobs` follows it (a copy of the file is kept)")
            return
        bar = Progress(force=progress)
        outcome = import_units(file, dry_run=dry_run, skip_invalid=skip_invalid, progress=bar, mapping=mapping)
        bar.close()
        if report:
            write_report(report, outcome)
        for e in outcome.errors[:20]:
            where = f"row {e.row}, column «{e.column}»" if e.row else "file"
            self.stderr.write(f"error: {where}: {e.message} [{e.value}]")
        if len(outcome.errors) > 20:
            self.stderr.write(f"... and {len(outcome.errors) - 20} more errors (see --report)")
        summary = (f"rows read: {outcome.rows_read}; new: {outcome.created}; changed: {outcome.updated}; "
                   f"unchanged: {outcome.unchanged}; status changes: {outcome.status_changes}; "
                   f"invalid rows: {outcome.skipped_rows}; warnings: {len(outcome.warnings)}")
        if outcome.new_parks:
            summary += f"; new parks: {len(outcome.new_parks)}"
        if outcome.written:
            self.stdout.write(self.style.SUCCESS(f"imported (batch {outcome.batch_id}). {summary}"))
        elif dry_run and outcome.accepted:
            self.stdout.write(f"dry run, nothing written. {summary}")
        elif outcome.accepted:
            self.stdout.write(self.style.SUCCESS(f"nothing to change: the registry already holds this. {summary}"))
        else:
            self.stdout.write(f"nothing written. {summary}")
            raise CommandError("the file has invalid rows; fix them or use --skip-invalid", returncode=1)


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run as: khoosheh import-units FILE")
