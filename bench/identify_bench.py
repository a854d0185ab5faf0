"""Speed and memory of `khoosheh identify FILE` end to end, from a CSV file.

    .venv/bin/python bench/identify_bench.py [--units 50000 100000 300000 1000000]

For each size: a synthetic registry (bench/synthetic.py) is written as a CSV in
the unit-file contract, then `khoosheh identify units.csv --output out.json` runs
as its own process; wall time and peak memory are measured.  The baseline in
the same run: plain DBSCAN per activity (scikit-learn, eps 5 km) on the already
loaded columns — the analysis step alone, without reading or validation.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cluster_quality import dbscan_per_activity  # noqa: E402
from synthetic import make_registry  # noqa: E402

from khoosheh.analysis import identify_clusters  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def write_csv(path: Path, columns) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["name", "isic", "province", "county", "lat", "lon", "employees", "status", "exporter"])
        status = {"active": "فعال", "idle": "راکد", "half_finished": "نیمه‌تمام", "closed": "تعطیل"}
        for i in range(len(columns)):
            located = not np.isnan(columns.lat[i])
            exporter = columns.exporter[i]
            w.writerow([f"واحد {i}", columns.activity[i], columns.province[i], columns.county[i],
                        f"{columns.lat[i]:.5f}" if located else "", f"{columns.lon[i]:.5f}" if located else "",
                        int(columns.employees[i]), status[columns.status[i]],
                        "" if np.isnan(exporter) else ("بله" if exporter else "خیر")])


def run_identify(path: Path, out: Path, env: dict) -> tuple[float, float]:
    code = ("import resource, runpy, sys, time; sys.argv = ['khoosheh'] + sys.argv[1:]; t = time.perf_counter()\n"
            "try:\n    runpy.run_module('khoosheh', run_name='__main__')\n"
            "finally:\n    print('BENCH', time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
            " file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code, "identify", str(path), "--output", str(out)], env=env,
                          check=True, capture_output=True, text=True)
    line = [x for x in done.stderr.splitlines() if x.startswith("BENCH")][-1].split()
    return float(line[1]), int(line[2]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, nargs="+", default=[50_000, 100_000, 300_000, 1_000_000])
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="khoosheh-identify-"))
    env = {**os.environ, "KHOOSHEH_DATA_DIR": str(folder), "PYTHONPATH": str(ROOT)}
    print("| units | `khoosheh identify` from CSV | peak memory | of which analysis | clusters "
          "| baseline: DBSCAN per activity (analysis only) |")
    print("|---|---|---|---|---|---|")
    for n in options.units:
        registry = make_registry(n, seed=1, n_clusters=max(40, n // 2500))
        path = folder / f"units-{n}.csv"
        write_csv(path, registry.columns)
        seconds, peak_mb = run_identify(path, folder / "out.json", env)
        started = time.perf_counter()
        clusters = identify_clusters(registry.columns)
        analysis = time.perf_counter() - started
        started = time.perf_counter()
        dbscan_per_activity(registry.columns)
        dbscan = time.perf_counter() - started
        print(f"| {n:,} | **{seconds:.1f} s** | {peak_mb:,.0f} MB | {analysis:.2f} s | {len(clusters)} "
              f"| {dbscan:.2f} s |", flush=True)
        path.unlink()


if __name__ == "__main__":
    main()
