"""Quality of cluster identification on registries with planted clusters (bench/synthetic.py).

    .venv/bin/pip install -e '.[bench]'          # scikit-learn (DBSCAN) and numba (the scan)
    .venv/bin/python bench/cluster_quality.py --quick                       # smoke run, about a minute
    nohup .venv/bin/python bench/cluster_quality.py > bench/out/quality.log 2>&1 &   # the full run

In one run, on the same registries: khoosheh's ``identify_clusters`` (whatever the code has), plain
DBSCAN per activity (eps 5 km, 10 units), DBSCAN followed by a location-quotient filter (share of
the activity among all units within 5 km >= 2 x national, as tuned in issue 3), and Kulldorff's
Bernoulli spatial scan (bench/scan_baseline.py: max radius 15 km, >= 10 cases, alpha 0.01).
Registries of --units sizes are run by every method; --khoosheh-only sizes (a million units) by
khoosheh alone, the scan being far too slow there and DBSCAN + LQ's neighbour query too.

Seeds are split: --tuning-seeds are those any parameter may be chosen on, --held-out-seeds are
reported apart and must not be used for choosing.  Matching: a reported cluster and a plant of the
same activity match at Jaccard >= 0.5, one to one, best pairs first.  Plants whose oracle bound
(synthetic.oracle_jaccard) is below 0.5 are excluded and counted; reports matching them count
neither way.  Recall and mean Jaccard per stratum come from the plants' strata; precision per
stratum from the reports' own (members, per-axis spread, city, activity).

Writes a Markdown block (stdout and --markdown) ready for docs/benchmarks.md, and a JSON of
per-plant and per-report results (--json).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scan_baseline import REPLICATES, scan_registry  # noqa: E402
from synthetic import TOP_ACTIVITIES, big_city_counties, make_registry, match  # noqa: E402

from khoosheh.analysis import IdentifyParams, identify_clusters  # noqa: E402
from khoosheh.analysis.grid import project_km  # noqa: E402

EPS_KM = 5.0
MIN_SAMPLES = 10
OUT = Path(__file__).resolve().parent / "out"
STRATA = {
    "size": (("10–15", 10, 15), ("16–40", 16, 40), ("41–150", 41, 10**9)),
    "spread": (("1–2.5 km", 0, 2.5), ("2.5–5 km", 2.5, 5), ("5–8 km", 5, 10**9)),
}


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


def methods(scan_replicates: int) -> dict:
    return {
        "khoosheh": lambda c, seed: identify_clusters(c, IdentifyParams()),
        "DBSCAN": lambda c, seed: dbscan_per_activity(c),
        "DBSCAN + LQ ≥ 2": lambda c, seed: dbscan_per_activity(c, lq_filter=2.0),
        "Bernoulli scan": lambda c, seed: scan_registry(c, seed=seed, replicates=scan_replicates),
    }


def _stratum(name: str, value: float) -> str:
    """The stratum of a plant's or a report's size or spread; a report below the first stratum (a
    method may report fewer than 10 members) counts in the first."""
    return next((label for label, low, high in STRATA[name] if value <= high), STRATA[name][-1][0])


def plant_rows(registry, found: dict, base: dict) -> list[dict]:
    rows = []
    for position, p in enumerate(registry.planted):
        if p.is_decoy:
            continue
        hit = found.get(position)
        rows.append({**base, "plant": position, "kind": p.kind, "activity": p.activity, "size": p.size,
                     "spread_km": p.spread_km, "big_city": p.in_big_city, "top_activity": p.top_activity,
                     "oracle_jaccard": round(p.oracle_jaccard, 4), "excluded": not p.separable,
                     "found": hit is not None, "jaccard": round(hit[1], 4) if hit else None})
    return rows


def report_rows(clusters, registry, matched: dict, big_counties: set, base: dict) -> list[dict]:
    columns = registry.columns
    lat = np.where(np.isnan(columns.lat), columns.seat_lat, columns.lat)
    lon = np.where(np.isnan(columns.lon), columns.seat_lon, columns.lon)
    true_reports = {r for r, _ in matched["plant"].values()}
    rows = []
    for r, cluster in enumerate(clusters):
        members = np.asarray(cluster.member_index)
        x, y = project_km(lat[members], lon[members])
        spread = float(np.sqrt(((x - x.mean()) ** 2 + (y - y.mean()) ** 2).mean() / 2))
        county = Counter(columns.county[members]).most_common(1)[0][0]
        status = "ignored" if r in matched["ignored"] else ("true" if r in true_reports else "false")
        rows.append({**base, "report": r, "activity": str(cluster.isic), "size": len(members),
                     "spread_km": round(spread, 2), "big_city": county in big_counties,
                     "top_activity": str(cluster.isic) in TOP_ACTIVITIES, "status": status})
    return rows


def run(options) -> dict:
    big_counties = set(big_city_counties())
    plants, reports, runs = [], [], []
    every = methods(options.scan_replicates)
    schedule = [(n, "tuning", s) for n in options.units for s in options.tuning_seeds]
    schedule += [(n, "held-out", s) for n in options.units for s in options.held_out_seeds]
    schedule += [(n, "held-out", s) for n in options.khoosheh_only for s in options.held_out_seeds]
    for n_units, seeds_set, seed in schedule:
        registry = make_registry(n_units, seed)
        chosen = every if n_units in options.units else {"khoosheh": every["khoosheh"]}
        for name, method in chosen.items():
            started = time.perf_counter()
            clusters = method(registry.columns, seed)
            seconds = time.perf_counter() - started
            matched = match(clusters, registry)
            base = {"method": name, "units": n_units, "seed": seed, "set": seeds_set}
            plants += plant_rows(registry, matched["plant"], base)
            reports += report_rows(clusters, registry, matched, big_counties, base)
            runs.append({**base, "seconds": round(seconds, 3), "reported": len(clusters)})
            found = len(matched["plant"])
            print(f"{n_units:>9,} {seeds_set:<8} seed {seed:<3} {name:<16} found {found:>3} / "
                  f"{len(registry.truth)} (+{len(registry.excluded)} excluded), {len(clusters)} reported, "
                  f"{seconds:.1f} s", file=sys.stderr, flush=True)
    return {"plants": plants, "reports": reports, "runs": runs}


def _scores(plants: list[dict], reports: list[dict]) -> dict:
    kept = [p for p in plants if not p["excluded"]]
    found = [p for p in kept if p["found"]]
    considered = [r for r in reports if r["status"] != "ignored"]
    recall = len(found) / len(kept) if kept else float("nan")
    precision = sum(r["status"] == "true" for r in considered) / len(considered) if considered else float("nan")
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    jaccard = float(np.mean([p["jaccard"] for p in found])) if found else float("nan")
    return {"f1": f1, "recall": recall, "precision": precision, "jaccard": jaccard, "plants": len(kept),
            "found": len(found), "reports": len(considered)}


def _in(row: dict, variable: str, label: str) -> bool:
    if variable in STRATA:
        return _stratum(variable, row["size" if variable == "size" else "spread_km"]) == label
    return row[variable] == (label == "yes")


def _strata():
    for variable in STRATA:
        for label, _, _ in STRATA[variable]:
            yield variable, label
    for variable in ("big_city", "top_activity"):
        for label in ("yes", "no"):
            yield variable, label


STRATUM_TITLE = {"size": "size", "spread": "spread", "big_city": "in a top-5 city", "top_activity": "top-5 activity"}


def _cell(s: dict) -> str:
    return f"{s['f1']:.2f} / {s['recall']:.2f} / {s['precision']:.2f} / {s['jaccard']:.2f}"


def markdown(results: dict, options, method_names: list[str]) -> str:
    plants, reports, runs = results["plants"], results["reports"], results["runs"]
    lines = []
    for seeds_set in ("tuning", "held-out"):
        seeds = options.tuning_seeds if seeds_set == "tuning" else options.held_out_seeds
        lines += [f"**{seeds_set} seeds ({', '.join(map(str, seeds))})** — F1 / recall / precision / mean Jaccard, "
                  "pooled over the seeds:", "",
                  "| units | plants (excluded) | " + " | ".join(method_names) + " |",
                  "|---|---|" + "---|" * len(method_names)]
        sizes = sorted({r["units"] for r in runs if r["set"] == seeds_set})
        for n_units in sizes:
            cells = []
            for name in method_names:
                p = [r for r in plants if r["set"] == seeds_set and r["units"] == n_units and r["method"] == name]
                q = [r for r in reports if r["set"] == seeds_set and r["units"] == n_units and r["method"] == name]
                cells.append(_cell(_scores(p, q)) if p else "–")
            one = [r for r in plants if r["set"] == seeds_set and r["units"] == n_units and r["method"] == "khoosheh"]
            excluded = sum(r["excluded"] for r in one)
            lines.append(f"| {n_units:,} | {len(one) - excluded} ({excluded}) | " + " | ".join(cells) + " |")
        scored_sizes = [n for n in sizes if n in options.units]
        lines += ["", f"By stratum ({seeds_set} seeds, all registries of "
                  f"{', '.join(f'{n:,}' for n in scored_sizes)} units pooled):", "",
                  "| stratum | plants planted | excluded by the oracle bound | " + " | ".join(method_names) + " |",
                  "|---|---|---|" + "---|" * len(method_names)]
        for variable, label in _strata():
            cells = []
            chosen = [r for r in plants
                      if r["set"] == seeds_set and r["units"] in scored_sizes and _in(r, variable, label)]
            for name in method_names:
                p = [r for r in chosen if r["method"] == name]
                q = [r for r in reports if r["set"] == seeds_set and r["units"] in scored_sizes
                     and r["method"] == name and _in(r, variable, label)]
                cells.append(_cell(_scores(p, q)))
            one = [r for r in chosen if r["method"] == "khoosheh"]
            excluded = sum(r["excluded"] for r in one)
            share = excluded / len(one) if one else 0
            lines.append(f"| {STRATUM_TITLE[variable]}: {label} | {len(one)} | {excluded} ({share:.0%}) | "
                         + " | ".join(cells) + " |")
        lines.append("")
    lines += ["Time per registry (mean over the runs, seconds):", "",
              "| units | " + " | ".join(method_names) + " |", "|---|" + "---|" * len(method_names)]
    for n_units in sorted({r["units"] for r in runs}):
        cells = []
        for name in method_names:
            seconds = [r["seconds"] for r in runs if r["units"] == n_units and r["method"] == name]
            cells.append(f"{np.mean(seconds):.1f}" if seconds else "–")
        lines.append(f"| {n_units:,} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    memory = ""
    if Path("/proc/meminfo").exists():
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 2**20:.0f} GiB memory"
    load = ", load average at the end {:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg())
    return f"{os.cpu_count()} cores, {cpu}{memory}{load}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, nargs="+", default=[20_000, 50_000, 100_000])
    parser.add_argument("--khoosheh-only", type=int, nargs="*", default=[1_000_000])
    parser.add_argument("--tuning-seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--held-out-seeds", type=int, nargs="+", default=[11, 12, 13, 14, 15])
    parser.add_argument("--scan-replicates", type=int, default=REPLICATES)
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 20,000 units, seeds 1 and 11, 99 scan replicates, no million")
    parser.add_argument("--json", type=Path, default=OUT / "cluster_quality.json")
    parser.add_argument("--markdown", type=Path, default=OUT / "cluster_quality.md")
    options = parser.parse_args()
    if options.quick:
        options.units, options.khoosheh_only = [20_000], []
        options.tuning_seeds, options.held_out_seeds, options.scan_replicates = [1], [11], 99
    started = time.perf_counter()
    results = run(options)
    names = list(methods(options.scan_replicates))
    options.json.parent.mkdir(parents=True, exist_ok=True)  # the results first: a formatting error loses nothing
    options.json.write_text(json.dumps({"options": {k: str(v) if isinstance(v, Path) else v
                                                    for k, v in vars(options).items()}, **results}, indent=1))
    text = markdown(results, options, names)
    elapsed = time.perf_counter() - started
    text += f"\n\nScan: {options.scan_replicates} Monte Carlo replicates. Whole run {elapsed:.0f} s on {machine()}.\n"
    print(text)
    options.markdown.write_text(text)


if __name__ == "__main__":
    main()
