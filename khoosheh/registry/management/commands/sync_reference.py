from django.core.management.base import BaseCommand
from django.db import transaction

from khoosheh.registry.models import Activity, County, Province
from khoosheh.registry.reference_sync import sync_reference_data


class Command(BaseCommand):
    help = "Copy the packaged reference tables (provinces, counties, ISIC Rev.4) into the database."

    def handle(self, *args, **options):
        with transaction.atomic():
            counts = sync_reference_data(Province, County, Activity)
        self.stdout.write(self.style.SUCCESS(", ".join(f"{k}: {v}" for k, v in counts.items())))
