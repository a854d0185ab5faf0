"""How high mean Jaccard can go: the oracle disc's Jaccard next to each method's, from a
``cluster_quality.py --json`` file.

    .venv/bin/python bench/jaccard_ceiling.py bench/out/cluster_quality.json [--set held-out]

A plant's oracle Jaccard (synthetic.oracle_bound) is the best Jaccard of any disc around the plant's
*true* centre, its radius chosen knowing which units are the plant's: no method knows either, so the
mean over the counted plants is a ceiling for a method whose members are the activity's units in a
disc (every method in the benchmark).  Plants inside a big city share their disc with many ordinary
units of their activity, so the ceiling falls with the registry's density.  Printed as a Markdown table
for docs/benchmarks.md: per size, the counted plants' mean oracle Jaccard, then each method's mean
Jaccard over the plants it found with, in brackets, the oracle's mean over those same plants.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

import numpy as np


def counted(plant: dict, bound: str) -> bool:
    """The plants recall is measured on, under ``bound`` ("detectable" or "jaccard")."""
    return not plant["excluded"] and not (bound == "detectable" and plant["undetectable"])


def ceiling_rows(plants: list[dict], run_set: str, bound: str) -> list[str]:
    by_size: dict[int, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for p in plants:
        if p["set"] == run_set and counted(p, bound):
            by_size[p["units"]][p["method"]].append(p)
    methods = sorted({m for size in by_size.values() for m in size})
    lines = ["| units | plants | oracle disc (ceiling) | " + " | ".join(methods) + " |",
             "|---" * (3 + len(methods)) + "|"]
    for units in sorted(by_size):
        first = next(iter(by_size[units].values()))
        cells = []
        for method in methods:
            found = [p for p in by_size[units].get(method, []) if p["found"]]
            cells.append(f"{np.mean([p['jaccard'] for p in found]):.3f} "
                         f"({np.mean([p['oracle_jaccard'] for p in found]):.3f})" if found else "–")
        lines.append(f"| {units:,} | {len(first)} | {np.mean([p['oracle_jaccard'] for p in first]):.3f} | "
                     + " | ".join(cells) + " |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json", type=Path)
    parser.add_argument("--set", default="held-out", choices=["tuning", "held-out"])
    parser.add_argument("--bound", default="detectable", choices=["detectable", "jaccard"])
    options = parser.parse_args()
    plants = json.loads(options.json.read_text())["plants"]
    print("\n".join(ceiling_rows(plants, options.set, options.bound)))


if __name__ == "__main__":
    main()
