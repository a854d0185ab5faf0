"""Quality of cluster identification on registries with planted clusters.

    .venv/bin/python bench/cluster_quality.py [--units 50000] [--seeds 1 2 3 4 5]

Reports recall, precision and F1 (a planted cluster is found when a reported
cluster of the same activity shares members with it at Jaccard >= 0.5) for
khoosheh's method and two baselines run on the same registries:
plain DBSCAN per activity, and DBSCAN followed by a location-quotient filter.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import evaluate, make_registry  # noqa: E402

from khoosheh.analysis import IdentifyParams, identify_clusters  # noqa: E402
from khoosheh.analysis.grid import project_km  # noqa: E402

EPS_KM = 5.0
MIN_SAMPLES = 10


def dbscan_per_activity(columns, *, lq_filter: float | None = None):
    """The obvious approach: DBSCAN on each activity's units (eps 5 km, 10 units),
    optionally keeping only groups whose share of all units within eps exceeds
    the national share by ``lq_filter``."""
    from sklearn.cluster import DBSCAN
    from sklearn.neighbors import KDTree

    lat = np.where(np.isnan(columns.lat), columns.seat_lat, columns.lat)
    lon = np.where(np.isnan(columns.lon), columns.seat_lon, columns.lon)
    xy = np.column_stack(project_km(lat, lon))
    tree = KDTree(xy) if lq_filter else None
    clusters = []
    n_total = len(lat)
    for activity in np.unique(columns.activity):
        idx = np.nonzero(columns.activity == activity)[0]
        if len(idx) < MIN_SAMPLES:
            continue
        labels = DBSCAN(eps=EPS_KM, min_samples=MIN_SAMPLES).fit(xy[idx]).labels_
        for label in set(labels) - {-1}:
            members = idx[labels == label]
            if lq_filter:
                near = np.unique(np.concatenate(tree.query_radius(xy[members], r=EPS_KM)))
                share = np.isin(near, idx).sum() / len(near)
                if share / (len(idx) / n_total) < lq_filter:
                    continue
            clusters.append(SimpleNamespace(isic=activity, member_index=members))
    return clusters


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, nargs="+", default=[50_000])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--density-ratio", type=float, default=None,
                        help="the generator's third rule (default synthetic.MIN_DENSITY_RATIO; 0 turns it off)")
    options = parser.parse_args()
    methods = {
        "khoosheh (relabelling test + grouping)": lambda c: identify_clusters(c, IdentifyParams()),
        "baseline: DBSCAN per activity": lambda c: dbscan_per_activity(c),
        "baseline: DBSCAN + LQ >= 2 filter": lambda c: dbscan_per_activity(c, lq_filter=2.0),
    }
    results = {name: [] for name in methods}
    by_kind: dict[str, list[int]] = {}
    for n_units in options.units:
        for seed in options.seeds:
            registry = (make_registry(n_units, seed) if options.density_ratio is None else
                        make_registry(n_units, seed, min_density_ratio=options.density_ratio))
            for name, method in methods.items():
                started = time.perf_counter()
                clusters = method(registry.columns)
                seconds = time.perf_counter() - started
                scores = evaluate(clusters, registry)
                results[name].append({**scores, "seconds": seconds, "units": n_units, "seed": seed})
                if name.startswith("khoosheh"):
                    _tally_kinds(clusters, registry, by_kind)
                print(f"{n_units:>8} seed {seed} {name:<42} P {scores['precision']:.3f} R {scores['recall']:.3f} "
                      f"F1 {scores['f1']:.3f} ({scores['reported']} reported / {scores['planted']} planted) "
                      f"{seconds:.2f} s", file=sys.stderr)
    print("| method | runs | precision (min–max) | recall (min–max) | **F1 mean** (min–max) | time per run |")
    print("|---|---|---|---|---|---|")
    for name, runs in results.items():
        def cell(key, runs=runs):
            values = [r[key] for r in runs]
            return f"{np.mean(values):.3f} ({min(values):.3f}–{max(values):.3f})"
        print(f"| {name} | {len(runs)} | {cell('precision')} | {cell('recall')} | **{cell('f1')}** | "
              f"{np.mean([r['seconds'] for r in runs]):.2f} s |")
    print("\nF1 by registry size (mean over the seeds, min–max):\n")
    print("| units | " + " | ".join(results) + " |\n|---|" + "---|" * len(results))
    for n_units in options.units:
        cells = []
        for runs in results.values():
            values = [r["f1"] for r in runs if r["units"] == n_units]
            cells.append(f"{np.mean(values):.3f} ({min(values):.3f}–{max(values):.3f})")
        print(f"| {n_units:,} | " + " | ".join(cells) + " |")
    print("\nkhoosheh's recall by kind of planted cluster:\n")
    print("| planted | found / planted |\n|---|---|")
    for kind, (found, total) in sorted(by_kind.items()):
        print(f"| {kind} | {found} / {total} |")


def _tally_kinds(clusters, registry, by_kind) -> None:
    reported = [(c.isic, set(map(int, c.member_index))) for c in clusters]
    for p in registry.planted:
        members = set(map(int, p.members))
        hit = any(a == p.activity and len(m & members) / len(m | members) >= 0.5 for a, m in reported)
        for key in (p.kind, f"size {p.size}" if p.kind != "below threshold" else None,
                    f"spread {p.spread_km:g} km" if p.kind in ("town", "big city") else None):
            if key:
                found, total = by_kind.get(key, (0, 0))
                by_kind[key] = (found + hit, total + 1)


if __name__ == "__main__":
    main()
