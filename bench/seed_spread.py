"""How much of a difference between two methods is the seeds': per-seed F1 and a bootstrap over seeds,
from a ``cluster_quality.py --json`` file.

    .venv/bin/python bench/seed_spread.py bench/out/cluster_quality.json [--a khoosheh] [--b "Bernoulli scan"]

Each registry size is scored as cluster_quality.py scores it (detectable plants, reports of excluded plants
counting neither way), once per held-out seed and pooled; then the held-out seeds are resampled with
replacement (a seed drawn twice counts twice) and the pooled F1 difference a − b is recomputed, giving a 95%
interval.  A gap inside that interval is within what changing the registries alone moves.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from cluster_quality import _scores

RESAMPLES = 1000


def pooled_f1(rows: dict, method: str, units: int, seeds: list[int]) -> float:
    """F1 of ``method`` over the registries of ``seeds`` (repeats allowed: each copy is its own registry)."""
    plants, reports = [], []
    for copy, seed in enumerate(seeds):
        plants += [dict(p, seed=(seed, copy)) for p in rows["plants"][method, units, seed]]
        reports += [dict(r, seed=(seed, copy)) for r in rows["reports"][method, units, seed]]
    return _scores(plants, reports)["f1"]


def by_registry(results: dict, run_set: str) -> dict:
    rows: dict = {"plants": {}, "reports": {}}
    for kind in rows:
        for row in results[kind]:
            if row["set"] == run_set:
                rows[kind].setdefault((row["method"], row["units"], row["seed"]), []).append(row)
    return rows


def spread_rows(results: dict, a: str, b: str, run_set: str = "held-out", seed: int = 0) -> list[str]:
    rows = by_registry(results, run_set)
    rng = np.random.default_rng(seed)
    lines = [f"| units | F1 per seed, {a} / {b} | pooled | {a} − {b}, 95% over seeds |", "|---|---|---|---|"]
    for units in sorted({u for (m, u, _) in rows["plants"] if m == b}):
        seeds = sorted({s for (m, u, s) in rows["plants"] if m == b and u == units})
        each = ", ".join(f"{s}: {pooled_f1(rows, a, units, [s]):.2f} / {pooled_f1(rows, b, units, [s]):.2f}"
                         for s in seeds)
        draws = [list(rng.choice(seeds, len(seeds))) for _ in range(RESAMPLES)]
        gaps = [pooled_f1(rows, a, units, d) - pooled_f1(rows, b, units, d) for d in draws]
        low, high = np.percentile(gaps, [2.5, 97.5])
        lines.append(f"| {units:,} | {each} | {pooled_f1(rows, a, units, seeds):.3f} / "
                     f"{pooled_f1(rows, b, units, seeds):.3f} | {low:+.3f} to {high:+.3f} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json", type=Path)
    parser.add_argument("--a", default="khoosheh")
    parser.add_argument("--b", default="Bernoulli scan")
    parser.add_argument("--set", default="held-out", choices=["tuning", "held-out"])
    options = parser.parse_args()
    results = json.loads(options.json.read_text())
    print("\n".join(spread_rows(results, options.a, options.b, options.set)))


if __name__ == "__main__":
    main()
