"""The national dashboard with the demo database: served in <= 300 ms?

    .venv/bin/python bench/dashboard_bench.py [--units 30000]

Builds the full demo (registry, clusters, programs, SPX) in a throw-away
folder, then times the national dashboard and a province page, warm, 30
requests each: in-process, and over HTTP through `khoosheh runserver`.  The
baseline in the same run is the login page (no query)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from httpbench import demo_database, serve, session_cookie, time_gets  # noqa: E402

PAGES = {"national dashboard": "/", "province page (Isfahan)": "/dashboard/province/10/",
         "baseline: login page": "/login/"}

IN_PROCESS = """
import json, os, statistics, time, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khoosheh.settings")
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
from django.db import connection, reset_queries
from django.conf import settings
setup_test_environment()
settings.DEBUG = True  # to count queries
from khoosheh.accounts.models import User
client, anonymous = Client(), Client()
client.force_login(User.objects.get(username="demo"))
out = {}
for name, url in PAGES.items():
    who = anonymous if url == "/login/" else client
    for _ in range(3):
        who.get(url)
    times = []
    for _ in range(30):
        reset_queries()
        t = time.perf_counter()
        r = who.get(url)
        times.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, (url, r.status_code)
    times.sort()
    out[name] = (times[15], times[28], len(connection.queries))
print(json.dumps(out))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=30_000)
    options = parser.parse_args()
    _, env = demo_database(options.units, "khoosheh-dashboard-")
    code = f"PAGES = {PAGES!r}\n" + IN_PROCESS
    in_process = json.loads(subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True,
                                           text=True).stdout.strip().splitlines()[-1])
    http = over_http(env)
    print(f"\nfull demo, {options.units:,} units, SQLite\n")
    print("| page | in-process median | p95 | queries | over HTTP median | p95 |\n|---|---|---|---|---|---|")
    for name in PAGES:
        median, p95, queries = in_process[name]
        h_median, h_p95 = http[name]
        print(f"| {name} | {median:.0f} ms | {p95:.0f} ms | {queries} | **{h_median:.0f} ms** | {h_p95:.0f} ms |")


def over_http(env) -> dict:
    cookie = {"Cookie": f"sessionid={session_cookie(env, 'demo')}"}
    with serve(env) as base:
        return {name: time_gets(base + path, {} if path == "/login/" else cookie) for name, path in PAGES.items()}


if __name__ == "__main__":
    main()
