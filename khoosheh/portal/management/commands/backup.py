from django.core.management.base import BaseCommand

from khoosheh.portal.backup import backup


class Command(BaseCommand):
    help = ("Write the whole database (one snapshot) and the data folder's files to one compressed file, readable by "
            "its owner only, with a count and checksum per table and per file.")

    def add_arguments(self, parser):
        parser.add_argument("output", metavar="BACKUP.tar.gz")

    def handle(self, *args, output, **options):
        summary = backup(output)
        rows = sum(t["count"] for t in summary.values())
        self.stdout.write(self.style.SUCCESS(f"backed up {rows:,} rows of {len(summary)} tables to {output}"))
