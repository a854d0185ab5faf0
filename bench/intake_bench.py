"""Intake benchmark on files as provinces send them: Persian names, Persian
province and county names (spelt in the ways people type them), Jalali dates.

    .venv/bin/python bench/intake_bench.py [--csv-rows 1000000] [--xlsx-rows 100000]
                                           [--database-url postgres://.../NAME]

1. validate a CSV of ``--csv-rows`` rows (``read_rows`` + ``validate_rows``, the
   path of ``khoosheh identify FILE`` and of every import)     <- target ≤ 8 s
   baseline, same run: reading the file alone (``read_rows``, every row iterated);
2. import an XLSX of ``--xlsx-rows`` rows into an empty SQLite database
   (``khoosheh import-units``, in its own process)              <- target ≤ 8 s
   and, with ``--database-url``, into PostgreSQL               <- target ≤ 10 s;
   baseline: reading the XLSX alone.  The import's own phases (read+validate,
   plan, write) are printed too, to show where the time goes; of the write phase,
   ``staging`` (SQLite: rows built into temp tables, no lock) and ``lock`` (the
   transaction that holds the database's write lock); on SQLite another thread
   writes one row every 0.1 s meanwhile and its longest wait is printed.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from khoosheh.core.geo import in_iran  # noqa: E402
from khoosheh.core.national_id import make_national_id  # noqa: E402
from khoosheh.core.reference import provinces, read_reference_csv  # noqa: E402
from khoosheh.core.unitfile.columns import COLUMNS  # noqa: E402

FIRST = ("شرکت", "کارخانه", "صنایع", "کارگاه", "تولیدی", "مجتمع", "گروه صنعتی")
WORDS = ("کاشی", "سرامیک", "نگین", "آریا", "پارس", "فولاد", "مبلمان", "سنگ‌بری", "پلاستیک", "نساجی", "زرین",
         "البرز", "دماوند", "خزر", "کویر", "ستاره", "طلایی", "بهار", "شیمیایی", "غذایی", "بسته‌بندی", "آلومینیوم",
         "قطعه‌سازی", "ریخته‌گری", "چرم", "پوشاک", "کاغذ", "ماشین‌سازی", "الکتریک", "داروسازی")
STATUSES = ("فعال", "فعال", "فعال", "راکد", "نیمه‌تمام", "تعطیل")
JITTER = 0.02  # degrees around the county seat
ISIC = ("1010", "1030", "1071", "1079", "1410", "2220", "2393", "2395", "2396", "2511", "2592", "3100", "2029")


def variant(name: str, rng: random.Random) -> str:
    """A place name as people type it: Arabic yeh/kaf, a space for the ZWNJ, stray spaces."""
    r = rng.random()
    if r < 0.2:
        return name.replace("ی", "ي").replace("ک", "ك")
    if r < 0.3:
        return name.replace("\u200c", " ")
    if r < 0.35:
        return f" {name} "
    return name


def persian_digits(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


def make_rows(n: int, seed: int = 2026):
    """Rows in contract order (COLUMNS), all valid, with Persian content."""
    rng = random.Random(seed)
    province_names = {p.code: p.name_fa for p in provinces()}
    counties = [c for c in read_reference_csv("counties.csv") if c["province_code"] in province_names]
    # Every row is valid: keep the counties whose seat's whole jitter box is inside the outline.
    corners = [(float(c["lat"]) + dy, float(c["lon"]) + dx) for c in counties for dy in (-JITTER, JITTER)
               for dx in (-JITTER, JITTER)]
    inside = in_iran([p[0] for p in corners], [p[1] for p in corners]).reshape(-1, 4).all(axis=1)
    counties = [c for c, ok in zip(counties, inside, strict=True) if ok]
    for i in range(n):
        county = rng.choice(counties)
        lat = float(county["lat"]) + rng.uniform(-JITTER, JITTER)
        lon = float(county["lon"]) + rng.uniform(-JITTER, JITTER)
        date = f"{rng.randint(1360, 1402)}/{rng.randint(1, 12):02d}/{rng.randint(1, 29):02d}"
        name = f"{rng.choice(FIRST)} {rng.choice(WORDS)} {rng.choice(WORDS)} {i}"
        yield [
            make_national_id(f"{1010100000 + i:010d}") if rng.random() < 0.8 else "",
            name, rng.choice(ISIC), variant(province_names[county["province_code"]], rng),
            variant(county["name_fa"], rng), "", f"{lat:.5f}", f"{lon:.5f}", str(rng.randint(1, 400)),
            rng.choice(STATUSES), persian_digits(date) if rng.random() < 0.5 else date,
            rng.choice(("بله", "خیر", "")), str(rng.randint(10, 100)),
        ]


def write_csv(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([c.header_fa for c in COLUMNS])
        writer.writerows(make_rows(n))


def write_xlsx(path: Path, n: int) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet()
    for c, column in enumerate(COLUMNS):
        sheet.write_string(0, c, column.header_fa)
    for r, row in enumerate(make_rows(n), start=1):
        for c, value in enumerate(row):
            if value:
                sheet.write_string(r, c, value)
    book.close()


def read_csv_alone(path: Path) -> int:
    """The baseline: the file's bytes decoded and split into cells by Python's csv module, every row."""
    with path.open(encoding="utf-8", newline="") as f:
        return sum(1 for _ in csv.reader(f)) - 1


def timed(f, *args):
    """(result, wall seconds, CPU seconds of this process, all its threads)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = f(*args)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def time_validation(path: Path) -> list[tuple[str, str, str]]:
    from khoosheh.core.reference import Reference
    from khoosheh.core.unitfile import read_rows, validate_rows

    reference = Reference.packaged()
    validate_rows(read_rows(path), reference, max_km_from_county=200)  # warm: imports, compiled patterns
    n, read_s, read_cpu = timed(read_csv_alone, path)
    _, frame_s, frame_cpu = timed(read_rows, path)
    result, validate_s, validate_cpu = timed(lambda: validate_rows(read_rows(path), reference))
    assert not result.errors, f"{len(result.errors)} errors in a file of valid rows: {result.errors[:3]}"
    return [
        (f"baseline: read the {n:,}-row CSV alone (csv.reader, every row)", f"{read_s:.1f} s", f"CPU {read_cpu:.1f} s"),
        ("read_rows alone (decoding, Polars split into columns)", f"{frame_s:.1f} s", f"CPU {frame_cpu:.1f} s"),
        (f"**read + validate the {n:,}-row CSV** (target ≤ 8 s)", f"**{validate_s:.1f} s**",
         f"CPU {validate_cpu:.1f} s (all threads); {result.frame.height:,} accepted"),
    ]


