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
from functools import partial
from pathlib import Path
from types import SimpleNamespace

import numpy as np

# This checkout's khoosheh, not the one an editable install in a shared virtualenv points at.
sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]

from scan_baseline import PILOT, REPLICATES, scan_registry  # noqa: E402
from synthetic import DENSITY_DECOYS, TOP_ACTIVITIES, big_city_counties, make_registry, mark_detectable, match  # noqa: E402

from khoosheh.analysis import IdentifyParams, identify_clusters  # noqa: E402
from khoosheh.analysis.calibration import Gumbel  # noqa: E402
from khoosheh.analysis.counting import Pyramid, finest_cells  # noqa: E402
from khoosheh.analysis.grid import project_km  # noqa: E402
from khoosheh.analysis.identify import count_registry  # noqa: E402
from khoosheh.analysis.scan import relabelling_null  # noqa: E402

# The stand-in reference null where the scan cannot run (a million units).  99 replicates since issue 11's
# tenth round: with 19, an activity's critical value moved by about 1 LLR (sd) against the 99-replicate one
# (bench/reference_study.py, docs/benchmarks.md).
GRID_NULL_REPLICATES = 99
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
    """Every method by name, called as (columns, seed, nulls): the scan stores its Monte Carlo null per
    activity in ``nulls``."""
    return {
        "khoosheh": lambda c, seed, nulls: identify_clusters(c, IdentifyParams()),
        "khoosheh (Monte Carlo)": lambda c, seed, nulls: identify_clusters(c, IdentifyParams(
            significance="monte carlo")),
        # The default before issue 11's eighth round, whatever the registry's size.
        "khoosheh (Bonferroni)": lambda c, seed, nulls: identify_clusters(c, IdentifyParams(
            significance="bonferroni")),
        "DBSCAN": lambda c, seed, nulls: dbscan_per_activity(c),
        "DBSCAN + LQ ≥ 2": lambda c, seed, nulls: dbscan_per_activity(c, lq_filter=2.0),
        "Bernoulli scan": lambda c, seed, nulls: scan_registry(c, seed=seed, replicates=scan_replicates,
                                                               maxima=nulls),
    }


CACHED = ("DBSCAN", "DBSCAN + LQ ≥ 2", "Bernoulli scan")  # baselines whose results do not change with khoosheh


def cached_run(cache: Path | None, name: str, n_units: int, seed: int, replicates: int, compute,
               decoy: str = "national mix"):
    """A baseline's clusters and time, read from ``cache`` when this registry was run before (the
    baselines do not depend on khoosheh's code, so a tuning round need not rerun a 4-minute scan).
    Returns (clusters, seconds, scan nulls by activity or None)."""
    if cache is None or name not in CACHED:
        nulls: dict = {}
        started, cpu = time.perf_counter(), time.process_time()
        clusters = compute(nulls)
        seconds = time.perf_counter() - started
        print(f"    {name}: {seconds:.2f} s wall, {time.process_time() - cpu:.2f} s CPU, load "
              f"{os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
        return clusters, seconds, nulls or None
    tag = name.replace(" ", "_").replace("≥", "ge").replace("+", "plus")
    # Registries with the earlier "follows density" decoy keep the names they had before it changed.
    suffix = "" if decoy == "one activity" else "-mix"
    path = cache / f"{tag}-{n_units}-{seed}-{replicates}{suffix}.json"
    if path.exists():
        stored = json.loads(path.read_text())
        clusters = [SimpleNamespace(isic=c["isic"], member_index=np.array(c["members"], np.int64))
                    for c in stored["clusters"]]
        nulls = {a: (np.array(m), f) for a, (m, f) in stored["nulls"].items()} if stored["nulls"] else None
        return clusters, stored["seconds"], nulls
    nulls = {}
    started = time.perf_counter()
    clusters = compute(nulls)
    seconds = time.perf_counter() - started
    cache.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({
        "clusters": [{"isic": str(c.isic), "members": [int(i) for i in c.member_index]} for c in clusters],
        "seconds": seconds, "nulls": {a: ([float(v) for v in m], float(f)) for a, (m, f) in nulls.items()}}))
    return clusters, seconds, nulls or None


def _stratum(name: str, value: float) -> str:
    """The stratum of a plant's or a report's size or spread; a report below the first stratum (a
    method may report fewer than 10 members) counts in the first."""
    return next((label for label, low, high in STRATA[name] if value <= high), STRATA[name][-1][0])


