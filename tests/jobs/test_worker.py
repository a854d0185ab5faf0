"""Real worker processes on a real database: killed with SIGKILL midway through an import, stopped with
SIGTERM, asked to cancel — the registry is never half-written and no import is applied twice.

Each test runs `khoosheh` processes (the queue is shared through the database, as between web
processes and workers in production) on a database of its own: an SQLite file, or — when the suite
runs on PostgreSQL — a database named after the suite's with `_worker` added."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import dj_database_url
import pytest

from tests.registry.checkpoints import Checkpoint, command_with_checkpoint
from tests.registry.test_crash import big_file

# The kills, cancels and stops land at checkpoints the tests control (tests/registry/checkpoints.py), not at a
# moment hoped for: so the file need only be large enough to report progress midway (every 5,000 rows).
ROWS = 12_000

pytestmark = pytest.mark.slow


class Site:
    """One database and data folder shared by the processes a test starts."""

    def __init__(self, tmp_path: Path, url: str):
        self.tmp_path, self.url = tmp_path, url
        self.env = {**os.environ, "DATABASE_URL": url, "KHOOSHEH_DATA_DIR": str(tmp_path),
                    "KHOOSHEH_JOB_HEARTBEAT_SECONDS": "0.1", "KHOOSHEH_JOB_LEASE_SECONDS": "60"}
        self.env.pop("KHOOSHEH_JOBS_DIR", None)
        self.workers: list[subprocess.Popen] = []

    def stop_workers(self) -> None:
        """After the test, pass or fail: a worker left held at a checkpoint would hold its database for ever."""
        for worker in self.workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()

    def run(self, *args) -> str:
        done = subprocess.run([sys.executable, "-m", "khoosheh", *args], env=self.env, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def worker(self, checkpoint: str, *args) -> subprocess.Popen:
        """A worker process whose imports hold at ``checkpoint`` (a function of tests/registry/checkpoints.py)."""
        argv, env = command_with_checkpoint(self.env, checkpoint, self.tmp_path, "worker", "--no-startup-delay",
                                            "--interval", "0.2", "-v0", *args)
        self.workers.append(subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                             text=True))
        return self.workers[-1]

    def checkpoint(self, name: str) -> Checkpoint:
        return Checkpoint(self.tmp_path, name)

    def scalar(self, sql: str):
        if self.url.startswith("sqlite"):
            with sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=30) as db:
                return db.execute(sql).fetchone()[0]
        import psycopg

        with psycopg.connect(self.url) as db:
            return db.execute(sql).fetchone()[0]

    def cancel(self, job_id: int) -> None:
        """What `khoosheh jobs --cancel` does (jobs.runner.cancel), without its seconds of start-up under
        load, in which a 30,000-row import may finish: the flag file, then the row."""
        (self.tmp_path / "jobs" / "progress" / f"{job_id}.cancel").touch()
        self.execute(f"UPDATE jobs_job SET cancel_requested = TRUE WHERE id = {job_id}")

    def execute(self, sql: str) -> None:
        if self.url.startswith("sqlite"):
            with sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=30) as db:
                db.execute(sql)
            return
        import psycopg

        with psycopg.connect(self.url) as db:
            db.execute(sql)

    def units(self) -> int:
        return self.scalar("SELECT COUNT(*) FROM registry_productionunit")

    def job(self, job_id: int) -> dict:
        row = {}
        for column in ("status", "attempts", "error", "total", "done", "cancel_requested"):
            row[column] = self.scalar(f"SELECT {column} FROM jobs_job WHERE id = {job_id}")
        return row

    def wait_until_finished(self, job_id: int, timeout=120) -> dict:
        deadline = time.monotonic() + timeout
        while (job := self.job(job_id))["status"] in ("queued", "running"):
            assert time.monotonic() < deadline, job
            time.sleep(0.2)
        return job


@pytest.fixture(scope="module")
def big_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("files")
    return {"first": big_file(folder / "first.csv", 500, 1), "big": big_file(folder / "big.csv", ROWS, 2)}


def _admin_url() -> str:
    return os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"


def _postgres(sql: str) -> None:
    import psycopg

    with psycopg.connect(_admin_url(), autocommit=True) as db:
        db.execute(sql)


@pytest.fixture(scope="module")
def template(tmp_path_factory, big_files):
    """Migrated once per module, with 500 units in the registry; each test gets a copy."""
    configured = dj_database_url.parse(os.environ.get("DATABASE_URL", "sqlite://"))
    folder = tmp_path_factory.mktemp("template")
    if "sqlite" in configured["ENGINE"]:
        site = Site(folder, f"sqlite:///{folder / 'template.sqlite3'}")
    else:
        name = f"{configured['NAME']}_worker_template"
        _postgres(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _postgres(f'CREATE DATABASE "{name}"')
        site = Site(folder, os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{name}")
    site.run("migrate", "-v0")
    site.run("import-units", str(big_files["first"]))
    yield configured, site
    if "sqlite" not in configured["ENGINE"]:
        _postgres(f'DROP DATABASE IF EXISTS "{configured["NAME"]}_worker_template" WITH (FORCE)')


@pytest.fixture
def site(tmp_path, template):
    configured, original = template
    if "sqlite" in configured["ENGINE"]:
        copy = tmp_path / "site.sqlite3"
        with sqlite3.connect(original.url.removeprefix("sqlite:///")) as source, sqlite3.connect(copy) as target:
            source.backup(target)
        site = Site(tmp_path, f"sqlite:///{copy}")
        yield site
        site.stop_workers()
        return
    name = f"{configured['NAME']}_worker"
    _postgres(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _postgres(f'CREATE DATABASE "{name}" TEMPLATE "{configured["NAME"]}_worker_template"')
    site = Site(tmp_path, os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{name}")
    try:
        yield site
    finally:
        site.stop_workers()
        _postgres(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def queue_import(site: Site, path: Path) -> int:
    return int(site.run("import-units", str(path), "--background").strip())


def test_a_worker_killed_midway_through_an_import_leaves_the_registry_as_it_was_and_the_next_worker_imports_it_once(
        site, big_files):
    assert site.units() == 500
    job_id = queue_import(site, big_files["big"])
    # Another process (a web process, say) sees the job the command queued.
    assert f"{job_id:>6}  import" in site.run("jobs") and site.job(job_id)["status"] == "queued"

    worker = site.worker("hold_inside_the_write_transaction")
    site.checkpoint("inside-write").wait(worker)
    worker.send_signal(signal.SIGKILL)  # inside the import's transaction: its units written, not committed
    worker.wait()
    assert worker.returncode == -signal.SIGKILL

    # Nothing of the killed import is there; the job is not shown as running for ever.
    assert site.units() == 500
    assert site.job(job_id)["status"] == "running"  # until a worker (or a page) notices the dead one

    # The next worker notices at once (the process is gone), queues the job again and imports it, once.
    site.run("worker", "--batch", "--no-startup-delay", "-v0")
    job = site.job(job_id)
    assert (job["status"], job["attempts"]) == ("done", 2)
    assert site.units() == 500 + ROWS
    assert site.scalar("SELECT COUNT(*) FROM registry_importbatch") == 2
    assert site.scalar("SELECT COUNT(DISTINCT name) FROM registry_productionunit") == 500 + ROWS
    # Progress was reported to the end.
    assert (job["done"], job["total"]) == (ROWS, ROWS)

    # Importing the same file again changes nothing.
    again = queue_import(site, big_files["big"])
    site.run("worker", "--batch", "--no-startup-delay", "-v0")
    assert site.job(again)["status"] == "done" and site.units() == 500 + ROWS
    assert site.scalar("SELECT COUNT(*) FROM registry_importbatch") == 2


def test_a_job_killed_on_its_last_attempt_is_failed_with_a_message_and_can_be_run_again(site, big_files):
    site.env["KHOOSHEH_JOB_ATTEMPTS"] = "1"
    job_id = queue_import(site, big_files["big"])
    worker = site.worker("hold_inside_the_write_transaction")
    site.checkpoint("inside-write").wait(worker)
    worker.send_signal(signal.SIGKILL)
    worker.wait()

    # Any process that looks (here `khoosheh jobs`) fails it: its worker is gone and no attempt is left.
    site.run("jobs")
    job = site.job(job_id)
    assert job["status"] == "failed" and "از کار افتاد" in job["error"] and site.units() == 500

    site.run("jobs", "--retry", str(job_id))
    site.run("worker", "--batch", "--no-startup-delay", "-v0")
    assert site.job(job_id)["status"] == "done" and site.units() == 500 + ROWS


def test_cancelling_a_running_import_rolls_it_back_and_sigterm_gives_the_running_job_back_to_the_queue(
        site, big_files):
    job_id = queue_import(site, big_files["big"])
    worker = site.worker("hold_each_import_midway_through_writing")
    site.checkpoint("midway-writing-1").wait(worker)
    site.cancel(job_id)
    site.checkpoint("midway-writing-1").release()  # the import's next progress step sees the cancel
    job = site.wait_until_finished(job_id)
    assert job["status"] == "cancelled" and site.units() == 500

    # The worker goes on to the next job; stopped with SIGTERM in its midst, it hands the job back.
    second = queue_import(site, big_files["big"])
    site.checkpoint("midway-writing-2").wait(worker)
    worker.send_signal(signal.SIGTERM)
    site.checkpoint("midway-writing-2").release()
    assert worker.wait(timeout=60) == 0
    job = site.job(second)
    assert (job["status"], job["attempts"]) == ("queued", 0) and site.units() == 500
    site.run("worker", "--batch", "--no-startup-delay", "-v0")
    assert site.job(second)["status"] == "done" and site.units() == 500 + ROWS
