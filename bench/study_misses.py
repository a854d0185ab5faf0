"""Misses and false reports of khoosheh on tuning registries, plant by plant (for choosing parameters on
tuning seeds only; prints, writes nothing).

    .venv/bin/python bench/study_misses.py --units 20000 50000 --seeds 1 2 [--significance "monte carlo"]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

# This checkout's khoosheh, not the one an editable install in a shared virtualenv points at.
sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]

from cluster_quality import OUT, cached_run, reference_critical_values  # noqa: E402
from synthetic import make_registry, mark_detectable, match  # noqa: E402

from khoosheh.analysis import IdentifyParams, identify_clusters  # noqa: E402

MAX_SCAN_UNITS = 100_000  # the largest registry the benchmark runs the Bernoulli scan on
FALSE_KINDS = ("chance window", "below-threshold group", "density decoy", "inseparable plant",
               "undetectable plant", "partial match", "split plant")
MISS_KINDS = ("nothing reported there", "partial match", "merged into a bigger report")


def classify_false(members: set, activity: str, registry, matched: dict) -> str:
    """Why a report matching no counted plant was made: which planted thing (if any) holds most of its
    members.  "partial match": most of a counted plant's members' report, below Jaccard 0.5 and the
    plant matched by no other report; "split plant": the plant is matched by another report."""
    owner, shared = None, 0
    for position, p in enumerate(registry.planted):
        if p.activity in (activity, "national mix"):
            overlap = len(members & set(map(int, p.members)))
            if overlap > shared:
                owner, shared = position, overlap
    if owner is None or shared < len(members) / 4:
        return "chance window"
    p = registry.planted[owner]
    if p.kind == "below threshold":
        return "below-threshold group"
    if p.kind == "follows density":
        return "density decoy"
    if not p.separable:
        return "inseparable plant"
    if p.detectable is False:
        return "undetectable plant"
    return "split plant" if owner in matched["plant"] else "partial match"


def classify_miss(plant, clusters) -> str:
    members = set(map(int, plant.members))
    overlaps = [(len(set(map(int, c.member_index)) & members), len(c.member_index)) for c in clusters
                if c.isic == plant.activity]
    shared, size = max(overlaps, default=(0, 0))
    if shared < len(members) / 4:
        return "nothing reported there"
    return "merged into a bigger report" if size > 2 * len(members) else "partial match"


def study(n_units: int, seed: int, params: IdentifyParams, verbose: bool, grid_null: bool = False) -> dict:
    registry = make_registry(n_units, seed)
    nulls = None
    if n_units <= MAX_SCAN_UNITS and not grid_null:  # the scan's cached null; above, khoosheh's grid null stands in
        _, _, nulls = cached_run(OUT / "baseline-cache", "Bernoulli scan", n_units, seed, 99, lambda nulls: [])
    critical, _ = reference_critical_values(registry, nulls)
    mark_detectable(registry, critical)
    clusters = identify_clusters(registry.columns, params)
    matched = match(clusters, registry)
    hits = {position for position in matched["plant"]}
    tally = {"plants": 0, "found": 0, "false": 0, "neutral": 0, "jaccard": [], "oracle": [],
             **{f"false: {k}": 0 for k in FALSE_KINDS}, **{f"miss: {k}": 0 for k in MISS_KINDS}}
    for position, p in enumerate(registry.planted):
        if p.is_decoy or not p.separable or p.detectable is False:
            continue
        tally["plants"] += 1
        if position in hits:
            tally["found"] += 1
            tally["jaccard"].append(matched["plant"][position][1])
            tally["oracle"].append(p.oracle_jaccard)
        jaccard = matched["plant"][position][1] if position in hits else 0
        if not jaccard:
            tally[f"miss: {classify_miss(p, clusters)}"] += 1
        if verbose and jaccard < 0.8:
            best = _best_overlap(clusters, p)
            print(f"  {'miss' if not jaccard else 'low '} plant {position:>2} {p.kind:<8} {p.activity} "
                  f"size {p.size:>3} "
                  f"spread {p.spread_km:4.1f} oracle J {p.oracle_jaccard:.2f} LLR {p.oracle_llr:5.1f} / crit "
                  f"{critical.get(p.activity, float('nan')):4.1f}  J {jaccard:.2f}  best overlap {best}")
    excluded = {position for position, p in enumerate(registry.planted)
                if not p.is_decoy and (not p.separable or p.detectable is False)}
    # As the benchmark counts (cluster_quality._scores): a report matching an excluded plant counts neither way
    # (and one holding at least half of an excluded plant's members: below).
    true_reports = {r for r, _ in matched["plant"].values()} | matched["ignored"] | \
        {r for r, position in matched["report_plant"].items() if position in excluded}
    decoys = [p for p in registry.planted if p.is_decoy]
    for r, c in enumerate(clusters):
        if r in true_reports:
            continue
        members = set(map(int, c.member_index))
        plant = max(((len(members & set(map(int, p.members))), i) for i, p in enumerate(registry.planted)
                     if p.activity == c.isic), default=(0, -1))
        decoy_overlap = max((len(members & set(map(int, p.members))) for p in decoys), default=0)
        kind = classify_false(members, str(c.isic), registry, matched)
        tally[f"false: {kind}"] += 1
        if matched["covers"].get(r) in excluded:
            kind += ", holds most of it: neutral"  # as the benchmark now counts it (cluster_quality._scores)
            tally["neutral"] += 1
        else:
            tally["false"] += 1
        if verbose:
            what = registry.planted[plant[1]] if plant[1] >= 0 else None
            size = what.size if what else 0
            print(f"  FALSE [{kind}] {c.isic} {c.county} n {c.n_units:>3} p {c.p_value:.1e} lq {c.lq:.1f} "
                  f"extent {c.extent_km:4.1f}  shares {plant[0]} with plant {plant[1]} ({what.kind if what else '-'}, "
                  f"size {size}, J {plant[0] / (len(members) + size - plant[0]):.2f})"
                  f" decoy overlap {decoy_overlap}")
    return tally


def _best_overlap(clusters, plant) -> str:
    members = set(map(int, plant.members))
    best = max(((len(set(map(int, c.member_index)) & members) / len(set(map(int, c.member_index)) | members),
                 c.n_units) for c in clusters if c.isic == plant.activity), default=(0.0, 0))
    return f"J {best[0]:.2f} (n {best[1]})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, nargs="+", default=[20_000, 50_000, 100_000])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--significance", default="bonferroni")
    parser.add_argument("--radii", type=float, nargs="+", help="window radii (km) instead of the default ladder")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--grid-null", action="store_true",
                        help="detectability from khoosheh's grid null, for seeds whose scan is not cached")
    options = parser.parse_args()
    params = IdentifyParams(significance=options.significance,
                            **({"radii_km": tuple(options.radii)} if options.radii else {}))
    total = {"plants": 0, "found": 0, "false": 0, "neutral": 0, "jaccard": [], "oracle": [],
             **{f"false: {k}": 0 for k in FALSE_KINDS}, **{f"miss: {k}": 0 for k in MISS_KINDS}}
    for n in options.units:
        for seed in options.seeds:
            if not options.quiet:
                print(f"{n:,} seed {seed}")
            tally = study(n, seed, params, not options.quiet, options.grid_null)
            for k in total:
                total[k] += tally[k]
            recall = tally["found"] / tally["plants"]
            precision = tally["found"] / max(tally["found"] + tally["false"], 1)
            print(f"{n:>8,} seed {seed}: recall {recall:.2f} precision {precision:.2f} "
                  f"F1 {2 * recall * precision / (recall + precision):.2f} J {np.mean(tally['jaccard']):.2f}")
    recall = total["found"] / total["plants"]
    precision = total["found"] / max(total["found"] + total["false"], 1)
    print(f"all: recall {recall:.3f} precision {precision:.3f} F1 {2 * recall * precision / (recall + precision):.3f}"
          f" J {np.mean(total['jaccard']):.3f} (the oracle disc's over the plants found: "
          f"{np.mean(total['oracle']):.3f})")
    print(f"  reports of excluded plants holding most of one (neutral): {total['neutral']}; every report "
          "matching no counted plant, by kind: " + ", ".join(f"{k} {v}" for k, v in total.items() if ":" in k and v))


if __name__ == "__main__":
    main()
