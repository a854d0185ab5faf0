"""CPU seconds of reading and validating the intake benchmark's files, for comparing two versions of
the code on a shared machine (wall time follows the others' load; CPU time much less so).

    PYTHONPATH=/path/to/checkout .venv/bin/python bench/intake_cpu.py [--csv-rows 1000000]
                                                  [--xlsx-rows 100000] [--folder DIR] [--repeat 3]

The khoosheh package on PYTHONPATH is measured (its path is printed), so the same files can be
timed under two checkouts one after the other.  The files are bench/intake_bench.py's (Persian
names, places typed as people type them, Jalali dates), written to --folder once and reused.
Each figure is the best of --repeat runs: CPU seconds of the process, all threads.
Baseline, same run: the CSV read alone by Python's csv module, every row.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import khoosheh  # first, so that the checkout on PYTHONPATH is the one measured (intake_bench adds its own)

sys.path.insert(0, str(Path(__file__).resolve().parent))
import intake_bench  # noqa: E402


def best(repeat: int, f) -> tuple[float, float, object]:
    """(CPU seconds, wall seconds, result) of the fastest of ``repeat`` runs by CPU."""
    runs = []
    for _ in range(repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        result = f()
        runs.append((time.process_time() - cpu, time.perf_counter() - wall, result))
    return min(runs, key=lambda r: r[0])


def main() -> None:
    from khoosheh.core.reference import Reference
    from khoosheh.core.unitfile import read_rows, validate_rows

    parser = argparse.ArgumentParser()
    parser.add_argument("--csv-rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--folder", default="/tmp/khoosheh-intake-cpu")
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    folder = Path(options.folder)
    folder.mkdir(parents=True, exist_ok=True)
    reference = Reference.packaged()
    print(f"khoosheh from {Path(khoosheh.__file__).parent}; load {os.getloadavg()[0]:.1f}")
    files = []
    if options.csv_rows:
        files.append((folder / f"units-{options.csv_rows}.csv", intake_bench.write_csv, options.csv_rows))
    if options.xlsx_rows:
        files.append((folder / f"units-{options.xlsx_rows}.xlsx", intake_bench.write_xlsx, options.xlsx_rows))
    for path, write, rows in files:
        if not path.exists():
            write(path, rows)
        validate_rows(read_rows(path), reference)  # warm: imports, the outline's grid, compiled patterns
        if path.suffix == ".csv":
            cpu, wall, _ = best(options.repeat, lambda p=path: intake_bench.read_csv_alone(p))
            print(f"{path.name}: baseline csv.reader alone  CPU {cpu:.2f} s  wall {wall:.2f} s")
        cpu, wall, _ = best(options.repeat, lambda p=path: read_rows(p))
        print(f"{path.name}: read_rows                 CPU {cpu:.2f} s  wall {wall:.2f} s")
        cpu, wall, result = best(options.repeat, lambda p=path: validate_rows(read_rows(p), reference))
        print(f"{path.name}: read_rows + validate_rows CPU {cpu:.2f} s  wall {wall:.2f} s  "
              f"({result.frame.height:,} accepted, {len(result.errors)} errors)")
    print(f"load {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
