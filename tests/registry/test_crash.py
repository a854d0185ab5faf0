"""An import killed with SIGKILL midway leaves the database as it was.

Runs `khoosheh import-units` as its own process on a database file, waits until
it reports writing, kills it with SIGKILL, and checks the database: the units
are exactly those before the import, and the file passes SQLite's integrity check."""

import os
import select
import signal
import sqlite3
import subprocess
import sys
import time

import numpy as np
import pytest

from tests.conftest import write_unit_file


def khoosheh(env, *args, **kwargs):
    return subprocess.run([sys.executable, "-m", "khoosheh", *args], env=env, check=True, capture_output=True,
                          text=True, **kwargs)


def big_file(path, n, seed):
    rng = np.random.default_rng(seed)
    rows = [{"name": f"کارگاه {seed}-{i}", "isic": "2220", "province": "یزد", "county": "میبد",
             "lat": f"{32.25 + rng.normal(0, 0.05):.5f}", "lon": f"{54.02 + rng.normal(0, 0.05):.5f}",
             "employees": "12", "status": "فعال"} for i in range(n)]
    return write_unit_file(path, rows)


def units_in(database) -> int:
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return db.execute("SELECT COUNT(*) FROM registry_productionunit").fetchone()[0]


@pytest.mark.slow
def test_an_import_killed_midway_leaves_the_database_as_it_was(tmp_path):
    database = tmp_path / "crash.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "KHOOSHEH_DATA_DIR": str(tmp_path)}
    khoosheh(env, "migrate", "-v0")
    khoosheh(env, "import-units", str(big_file(tmp_path / "first.csv", 500, 1)))
    before = units_in(database)
    assert before == 500

    process = subprocess.Popen([sys.executable, "-m", "khoosheh", "import-units", "--progress",
                                str(big_file(tmp_path / "second.csv", 40_000, 2))], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen, deadline = b"", time.monotonic() + 120
    while b"write" not in seen and time.monotonic() < deadline and process.poll() is None:
        ready, _, _ = select.select([process.stderr], [], [], 0.5)
        if ready:
            seen += os.read(process.stderr.fileno(), 4096)
    assert b"write" in seen, "the import never reached its writing stage"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL

    # Nothing of the killed import is there, and the database is sound.
    assert units_in(database) == before
    # And the same import, run again, completes.
    khoosheh(env, "import-units", str(tmp_path / "second.csv"))
    assert units_in(database) == before + 40_000
