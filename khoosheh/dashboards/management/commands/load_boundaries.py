from django.core.management.base import BaseCommand, CommandError

from khoosheh.dashboards.boundaries import load_boundaries


class Command(BaseCommand):
    help = ("Load province or county boundaries from a GeoJSON file or a shapefile, such as the census's county "
            "polygons (features matched by official code or normalised name; the features of one area are merged, "
            "so --level province on a file of counties gives the provinces); the dashboards then draw real "
            "polygons instead of the schematic tile map, and the point maps draw them under their points.")

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE.geojson|FILE.shp")
        parser.add_argument("--level", choices=["province", "county"], default="province")

    def handle(self, *args, files, level, **options):
        total = 0
        for path in files:
            try:
                result = load_boundaries(path, level)
            except (OSError, ValueError) as exc:
                raise CommandError(f"{path}: {exc}") from exc
            total += len(result.matched)
            self.stdout.write(f"{path}: {len(result.matched)} {level} boundaries matched, "
                              f"{len(result.unmatched)} features not matched, {result.skipped} without a polygon")
            for name in result.unmatched[:20]:
                self.stderr.write(f"  not matched: {name}")
        if not total:
            raise CommandError("no feature matched a province or county")
