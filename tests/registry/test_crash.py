"""An import killed with SIGKILL midway leaves the database as it was.

Runs `khoosheh import-units` as its own process on a database file, holds it at a checkpoint the test controls
(tests/registry/checkpoints.py) — while its rows are staged, and inside its transaction once they are all
copied — kills it there with SIGKILL, and checks the database: the units, history, audit and import log are
exactly those before the import, and the file passes SQLite's integrity check."""

import os
import signal
import sqlite3
import subprocess
import sys

import numpy as np
import pytest

from tests.conftest import write_unit_file
from tests.registry.checkpoints import Checkpoint, command_with_checkpoint


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


def registry_in(database) -> tuple[int, ...]:
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return tuple(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in (
            "registry_productionunit", "registry_unitstatuschange", "accounts_auditentry", "registry_importbatch"))


@pytest.mark.slow
@pytest.mark.parametrize("checkpoint, name", [
    ("hold_each_import_midway_through_writing", "midway-writing-1"),  # rows staged, the transaction not begun
    ("hold_inside_the_write_transaction", "inside-write"),  # every row copied, not committed
], ids=["while-staging", "inside-the-transaction"])
def test_an_import_killed_midway_leaves_the_database_as_it_was(tmp_path, checkpoint, name):
    database = tmp_path / "crash.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "KHOOSHEH_DATA_DIR": str(tmp_path)}
    khoosheh(env, "migrate", "-v0")
    khoosheh(env, "import-units", str(big_file(tmp_path / "first.csv", 500, 1)))
    before = registry_in(database)
    assert before[0] == 500

    argv, held_env = command_with_checkpoint(env, checkpoint, tmp_path, "import-units",
                                             str(big_file(tmp_path / "second.csv", 12_000, 2)))
    process = subprocess.Popen(argv, env=held_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        Checkpoint(tmp_path, name).wait(process)
    finally:
        process.send_signal(signal.SIGKILL)  # there, or (the test failing) wherever it is
        process.wait()
    assert process.returncode == -signal.SIGKILL

    # Nothing of the killed import is there, and the database is sound.
    assert registry_in(database) == before
    # And the same import, run again, completes.
    khoosheh(env, "import-units", str(tmp_path / "second.csv"))
    assert units_in(database) == before[0] + 12_000
