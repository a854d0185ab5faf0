"""How steady is the benchmark's reference test, and how well does khoosheh's grid null stand in for the
Bernoulli scan's where the scan cannot run (a million units)?  Prints, writes nothing.

The benchmark (cluster_quality.reference_critical_values) counts a plant only when its oracle disc's LLR
is above the reference test's 1% critical value for its activity: the scan's Monte Carlo null where the
scan runs, khoosheh's grid relabelling null above.  This study computes, per activity with a counted
plant, the critical value from the scan's null (where --scan-units) and from the grid null at several
replicate counts, and how many plants each would count.

    .venv/bin/python bench/reference_study.py --scan-units 100000 --grid-units 1000000 --seeds 26 27

With --score (million-unit registries): khoosheh's F1 under the grid null at 19 replicates (the benchmark's
reference before), at 99, and at 99 raised by --offset (the scan's null minus the grid's, as measured by the
first mode where both run: a stand-in that counts the plants the scan's test would count).

    .venv/bin/python bench/reference_study.py --score --grid-units 1000000 --seeds 46 47 --offset 2.2
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]

from cluster_quality import (  # noqa: E402
    OUT,
    _scores,
    cached_run,
    grid_null_maxima,
    plant_rows,
    reference_critical_values,
    report_rows,
)
from scan_baseline import scan_registry  # noqa: E402
from synthetic import big_city_counties, make_registry, mark_detectable, match  # noqa: E402

from khoosheh.analysis import IdentifyParams, identify_clusters  # noqa: E402
from khoosheh.analysis.calibration import Gumbel  # noqa: E402

ALPHA = 0.01


def grid_critical(registry, activities: set, replicates: tuple[int, ...]) -> tuple[dict, float]:
    """{replicates: {activity: critical LLR}} from khoosheh's grid null, and the seconds it took at the
    largest replicate count (the smaller counts are prefixes of the same stream)."""
    started = time.perf_counter()
    maxima = grid_null_maxima(registry, activities, max(replicates))
    seconds = time.perf_counter() - started
    return {r: {a: Gumbel.fit(m[:r]).critical(ALPHA) for a, m in maxima.items()} for r in replicates}, seconds


def scan_critical(registry, n_units: int, seed: int, replicates: int) -> dict:
    _, _, nulls = cached_run(OUT / "baseline-cache", "Bernoulli scan", n_units, seed, replicates,
                             lambda nulls: scan_registry(registry.columns, seed=seed, replicates=replicates,
                                                         maxima=nulls))
    return reference_critical_values(registry, nulls, ALPHA)[0]


def counted(registry, critical: dict) -> int:
    return sum(p.oracle_llr >= critical[p.activity] for p in registry.truth if p.activity in critical)


def study(n_units: int, seed: int, replicates: tuple[int, ...], with_scan: bool, scan_replicates: int) -> None:
    registry = make_registry(n_units, seed)
    activities = {p.activity for p in registry.truth}
    grids, seconds = grid_critical(registry, activities, replicates)
    columns = {f"grid {r}": grids[r] for r in replicates}
    if with_scan:
        columns = {f"scan {scan_replicates}": scan_critical(registry, n_units, seed, scan_replicates), **columns}
    names = list(columns)
    print(f"\n{n_units:,} units, seed {seed}: {len(registry.truth)} separable plants in {len(activities)} "
          f"activities; grid null {max(replicates)} replicates in {seconds:.1f} s")
    print("activity  " + "  ".join(f"{n:>10}" for n in names))
    for a in sorted(activities):
        print(f"{a:<8}  " + "  ".join(f"{columns[n].get(a, float('nan')):>10.2f}" for n in names))
    first = columns[names[0]]
    for n in names:
        diff = [columns[n][a] - first[a] for a in activities if a in first and a in columns[n]]
        print(f"{n:>10}: plants counted {counted(registry, columns[n]):>3}; minus {names[0]}: mean "
              f"{np.mean(diff):+.2f}, sd {np.std(diff):.2f}")


SCORED = {"khoosheh": IdentifyParams(), "khoosheh (Monte Carlo)": IdentifyParams(significance="monte carlo")}


def score(n_units: int, seeds: list[int], offset: float) -> None:
    """Pooled F1 / recall / precision / mean Jaccard of khoosheh over detectable plants, under each
    reference: the same clusters, only which plants count changes."""
    big = set(big_city_counties())
    references = ("grid 19", "grid 99", f"grid 99 + {offset:g}")
    plants = {(m, r): [] for m in SCORED for r in references}
    reports = {(m, r): [] for m in SCORED for r in references}
    for seed in seeds:
        started = time.perf_counter()
        registry = make_registry(n_units, seed)
        grids, _ = grid_critical(registry, {p.activity for p in registry.truth}, (19, 99))
        critical = {"grid 19": grids[19], "grid 99": grids[99],
                    references[2]: {a: c + offset for a, c in grids[99].items()}}
        for method, params in SCORED.items():
            clusters = identify_clusters(registry.columns, params)
            matched = match(clusters, registry)
            base = {"method": method, "units": n_units, "seed": seed}
            for reference in references:
                mark_detectable(registry, critical[reference])
                plants[method, reference] += plant_rows(registry, matched, base)
                reports[method, reference] += report_rows(clusters, registry, matched, big, base)
        print(f"seed {seed}: {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    print(f"\n{n_units:,} units, seeds {', '.join(map(str, seeds))}: F1 / recall / precision / mean Jaccard "
          "(plants counted, reports counted)")
    for method in SCORED:
        for reference in references:
            s = _scores(plants[method, reference], reports[method, reference])
            print(f"{method:<24} {reference:<14} {s['f1']:.3f} / {s['recall']:.3f} / {s['precision']:.3f} / "
                  f"{s['jaccard']:.3f}  ({s['plants']} plants, {s['reports']} reports)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scan-units", type=int, nargs="*", default=[100_000])
    parser.add_argument("--grid-units", type=int, nargs="*", default=[1_000_000])
    parser.add_argument("--seeds", type=int, nargs="+", default=[26, 27])
    parser.add_argument("--replicates", type=int, nargs="+", default=[19, 99, 199])
    parser.add_argument("--scan-replicates", type=int, default=99)
    parser.add_argument("--score", action="store_true", help="score khoosheh at --grid-units under each reference")
    parser.add_argument("--offset", type=float, default=2.2, help="LLR added to the grid null's critical value")
    options = parser.parse_args()
    if options.score:
        for n in options.grid_units:
            score(n, options.seeds, options.offset)
        return
    for n in options.scan_units:
        for seed in options.seeds:
            study(n, seed, tuple(options.replicates), True, options.scan_replicates)
    for n in options.grid_units:
        for seed in options.seeds:
            study(n, seed, tuple(options.replicates), False, options.scan_replicates)


if __name__ == "__main__":
    main()
