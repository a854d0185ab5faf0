import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from khoosheh.core.progress import Progress
from khoosheh.core.unitfile.columns import column_for_header
from khoosheh.core.unitfile.header import peek_file
from khoosheh.core.unitfile.writers import write_report
from khoosheh.registry import mappings, uploads
from khoosheh.registry.importing import import_units


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
        parser.add_argument("--map", action="append", default=[], metavar="COLUMN=HEADER", dest="mapping",
                            help="read the contract column COLUMN (any of its spellings: شهرستان, county) from "
                                 "the file's column HEADER; 'COLUMN=' for not in the file. Repeatable. Without "
                                 "it, a mapping saved on the upload page by national staff for the same "
                                 "headers is used")

    def handle(self, *args, file, dry_run, skip_invalid, report, progress, background, mapping, **options):
        mapping = parse_mapping(mapping) if mapping else remembered_mapping(file)
        if background:
            if not Path(file).is_file():
                raise CommandError(f"no such file: {file}")
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


def parse_mapping(items: list[str]) -> dict[str, str]:
    """--map 'شهرستان=County name' … as {contract column: header}."""
    mapping = {}
    for item in items:
        column, sep, header = item.partition("=")
        name = column_for_header(column)
        if not sep or name is None:
            raise CommandError(f"--map {item!r}: expected COLUMN=HEADER with COLUMN a column of the unit file "
                               "(e.g. شهرستان or county)")
        mapping[name] = header.strip()
    return mapping


def remembered_mapping(file: str) -> dict[str, str] | None:
    """The national mapping saved for this file's headers, if its headers miss a required column
    (the command line acts for no province; without one, the import names the missing columns)."""
    return mappings.reading_for(peek_file(file), None).mapping


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run as: khoosheh import-units FILE")
