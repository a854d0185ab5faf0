from django.core.management.base import BaseCommand, CommandError

from khoosheh.registry.exporting import export_units
from khoosheh.registry.models import ProductionUnit


class Command(BaseCommand):
    help = "Export the registry as CSV or XLSX in the unit-file contract (import it back unchanged)."

    def add_arguments(self, parser):
        parser.add_argument("output", metavar="OUT.csv|OUT.xlsx")
        parser.add_argument("--province", help="official code of one province (e.g. 23 for Tehran)")
        parser.add_argument("--headers", choices=["fa", "en"], default="fa",
                            help="Persian (default) or English headers and values")

    def handle(self, *args, output, province, headers, **options):
        if not output.lower().endswith((".csv", ".xlsx")):
            raise CommandError("the output file must end in .csv or .xlsx")
        units = ProductionUnit.objects.all()
        if province:
            units = units.filter(province_id=province.zfill(2))
        count = export_units(output, units, language=headers)
        self.stdout.write(self.style.SUCCESS(f"wrote {count} units to {output}"))
