"""Load on loopback: 64 concurrent clients for 60 s against the unit list, a unit page, the
dashboard and the API, served by gunicorn (4 workers x 4 threads) over the full demo database.

    .venv/bin/python bench/load_bench.py [--clients 64] [--seconds 60] [--database-url postgres://...]

Every request loop is bounded in time and stops by itself; traffic goes to 127.0.0.1 only.
Reports requests per second, error count and latency percentiles per endpoint."""

from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
KHOOSHEH = [sys.executable, "-m", "khoosheh"]


def prepare(env: dict, units: int) -> tuple[str, str, list[int]]:
    subprocess.run(KHOOSHEH + ["migrate", "-v0"], env=env, check=True)
    subprocess.run(KHOOSHEH + ["flush", "--no-input"], env=env, check=True)
    subprocess.run(KHOOSHEH + ["sync-reference"], env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(KHOOSHEH + ["demo-data", "--units", str(units)], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out = subprocess.run([sys.executable, "-c", (
        "import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'khoosheh.settings'); django.setup()\n"
        "from django.test import Client\nfrom khoosheh.accounts.models import User\n"
        "from khoosheh.accounts.tokens import make_token\nfrom khoosheh.registry.models import ProductionUnit\n"
        "u = User.objects.get(username='demo'); c = Client(); c.force_login(u)\n"
        "print(c.cookies['sessionid'].value); print(make_token(u))\n"
        "print(','.join(str(i) for i in ProductionUnit.objects.values_list('pk', flat=True)[:2000]))")],
        env=env, check=True, capture_output=True, text=True).stdout.strip().splitlines()
    return out[-3], out[-2], [int(i) for i in out[-1].split(",")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--units", type=int, default=30_000)
    parser.add_argument("--database-url", default="")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="khoosheh-load-"))
    env = {**os.environ, "KHOOSHEH_DATA_DIR": str(folder), "PYTHONPATH": str(ROOT),
           "KHOOSHEH_LOGIN_FAILURES": "1000000"}
    if options.database_url:
        env["DATABASE_URL"] = options.database_url
    else:
        env.pop("DATABASE_URL", None)
    session, token, unit_ids = prepare(env, options.units)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "khoosheh.wsgi", "-b", f"127.0.0.1:{port}",
                               "-w", "4", "--threads", "4", "--log-level", "warning"], env=env, cwd=str(folder))
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{base}/login/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        endpoints = {
            "unit list": lambda: (f"/registry/units/?page={random.randint(1, 200)}", "cookie"),
            "unit page": lambda: (f"/registry/units/{random.choice(unit_ids)}/", "cookie"),
            "dashboard": lambda: ("/", "cookie"),
            "API units": lambda: (f"/api/v1/units?limit=50&offset={random.randint(0, 5000)}", "token"),
        }
        results = {name: [] for name in endpoints}
        errors = {name: 0 for name in endpoints}
        stop = time.monotonic() + options.seconds
        lock = threading.Lock()

        def client(seed: int) -> None:
            rng = random.Random(seed)
            names = list(endpoints)
            while time.monotonic() < stop:
                name = rng.choice(names)
                path, auth = endpoints[name]()
                headers = ({"Cookie": f"sessionid={session}"} if auth == "cookie"
                           else {"Authorization": f"Bearer {token}"})
                started = time.perf_counter()
                try:
                    with urllib.request.urlopen(urllib.request.Request(base + path, headers=headers),
                                                timeout=30) as r:
                        r.read()
                        ok = r.status == 200
                except (urllib.error.URLError, OSError):
                    ok = False
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    results[name].append(elapsed)
                    errors[name] += not ok

        threads = [threading.Thread(target=client, args=(i,)) for i in range(options.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        server.terminate()
        server.wait()
    database = "PostgreSQL" if options.database_url else "SQLite"
    print(f"\n{options.clients} clients, {options.seconds:.0f} s, {database}, gunicorn 4x4, "
          f"{options.units:,}-unit demo\n")
    print("| endpoint | requests | per second | errors | median | p99 |\n|---|---|---|---|---|---|")
    total = 0
    for name, times in results.items():
        total += len(times)
        t = np.array(times)
        print(f"| {name} | {len(t):,} | {len(t) / options.seconds:.0f} | {errors[name]} | {np.median(t):.0f} ms "
              f"| {np.percentile(t, 99):.0f} ms |")
    print(f"| **all** | {total:,} | **{total / options.seconds:.0f}** | {sum(errors.values())} | | |")


if __name__ == "__main__":
    main()
