"""Speed of the analysis alone (identify_clusters on loaded columns) at a million units: this tree's code
against another checkout's (the previous method), each in its own process, alternately, in one run.

    .venv/bin/python bench/analysis_speed.py --baseline /work/main [--units 1000000] [--repeats 3]

Reports wall and CPU seconds of each run and the load average around it; the registry is
bench/synthetic.py's (the same seed for both), built before timing starts.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHILD = """
import json, os, sys, time
sys.path.insert(0, {bench!r})
from synthetic import make_registry
from khoosheh.analysis import IdentifyParams, identify_clusters
registry = make_registry({units}, {seed})
out = []
for significance in ("bonferroni", "monte carlo"):
    load, wall, cpu = os.getloadavg()[0], time.perf_counter(), time.process_time()
    clusters = identify_clusters(registry.columns, IdentifyParams(significance=significance))
    out.append({{"significance": significance, "wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                "load": load, "clusters": len(clusters)}})
print("RESULT", json.dumps(out))
"""


def timed(tree: Path, units: int, seed: int) -> list[dict]:
    code = CHILD.format(bench=str(ROOT / "bench"), units=units, seed=seed)
    done = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(tree)}, check=True,
                          capture_output=True, text=True, cwd=tree)
    return json.loads(next(line for line in done.stdout.splitlines() if line.startswith("RESULT"))[7:])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", type=Path, required=True, help="a checkout of the previous method")
    parser.add_argument("--units", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args()
    print("| code | significance | wall s | CPU s | load at start | clusters |\n|---|---|---|---|---|---|")
    for _ in range(options.repeats):
        for name, tree in (("this branch", ROOT), ("previous", options.baseline)):
            for r in timed(tree, options.units, options.seed):
                print(f"| {name} | {r['significance']} | {r['wall']:.2f} | {r['cpu']:.2f} | {r['load']:.1f} "
                      f"| {r['clusters']} |", flush=True)


if __name__ == "__main__":
    main()
