"""Registry benchmark: import a 100,000-row XLSX and serve the unit list.

Runs in a throw-away data folder. Steps:
 1. build a realistic synthetic registry of N units (`demo-data`) and export it to XLSX
    (so the file is what `export-units` writes: Persian headers, Jalali dates);
 2. import that file into an empty database with `khoosheh import-units`  <- target ≤ 20 s;
 3. import it again (idempotent path: nothing changes);
 4. baselines in the same run: reading the file alone (python-calamine), and a
    naive row-by-row ORM import of a 2,000-row slice, extrapolated;
 5. serve the unit list with N units in the database, warm, in-process  <- target ≤ 150 ms.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from httpbench import serve, session_cookie, time_gets  # noqa: E402

KHOOSHEH = [sys.executable, "-m", "khoosheh"]


def run(args: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(KHOOSHEH + args, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def peak_rss_mb_of(args: list[str], env: dict) -> tuple[float, float]:
    """Wall time and peak memory of one khoosheh command (GNU time is not always there)."""
    code = ("import resource, runpy, sys, time; sys.argv = ['khoosheh'] + sys.argv[1:]; t = time.perf_counter()\n"
            "try:\n    runpy.run_module('khoosheh', run_name='__main__')\n"
            "finally:\n    print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
            "file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code, *args], env=env, check=True, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    seconds, kb = out.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(kb) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    options = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="khoosheh-bench-"))
    env = {**os.environ, "KHOOSHEH_DATA_DIR": str(folder), "PYTHONPATH": str(ROOT)}
    if options.database_url:
        env["DATABASE_URL"] = options.database_url
    else:
        env.pop("DATABASE_URL", None)
    database = "PostgreSQL" if options.database_url else "SQLite"
    xlsx = folder / "units.xlsx"

    print(f"# registry benchmark: {options.units:,} units on {database}", file=sys.stderr)
    run(["migrate", "-v0"], env)
    run(["demo-data", "--units", str(options.units), "--seed", "2026"], env)
    export_s = run(["export-units", str(xlsx)], env)
    run(["flush", "--no-input"], env)  # empties every table, the reference tables too
    run(["sync-reference"], env)

    import_s, import_mb = peak_rss_mb_of(["import-units", str(xlsx)], env)
    reimport_s, _ = peak_rss_mb_of(["import-units", str(xlsx)], env)
    read_s = read_only_baseline(xlsx)
    naive_s = naive_baseline(xlsx, env, rows=2000)
    list_times = list_page_times(env)
    http_times = list_page_over_http(env)

    rows = [
        ("export-units to XLSX", f"{export_s:.1f} s", ""),
        ("**import-units, empty database** (target ≤ 20 s)", f"**{import_s:.1f} s**", f"peak {import_mb:.0f} MB"),
        ("import-units again (nothing changes)", f"{reimport_s:.1f} s", ""),
        ("baseline: read the XLSX only (python-calamine)", f"{read_s:.1f} s", "the floor"),
        ("baseline: naive row-by-row ORM save, extrapolated", f"{naive_s:.0f} s", "2,000-row slice × N/2,000"),
    ]
    for name, (median, p95) in list_times.items():
        rows.append((f"unit list: {name}", f"{median:.0f} ms", f"p95 {p95:.0f} ms, in-process"))
    for name, (median, p95) in http_times.items():
        rows.append((f"**unit list over HTTP: {name}** (target ≤ 150 ms)", f"**{median:.0f} ms**",
                     f"p95 {p95:.0f} ms, `khoosheh runserver` on loopback"))
    print(f"\n{options.units:,} units, {database}, {platform.node()}, Python {platform.python_version()}\n")
    print("| step | time | note |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def read_only_baseline(xlsx: Path) -> float:
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_index(0).to_python()
    return time.perf_counter() - started


def naive_baseline(xlsx: Path, env: dict, rows: int) -> float:
    """What a straightforward import costs: one ORM save (and history row) per unit."""
    code = f"""
import os, sys, time, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khoosheh.settings")
django.setup()
from django.db import transaction
from khoosheh.core.unitfile import read_rows, validate_rows
from khoosheh.registry.importing import reference_from_db
from khoosheh.registry.models import ProductionUnit, UnitStatusChange
from django.utils import timezone
table = read_rows({str(xlsx)!r})
import itertools
table.rows = itertools.islice(table.rows, {rows})
records = validate_rows(table, reference_from_db()).records
ProductionUnit.objects.all().delete()
t = time.perf_counter()
with transaction.atomic():
    for r in records:
        u = ProductionUnit(national_id=r.national_id, name=r.name, activity_id=r.isic, province_id=r.province_code,
                           county_id=r.county_code, lat=r.lat, lon=r.lon, employees=r.employees, status=r.status,
                           permit_date=r.permit_date, exporter=r.exporter, capacity_utilisation=r.capacity_utilisation)
        u.save()
        UnitStatusChange.objects.create(unit=u, changed_at=timezone.now(), new_status=u.status)
    transaction.set_rollback(True)
print(time.perf_counter() - t)
"""
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    per_row = float(out.stdout.strip().splitlines()[-1]) / rows
    from python_calamine import CalamineWorkbook

    total = len(CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_index(0).to_python()) - 1
    return per_row * total


def list_page_times(env: dict) -> dict[str, tuple[float, float]]:
    code = """
import os, statistics, time, json, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khoosheh.settings")
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
from khoosheh.accounts.models import User
user = User.objects.create(username="bench", role="national")
client, anonymous = Client(), Client()
client.force_login(user)
cases = {
    "first page, no filter": "/registry/units/",
    "search (Arabic ك/ي typed)": "/registry/units/?q=%D9%83%D8%A7%D8%B4%D9%8A",
    "province + status filter": "/registry/units/?province=10&status=idle",
    "activity division filter": "/registry/units/?activity=25",
    "page 500": "/registry/units/?page=500",
    "baseline: login page (no query)": "/login/",
}
out = {}
for name, url in cases.items():
    who = anonymous if url == "/login/" else client
    for _ in range(3):
        who.get(url)
    times = []
    for _ in range(30):
        t = time.perf_counter()
        r = who.get(url)
        times.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, (url, r.status_code)
    times.sort()
    out[name] = (statistics.median(times), times[int(len(times) * 0.95) - 1])
print(json.dumps(out))
"""
    import json

    out = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    return {k: tuple(v) for k, v in json.loads(out.stdout.strip().splitlines()[-1]).items()}


def list_page_over_http(env: dict) -> dict[str, tuple[float, float]]:
    """The same page as a browser gets it: through `khoosheh runserver` on loopback."""
    headers = {"Cookie": f"sessionid={session_cookie(env, 'bench-http')}"}
    with serve(env) as base:
        return {name: time_gets(base + path, headers, must_contain=b"<table>") for name, path in {
            "first page": "/registry/units/",
            "search": "/registry/units/?q=%D9%83%D8%A7%D8%B4%D9%8A",
            "province + status": "/registry/units/?province=10&status=idle"}.items()}


if __name__ == "__main__":
    main()