_IMPORT_WITH_PHASES = """
import os, sys, time, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khoosheh.settings")
django.setup()
from khoosheh.registry import importing
phases = {}
def timed(name, f):
    def wrapper(*a, **k):
        t = time.perf_counter()
        try:
            return f(*a, **k)
        finally:
            phases[name] = phases.get(name, 0) + time.perf_counter() - t
    return wrapper
importing.read_rows = timed("read", importing.read_rows)
importing.validate_rows = timed("validate", importing.validate_rows)
importing._plan = timed("plan", importing._plan)
importing._write = timed("write", importing._write)
if hasattr(importing, "_stage"):  # SQLite since issue 17: rows staged outside the write lock, then copied
    importing._stage = timed("staging", importing._stage)
t, c = time.perf_counter(), time.process_time()
outcome = importing.import_units(sys.argv[1])
total, cpu = time.perf_counter() - t, time.process_time() - c
phases["cpu"] = cpu
# The write lock is held for the write phase less its staging (before issue 17: for all of it).
phases["lock"] = phases["write"] - phases.get("staging", 0)
assert outcome.written and not outcome.errors, outcome.errors[:3]
print("BENCH", total, outcome.created, " ".join(f"{k}={v:.2f}" for k, v in phases.items()))
"""


class OtherWriter(threading.Thread):
    """Another writer during the import, as the portal is: every 0.1 s a one-row write in its own transaction
    (BEGIN IMMEDIATE, as Django's), timed; its longest wait is how long the import kept everyone else out."""

    def __init__(self, database: Path):
        super().__init__(daemon=True)
        self.database, self.stop, self.waits = database, threading.Event(), []

    def run(self) -> None:
        import sqlite3

        db = sqlite3.connect(self.database, isolation_level=None, timeout=600)
        while not self.stop.wait(0.1):
            started = time.perf_counter()
            db.execute("BEGIN IMMEDIATE")
            db.execute("UPDATE registry_province SET name_en = name_en WHERE code = '10'")
            db.execute("COMMIT")
            self.waits.append(time.perf_counter() - started)
        db.close()


def time_import(xlsx: Path, env: dict) -> tuple[float, int, str]:
    subprocess.run([sys.executable, "-m", "khoosheh", "migrate", "-v0"], env=env, check=True)
    subprocess.run([sys.executable, "-m", "khoosheh", "flush", "--no-input"], env=env, check=True)
    subprocess.run([sys.executable, "-m", "khoosheh", "sync-reference"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    other = OtherWriter(Path(env["KHOOSHEH_DATA_DIR"]) / "khoosheh.sqlite3") if "DATABASE_URL" not in env else None
    if other:
        other.start()
    try:
        done = subprocess.run([sys.executable, "-c", _IMPORT_WITH_PHASES, str(xlsx)], env=env, check=True,
                              capture_output=True, text=True)
    finally:
        if other:
            other.stop.set()
            other.join()
    line = [x for x in done.stdout.splitlines() if x.startswith("BENCH")][-1].split(maxsplit=3)
    phases = line[3] + (f"; another writer's longest wait {max(other.waits):.2f} s" if other and other.waits else "")
    return float(line[1]), int(line[2]), phases


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--csv-rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--database-url", default="", help="also import into this PostgreSQL database")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="khoosheh-intake-"))
    print(f"# intake benchmark in {folder}; {platform.node()}, Python {platform.python_version()}, "
          f"load {os.getloadavg()[0]:.1f}", file=sys.stderr)
    rows = []
    if options.csv_rows:
        path = folder / "units.csv"
        write_csv(path, options.csv_rows)
        rows.extend(time_validation(path))
    if options.xlsx_rows:
        xlsx = folder / "units.xlsx"
        write_xlsx(xlsx, options.xlsx_rows)
        from khoosheh.core.unitfile import read_rows

        _, read_s, read_cpu = timed(lambda: sum(1 for _ in read_rows(xlsx).rows))
        rows.append((f"baseline: read the {options.xlsx_rows:,}-row XLSX alone (read_rows, every row)",
                     f"{read_s:.1f} s", f"CPU {read_cpu:.1f} s"))
        env = {**os.environ, "KHOOSHEH_DATA_DIR": str(folder), "PYTHONPATH": str(ROOT)}
        env.pop("DATABASE_URL", None)
        targets = [("SQLite", env, 8)]
        if options.database_url:
            targets.append(("PostgreSQL", {**env, "DATABASE_URL": options.database_url}, 10))
        for database, target_env, target in targets:
            seconds, created, phases = time_import(xlsx, target_env)
            rows.append((f"**import the XLSX into empty {database}** (target ≤ {target} s)", f"**{seconds:.1f} s**",
                         f"{created:,} units; {phases}"))
    print(f"\n{platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load {os.getloadavg()[0]:.1f} at the end\n")
    print("| step | time | note |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
