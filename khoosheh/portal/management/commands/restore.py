from django.core.management.base import BaseCommand, CommandError

from khoosheh.portal.backup import RestoreError, restore


class Command(BaseCommand):
    help = ("Replace the whole database with a backup, in one transaction; counts and checksums of every table "
            "must match the backup's, or nothing changes.  Then the data folder's files (uploads, reports) are "
            "replaced by the backup's, each checksum verified.")

    def add_arguments(self, parser):
        parser.add_argument("input", metavar="BACKUP.tar.gz")
        parser.add_argument("--yes", action="store_true", help="do not ask: the current data will be replaced")

    def handle(self, *args, input, yes, **options):
        if not yes:
            raise CommandError("restore replaces every record in the database; run again with --yes to do it")
        try:
            found = restore(input)
        except (OSError, ValueError, RestoreError) as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(t["count"] for t in found.values())
        self.stdout.write(self.style.SUCCESS(f"restored {rows:,} rows of {len(found)} tables; checksums match"))