def plant_rows(registry, matched: dict, base: dict) -> list[dict]:
    rows = []
    found = {position: (r, value) for position, (r, value) in matched["plant"].items()}
    hits = {position: r for r, position in matched["report_plant"].items()}
    for position, p in enumerate(registry.planted):
        if p.is_decoy:
            continue
        hit = found.get(position)
        rows.append({**base, "plant": position, "kind": p.kind, "activity": p.activity, "size": p.size,
                     "spread_km": p.spread_km, "big_city": p.in_big_city, "top_activity": p.top_activity,
                     "oracle_jaccard": round(p.oracle_jaccard, 4), "oracle_llr": round(p.oracle_llr, 3),
                     "excluded": not p.separable, "undetectable": p.detectable is False,
                     "found": position in hits, "jaccard": round(hit[1], 4) if hit else None})
    return rows


def reference_critical_values(registry, nulls: dict | None, alpha: float = 0.01) -> tuple[dict, str]:
    """The critical LLR per activity of the field's reference test, the same for every method: the
    Bernoulli scan's Monte Carlo null (its replicate maxima, fully computed ones only, fitted by a
    Gumbel distribution; Abrams, Kleinman & Kulldorff 2010) when the scan ran on this registry.
    Where it cannot run (a million units), khoosheh's grid relabelling null of its own window
    family stands in — named so in the tables."""
    if nulls:
        return ({a: Gumbel.fit(m[m >= 0][:PILOT] if f else m).critical(alpha) for a, (m, f) in nulls.items()},
                "scan Monte Carlo null")
    needed = {p.activity for p in registry.planted if not p.is_decoy and p.separable}
    maxima = grid_null_maxima(registry, needed, GRID_NULL_REPLICATES)
    return ({a: Gumbel.fit(m).critical(alpha) for a, m in maxima.items()},
            f"khoosheh's grid relabelling null ({GRID_NULL_REPLICATES} replicates)")


def grid_null_maxima(registry, activities: set, replicates: int) -> dict:
    """{activity: the largest LLR of each of ``replicates`` relabellings} under khoosheh's grid null of
    its default window family."""
    params = IdentifyParams()
    placed, names, _, counts = count_registry(registry.columns)
    null = relabelling_null(Pyramid(counts), finest_cells(placed.x, placed.y), params.radii(), params.min_units)
    national = dict(zip(names, counts.national(), strict=True))
    return {a: null.maxima(national[a], replicates) for a in sorted(activities)}


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
                     "top_activity": str(cluster.isic) in TOP_ACTIVITIES, "status": status,
                     "plant": matched["report_plant"].get(r), "covers": matched["covers"].get(r)})
    return rows


def run(options) -> dict:
    big_counties = set(big_city_counties())
    plants, reports, runs = [], [], []
    schedule = [(n, "tuning", s) for n in options.units for s in options.tuning_seeds]
    schedule += [(n, "held-out", s) for n in options.units for s in options.held_out_seeds]
    schedule += [(n, "held-out", s) for n in options.khoosheh_only for s in options.held_out_seeds]
    for n_units, seeds_set, seed in schedule:
        registry = make_registry(n_units, seed, density_decoy=options.density_decoy)
        every = methods(options.scan_replicates)
        names = options.methods if n_units in options.units else [m for m in options.methods if "khoosheh" in m]
        outcome, reference = {}, None
        for name in names:
            clusters, seconds, nulls = cached_run(options.cache, name, n_units, seed, options.scan_replicates,
                                                  partial(every[name], registry.columns, seed),
                                                  options.density_decoy)
            outcome[name] = (clusters, seconds)
            reference = nulls or reference
        critical, source = reference_critical_values(registry, reference)
        mark_detectable(registry, critical)
        for name, (clusters, seconds) in outcome.items():
            matched = match(clusters, registry)
            base = {"method": name, "units": n_units, "seed": seed, "set": seeds_set, "reference": source}
            plants += plant_rows(registry, matched, base)
            reports += report_rows(clusters, registry, matched, big_counties, base)
            runs.append({**base, "seconds": round(seconds, 3), "reported": len(clusters)})
            found = len(matched["plant"])
            undetectable = sum(p.detectable is False for p in registry.truth)
            print(f"{n_units:>9,} {seeds_set:<8} seed {seed:<3} {name:<22} found {found:>3} / "
                  f"{len(registry.truth)} (+{len(registry.excluded)} excluded; {undetectable} of them undetectable), "
                  f"{len(clusters)} reported, {seconds:.1f} s", file=sys.stderr, flush=True)
    return {"plants": plants, "reports": reports, "runs": runs}


