"""The Dask engine against the embedded engine, end to end from files (issue 14).

    .venv/bin/python bench/dask_bench.py [--units 1000000 10000000] [--partition 1000000] [--workers 2]

A registry of N units is generated in partitions of ``--partition`` units (bench/synthetic.py, one seed per
partition, so no partition is ever held with another) and written as CSV files; then, each as its own
process: `khoosheh identify FILES --engine dask --workers W` (a LocalCluster) and, as the baseline in the same
run, `khoosheh identify FILES` (the embedded engine: every file checked, then all units in one process) —
wall time, CPU, peak memory of the command's process and, for Dask, of every worker (sampled). The clusters of
the two engines are compared (they must be identical). ``--skip-embedded-above N`` leaves the baseline out
where it would not fit in memory.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from identify_bench import write_csv  # noqa: E402
from synthetic import make_registry  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def write_partitions(folder: Path, units: int, partition: int) -> list[Path]:
    paths = []
    for k, start in enumerate(range(0, units, partition)):
        n = min(partition, units - start)
        path = folder / f"part-{k:03d}.csv"
        if not path.exists():
            write_csv(path, make_registry(n, seed=100 + k, n_clusters=max(40, n // 2500)).columns)
        paths.append(path)
    return paths


def _tree_rss_mb(pid: int) -> dict[int, float]:
    """Resident memory of a process and its descendants (MB), from /proc."""
    found = {}
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                rss = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
            found[p] = rss / 1024
            for task in os.listdir(f"/proc/{p}/task"):  # children of every thread (Dask's nannies spawn off-main)
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, StopIteration, ProcessLookupError):
            continue
    return found


def run(args: list[str], env: dict) -> dict:
    started, cpu0 = time.perf_counter(), os.times()
    process = subprocess.Popen([sys.executable, "-m", "khoosheh", "identify", *args], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak_each: dict[int, float] = {}
    peak_total = 0.0

    def sample():
        nonlocal peak_total
        while process.poll() is None:
            now = _tree_rss_mb(process.pid)
            for p, mb in now.items():
                peak_each[p] = max(peak_each.get(p, 0.0), mb)
            peak_total = max(peak_total, sum(now.values()))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    sampler.join()
    cpu1 = os.times()
    if process.returncode:
        raise RuntimeError(err[-3000:])
    return {"seconds": time.perf_counter() - started,
            "cpu": (cpu1.children_user - cpu0.children_user) + (cpu1.children_system - cpu0.children_system),
            "peak_main_mb": peak_each.get(process.pid, 0.0),
            "peak_other_mb": max([mb for p, mb in peak_each.items() if p != process.pid], default=0.0),
            "peak_total_mb": peak_total}


def clusters(path: Path) -> list:
    return json.loads(path.read_text(encoding="utf-8"))["clusters"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--partition", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-embedded-above", type=int, default=10**12)
    parser.add_argument("--folder", default="")
    options = parser.parse_args()
    base = Path(options.folder or tempfile.mkdtemp(prefix="khoosheh-dask-"))
    env = {**os.environ, "KHOOSHEH_DATA_DIR": str(base / "data"), "PYTHONPATH": str(ROOT)}
    print(f"# {platform.node()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, files in {base}",
          file=sys.stderr)
    rows = []
    for n in options.units:
        folder = base / f"units-{n}"
        folder.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        paths = write_partitions(folder, n, options.partition)
        print(f"# {n:,} units in {len(paths)} files ({time.perf_counter() - t:.0f} s to write)", file=sys.stderr)
        files = [str(p) for p in paths]
        dask = run([*files, "--engine", "dask", "--workers", str(options.workers), "--output",
                    str(folder / "dask.json")], env)
        embedded = None
        if n <= options.skip_embedded_above:
            embedded = run([*files, "--output", str(folder / "embedded.json")], env)
            same = clusters(folder / "dask.json") == clusters(folder / "embedded.json")
        else:
            same = None
        rows.append((n, len(paths), dask, embedded, same, len(clusters(folder / "dask.json"))))
        print(rows[-1], file=sys.stderr, flush=True)
    print(f"\n{platform.node()}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
          f"load {os.getloadavg()[0]:.1f} at the end\n")
    print("| units (files) | Dask, 2 workers: wall / CPU | Dask: peak, client / a worker / all | embedded: wall / CPU "
          "| embedded: peak | clusters | identical |")
    print("|---|---|---|---|---|---|---|")
    for n, k, d, e, same, found in rows:
        emb = f"{e['seconds']:.0f} s / {e['cpu']:.0f} s" if e else "not run"
        emb_mem = f"{e['peak_total_mb']:,.0f} MB" if e else "–"
        print(f"| {n:,} ({k}) | {d['seconds']:.0f} s / {d['cpu']:.0f} s | {d['peak_main_mb']:,.0f} / "
              f"{d['peak_other_mb']:,.0f} / {d['peak_total_mb']:,.0f} MB | {emb} | {emb_mem} | {found} | "
              f"{'yes' if same else ('–' if same is None else 'NO')} |")


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
