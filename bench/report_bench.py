"""Large reports: a workbook listing every unit, built as a background job does it.

    .venv/bin/python bench/report_bench.py [--units 100000]

Builds a demo registry in a throw-away folder, then runs `khoosheh report` three ways in
fresh processes, timing each and reading its peak memory (ru_maxrss of the child):
- baseline: the national report without the unit list (aggregate queries only);
- the national report listing every unit (Excel; XlsxWriter's constant-memory mode);
- the same as PDF (the first 2,000 units, the rest left to the workbook)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from httpbench import KHOOSHEH, demo_database  # noqa: E402


def timed(args, env) -> tuple[float, float]:
    """Seconds and peak resident memory (MB) of that one child process (os.wait4 gives its own usage)."""
    started = time.perf_counter()
    child = subprocess.Popen(KHOOSHEH + args, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"khoosheh {' '.join(args)} failed")
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=100_000)
    options = parser.parse_args()
    folder, env = demo_database(options.units, "khoosheh-report-", registry_only=True)
    cases = {
        "baseline: national report, figures only (Excel)": ["--output", str(folder / "figures.xlsx")],
        "national report with every unit (PDF, first 2,000 listed)": ["--units", "--output", str(folder / "u.pdf")],
        f"national report with every unit (Excel, {options.units:,} rows)": ["--units", "--output",
                                                                            str(folder / "u.xlsx")],
    }
    print(f"\n{options.units:,} units, SQLite, `khoosheh report --user demo` in a fresh process each\n")
    print("| report | time | peak memory (process) | file |\n|---|---|---|---|")
    for name, args in cases.items():
        seconds, peak = timed(["report", "--user", "demo", "--year", "1405", *args], env)
        size = Path(args[-1]).stat().st_size / 1e6
        print(f"| {name} | {seconds:.1f} s | {peak:.0f} MB | {size:.1f} MB |")


if __name__ == "__main__":
    main()