BOUNDS = {"detectable": "oracle Jaccard ≥ 0.5 and oracle LLR above the reference test's critical value",
          "jaccard": "oracle Jaccard ≥ 0.5 only"}


def _excluded(plant: dict, bound: str) -> bool:
    return plant["excluded"] or (bound == "detectable" and plant["undetectable"])


EXCLUDED_REPORTS = {"covering": "a report matching an excluded plant or holding at least half of it (the plant "
                                "at least a quarter of the report)",
                    "matching": "a report matching an excluded plant at Jaccard ≥ 0.5 (the rule before)"}


def _scores(plants: list[dict], reports: list[dict], bound: str = "detectable",
            excluded_reports: str = "covering") -> dict:
    kept = [p for p in plants if not _excluded(p, bound)]
    found = [p for p in kept if p["found"]]
    out = {(p["units"], p["seed"], p["plant"]) for p in plants if _excluded(p, bound)}

    def status(r):  # a report of an excluded plant counts neither way
        if r["plant"] is not None and (r["units"], r["seed"], r["plant"]) in out:
            return "ignored"
        # Holding most of an excluded plant without matching it: an excluded plant can rarely be matched
        # (no disc reaches Jaccard 0.5), so without this a method is charged for reporting a real excess.
        if excluded_reports == "covering" and r["plant"] is None and r.get("covers") is not None \
                and (r["units"], r["seed"], r["covers"]) in out:
            return "ignored"
        return "true" if r["plant"] is not None else "false"

    considered = [status(r) for r in reports if status(r) != "ignored"]
    recall = len(found) / len(kept) if kept else float("nan")
    precision = considered.count("true") / len(considered) if considered else float("nan")
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
    first = method_names[0]
    lines = []
    for seeds_set in ("tuning", "held-out"):
        seeds = options.tuning_seeds if seeds_set == "tuning" else options.held_out_seeds
        sizes = sorted({r["units"] for r in runs if r["set"] == seeds_set})
        if not sizes:  # e.g. a run of held-out seeds only
            continue
        for bound in BOUNDS:
            lines += [f"**{seeds_set} seeds ({', '.join(map(str, seeds))}), plants kept by {BOUNDS[bound]}** — "
                      "F1 / recall / precision / mean Jaccard, pooled over the seeds:", "",
                      "| units | plants kept (excluded: Jaccard bound + detectability) | "
                      + " | ".join(method_names) + " |", "|---|---|" + "---|" * len(method_names)]
            for n_units in sizes:
                cells = []
                for name in method_names:
                    p = [r for r in plants if r["set"] == seeds_set and r["units"] == n_units and r["method"] == name]
                    q = [r for r in reports if r["set"] == seeds_set and r["units"] == n_units and r["method"] == name]
                    cells.append(_cell(_scores(p, q, bound)) if p else "–")
                one = [r for r in plants if r["set"] == seeds_set and r["units"] == n_units and r["method"] == first]
                by_jaccard = sum(r["excluded"] for r in one)
                by_test = sum(r["undetectable"] and not r["excluded"] for r in one)
                kept = len(one) - by_jaccard - (by_test if bound == "detectable" else 0)
                lines.append(f"| {n_units:,} | {kept} ({by_jaccard} + {by_test if bound == 'detectable' else '–'}) | "
                             + " | ".join(cells) + " |")
            lines.append("")
        lines += [f"Reports of excluded plants ({seeds_set} seeds, plants kept by {BOUNDS['detectable']}): "
                  f"F1 (precision) with {EXCLUDED_REPORTS['matching']} → with "
                  f"{EXCLUDED_REPORTS['covering']} counting neither way:", "",
                  "| units | " + " | ".join(method_names) + " |", "|---|" + "---|" * len(method_names)]
        for n_units in sizes:
            cells = []
            for name in method_names:
                p = [r for r in plants if r["set"] == seeds_set and r["units"] == n_units and r["method"] == name]
                q = [r for r in reports if r["set"] == seeds_set and r["units"] == n_units and r["method"] == name]
                if not p:
                    cells.append("–")
                    continue
                before, after = _scores(p, q, excluded_reports="matching"), _scores(p, q)
                cells.append(f"{before['f1']:.2f} → {after['f1']:.2f} "
                             f"(P {before['precision']:.2f} → {after['precision']:.2f})")
            lines.append(f"| {n_units:,} | " + " | ".join(cells) + " |")
        lines.append("")
        scored_sizes = [n for n in sizes if n in options.units]
        for bound in BOUNDS:
            lines += [f"By stratum ({seeds_set} seeds, registries of {', '.join(f'{n:,}' for n in scored_sizes)} "
                      f"units pooled; plants kept by {BOUNDS[bound]}):", "",
                      "| stratum | plants planted | excluded: Jaccard bound | excluded: not detectable | "
                      + " | ".join(method_names) + " |", "|---|---|---|---|" + "---|" * len(method_names)]
            for variable, label in _strata():
                cells = []
                chosen = [r for r in plants
                          if r["set"] == seeds_set and r["units"] in scored_sizes and _in(r, variable, label)]
                for name in method_names:
                    p = [r for r in chosen if r["method"] == name]
                    q = [r for r in reports if r["set"] == seeds_set and r["units"] in scored_sizes
                         and r["method"] == name and _in(r, variable, label)]
                    cells.append(_cell(_scores(p, q, bound)) if p else "–")
                one = [r for r in chosen if r["method"] == first]
                by_jaccard = sum(r["excluded"] for r in one)
                by_test = sum(r["undetectable"] and not r["excluded"] for r in one)
                whole = max(len(one), 1)
                lines.append(f"| {STRATUM_TITLE[variable]}: {label} | {len(one)} | {by_jaccard} "
                             f"({by_jaccard / whole:.0%}) | {by_test} ({by_test / whole:.0%}) | "
                             + " | ".join(cells) + " |")
            lines.append("")
    sources = sorted({(r["units"], r["reference"]) for r in runs})
    lines += ["Reference test for detectability: " + "; ".join(f"{n:,} units: {s}" for n, s in sources) + ".", ""]
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
    parser.add_argument("--tuning-seeds", type=int, nargs="*", default=[1, 2, 3])
    parser.add_argument("--held-out-seeds", type=int, nargs="*", default=[11, 12, 13, 14, 15])
    parser.add_argument("--scan-replicates", type=int, default=REPLICATES)
    parser.add_argument("--methods", nargs="+", default=list(methods(REPLICATES)), choices=list(methods(REPLICATES)))
    parser.add_argument("--density-decoy", choices=DENSITY_DECOYS, default=DENSITY_DECOYS[0],
                        help='the "follows density" decoy: units in the national mix (default) or, as before '
                             "issue 11's last round, of one activity")
    parser.add_argument("--cache", type=Path, default=OUT / "baseline-cache",
                        help="where the baselines' results are kept between runs")
    parser.add_argument("--no-cache", action="store_true", help="recompute the baselines")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 20,000 units, seeds 1 and 11, 99 scan replicates, no million")
    parser.add_argument("--json", type=Path, default=OUT / "cluster_quality.json")
    parser.add_argument("--markdown", type=Path, default=OUT / "cluster_quality.md")
    options = parser.parse_args()
    if options.quick:
        options.units, options.khoosheh_only = [20_000], []
        options.tuning_seeds, options.held_out_seeds, options.scan_replicates = [1], [11], 99
    started = time.perf_counter()
    options.cache = None if options.no_cache else options.cache
    results = run(options)
    names = options.methods
    options.json.parent.mkdir(parents=True, exist_ok=True)  # the results first: a formatting error loses nothing
    options.json.write_text(json.dumps({"options": {k: str(v) if isinstance(v, Path) else v
                                                    for k, v in vars(options).items()}, **results}, indent=1))
    text = markdown(results, options, names)
    elapsed = time.perf_counter() - started
    text += (f"\n\nFollows-density decoy: {options.density_decoy}. Scan: {options.scan_replicates} Monte Carlo "
             f"replicates. Whole run {elapsed:.0f} s on {machine()}.\n")
    print(text)
    options.markdown.write_text(text)


if __name__ == "__main__":
    main()
