"""Where khoosheh's members lose Jaccard: the footprint's centre or its radius (for choosing the footprint's
rules on tuning seeds; prints, writes nothing).

    .venv/bin/python bench/footprint_study.py --units 20000 50000 100000 --seeds 1 2

For every plant khoosheh matches that the Jaccard bound keeps, four Jaccards with the plant's members, each of
the disc holding the plant activity's units within a radius: khoosheh's own footprint; the oracle disc (true
centre, best radius, synthetic.oracle_bound); the best radius around khoosheh's footprint centre (what a
perfect radius choice would give); khoosheh's radius around the true centre (what a perfect centre would
give). When the third is close to the oracle's, the centres are good and the loss is in the radius.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

# This checkout's khoosheh, not the one an editable install in a shared virtualenv points at.
sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]

from synthetic import make_registry, match  # noqa: E402

from khoosheh.analysis import IdentifyParams  # noqa: E402
from khoosheh.analysis.grid import project_km  # noqa: E402
from khoosheh.analysis.identify import count_registry, footprints, scan  # noqa: E402


def best_disc_jaccard(distance: np.ndarray, own: np.ndarray, members: np.ndarray) -> float:
    """The best Jaccard of a disc around a point: the k units of the activity nearest it, best k."""
    order = np.argsort(distance[own], kind="stable")
    shared = np.cumsum(np.isin(own[order], members))
    return float((shared / (np.arange(1, len(order) + 1) + len(members) - shared)).max())


def disc_jaccard(distance: np.ndarray, own: np.ndarray, members: np.ndarray, radius: float) -> float:
    inside = own[distance[own] <= radius]
    shared = np.isin(inside, members).sum()
    return float(shared / (len(inside) + len(members) - shared))


def study(n_units: int, seed: int) -> list[tuple]:
    registry = make_registry(n_units, seed)
    columns, params = registry.columns, IdentifyParams()
    placed, _, codes, counts = count_registry(columns)
    kept = [f for f in footprints(scan(counts, placed, params), counts, placed, codes, params)
            if len(f.members) >= params.min_units]
    as_clusters = [_Report(columns.activity[f.members[0]], f.members) for f in kept]
    x, y = placed.x, placed.y
    rows = []
    for position, (report, jaccard) in match(as_clusters, registry)["plant"].items():
        plant, footprint = registry.planted[position], kept[report]
        if not plant.separable:
            continue
        cx, cy = (float(v[0]) for v in project_km(np.array([plant.centre[0]]), np.array([plant.centre[1]])))
        own = np.flatnonzero(columns.activity == plant.activity)
        to_true, to_ours = np.hypot(x - cx, y - cy), np.hypot(x - footprint.x, y - footprint.y)
        rows.append((jaccard, best_disc_jaccard(to_true, own, plant.members),
                     best_disc_jaccard(to_ours, own, plant.members),
                     disc_jaccard(to_true, own, plant.members, footprint.radius), plant.in_big_city))
    return rows


class _Report:
    """What synthetic.match reads of a reported cluster."""

    def __init__(self, isic, members):
        self.isic, self.member_index = isic, members


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, nargs="+", default=[20_000, 50_000, 100_000])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    options = parser.parse_args()
    print("| units | plants | khoosheh | oracle disc | best radius, khoosheh's centre "
          "| khoosheh's radius, true centre |")
    print("|---|---|---|---|---|---|")
    for n_units in options.units:
        rows = np.array([row[:4] for seed in options.seeds for row in study(n_units, seed)])
        print(f"| {n_units:,} | {len(rows)} | " + " | ".join(f"{v:.3f}" for v in rows.mean(axis=0)) + " |")


if __name__ == "__main__":
    main()
