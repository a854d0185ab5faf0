"""Judging 1,000,000 locations against Iran's outline (khoosheh.core.geo), beside the previous judge.

    .venv/bin/python bench/geo_bench.py [--points 1000000] [--repeat 3]

Three columns of points, each judged in one call (best of --repeat):
* units: scattered around the 448 county seats (normal, sigma 10 km), as a real national file;
* land: uniform over Iran's land;
* box: uniform over Iran's bounding box, about 46% of it outside (the worst case: many points near the edge).
Baseline, same run: the previous implementation (even-odd ray casting over the 2,697-point world-atlas outline,
plus four 3 km nudges for points outside), taken from git (`bba7845`) when the checkout has that commit.
Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from khoosheh.core import geo, reference  # noqa: E402

OLD_COMMIT = "bba7845"


def columns(n: int, rng: np.random.Generator) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    seats = reference.counties()
    pick = rng.integers(0, len(seats), n)
    seat_lat = np.array([c.lat for c in seats])[pick]
    seat_lon = np.array([c.lon for c in seats])[pick]
    units = (seat_lat + rng.normal(0, 10 / 111, n), seat_lon + rng.normal(0, 10 / 93, n))
    box_lat, box_lon = rng.uniform(25.06, 39.78, n), rng.uniform(44.03, 63.33, n)
    on_land = geo.km_outside_iran(box_lat, box_lon, up_to_km=0) == 0
    index = rng.integers(0, on_land.sum(), n)
    land = (box_lat[on_land][index], box_lon[on_land][index])
    return {"units": units, "land": land, "box": (box_lat, box_lon)}


def old_judge():
    """The previous geo module and its outline, from git, or None."""
    def show(path: str) -> str:
        return subprocess.run(["git", "-C", str(ROOT), "show", f"{OLD_COMMIT}:{path}"],
                              capture_output=True, text=True, check=True).stdout

    try:
        source, outline = show("khoosheh/core/geo.py"), show("khoosheh/core/data/iran_outline.geojson")
    except (subprocess.CalledProcessError, FileNotFoundError):
        return None
    path = Path(tempfile.mkdtemp()) / "outline.geojson"
    path.write_text(outline)
    source = source.replace('resources.files("khoosheh.core.data").joinpath("iran_outline.geojson").open()',
                            f"open({str(path)!r})")
    module = types.ModuleType("old_geo")
    exec(compile(source, "old_geo.py", "exec"), module.__dict__)
    return module.in_iran


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    start = time.perf_counter()
    geo._outline()
    load = time.perf_counter() - start
    data = columns(args.points, rng)
    old = old_judge()
    print(f"load average {os.getloadavg()[0]:.1f}; outline loaded once per process in {load:.2f} s\n")
    print(f"| column ({args.points:,} points) | judge_locations | on land | within 5 km | refused | "
          "baseline: previous judge |")
    print("|---|---|---|---|---|---|")
    for name, (lat, lon) in data.items():
        seconds = best(lambda lat=lat, lon=lon: geo.judge_locations(lat, lon), args.repeat)
        j = geo.judge_locations(lat, lon)
        baseline = f"{best(lambda lat=lat, lon=lon: old(lat, lon), 1):.2f} s" if old else "n/a"
        print(f"| {name} | **{seconds:.2f} s** | {j.inside.mean():.1%} | {j.near.mean():.2%} | "
              f"{j.refused.mean():.1%} | {baseline} |")


if __name__ == "__main__":
    main()
