"""Shared by the benchmarks: a throw-away demo database, a logged-in session, a server on a free
loopback port, and timed GETs."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

KHOOSHEH = [sys.executable, "-m", "khoosheh"]
ROOT = Path(__file__).resolve().parents[1]


def demo_database(units: int, prefix: str, *, registry_only: bool = False) -> tuple[Path, dict]:
    """A fresh SQLite demo (`khoosheh demo-data`) in a throw-away folder; its folder and environment."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    env = {**os.environ, "KHOOSHEH_DATA_DIR": str(folder), "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    subprocess.run(KHOOSHEH + ["migrate", "-v0"], env=env, check=True)
    subprocess.run(KHOOSHEH + ["demo-data", "--units", str(units), *(["--registry-only"] if registry_only else [])],
                   env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return folder, env


def session_cookie(env: dict, username: str, role: str = "national") -> str:
    """A session id for the user (made if missing), as a browser would hold after logging in."""
    code = ("import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'khoosheh.settings'); django.setup()\n"
            "from django.test import Client\nfrom khoosheh.accounts.models import User\n"
            f"user, _ = User.objects.get_or_create(username={username!r}, defaults={{'role': {role!r}}})\n"
            "c = Client(); c.force_login(user); print(c.cookies['sessionid'].value)")
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(env: dict, command: list[str] | None = None, *, log=None):
    """Start `khoosheh runserver` (or ``command``, given ``{port}``) on a free port; yield its base URL once it
    answers.  The server's output goes to ``log`` (an open file), or nowhere.  Used by the benchmarks and by the
    browser tests (tests/browser/test_crawl.py), so both start the portal the same way."""
    port = free_port()
    argv = [a.format(port=port) for a in command] if command else KHOOSHEH + [
        "runserver", f"127.0.0.1:{port}", "--noreload"]
    out = log or subprocess.DEVNULL
    server = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT if log else subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{base}/login/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def time_gets(url: str, headers: dict, *, requests: int = 30, warmup: int = 3,
              must_contain: bytes = b"") -> tuple[float, float]:
    """Median and p95 in ms of ``requests`` warm GETs."""
    request = urllib.request.Request(url, headers=headers)
    times = []
    for i in range(warmup + requests):
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
            assert response.status == 200 and must_contain in body, url
        if i >= warmup:
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return times[len(times) // 2], times[int(len(times) * 0.95) - 1]
