"""Checkpoints a test controls, for imports running in another process: the import stops at a named moment and
says so with a file; it goes on when the test leaves a second file — or the test kills it there.  So a test
does something *during* a given moment of an import, whatever the machine's speed, instead of hoping to.

In the other process, before the import starts::

    from tests.registry.checkpoints import hold_inside_the_write_transaction
    hold_inside_the_write_transaction(folder)

and in the test: ``Checkpoint(folder, "inside-write").wait(process)``, then ``.release()`` or kill."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# A script's prologue: run a khoosheh command with a checkpoint set (argv: the command and its arguments).
COMMAND_WITH_CHECKPOINT = """
import os
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khoosheh.settings")
django.setup()
from tests.registry import checkpoints
getattr(checkpoints, os.environ["KHOOSHEH_TEST_CHECKPOINT"])(os.environ["KHOOSHEH_TEST_CHECKPOINT_DIR"])
from khoosheh.cli import main
main()
"""


def command_with_checkpoint(env: dict, checkpoint: str, folder: Path, *args) -> tuple[list[str], dict]:
    """The argv and environment of `khoosheh ARGS` with ``checkpoint`` (a function below) set in the process."""
    env = {**env, "KHOOSHEH_TEST_CHECKPOINT": checkpoint, "KHOOSHEH_TEST_CHECKPOINT_DIR": str(folder),
           "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])}
    return [sys.executable, "-c", COMMAND_WITH_CHECKPOINT, *args], env


class Checkpoint:
    def __init__(self, folder: Path, name: str):
        self.reached, self.go = Path(folder) / f"{name}.reached", Path(folder) / f"{name}.go"

    def wait(self, process=None, timeout: float = 600) -> None:
        deadline = time.monotonic() + timeout
        while not self.reached.exists():
            if process is not None and process.poll() is not None:
                error = process.stderr.read() if process.stderr else ""
                raise AssertionError(f"the process ended (code {process.returncode}) before {self.reached.name}: "
                                     f"{error[-2000:]}")
            assert time.monotonic() < deadline, f"{self.reached.name} never came"
            time.sleep(0.02)

    def release(self) -> None:
        self.go.touch()

    def hold(self, timeout: float = 600) -> None:
        """In the import's process: say the moment has come, and wait for the test."""
        self.reached.touch()
        deadline = time.monotonic() + timeout
        while not self.go.exists() and time.monotonic() < deadline:
            time.sleep(0.01)


def midway_through_writing(folder, name: str = "midway-writing") -> callable:
    """A progress callback that holds the import once, when some of its rows are written and not all."""
    checkpoint = Checkpoint(folder, name)

    def progress(stage: str, done: int, total: int | None) -> bool:
        if stage == "write" and total and 0 < done < total and not checkpoint.reached.exists():
            checkpoint.hold()
            return True
        return False

    return progress


def hold_inside_the_write_transaction(folder) -> None:
    """Hold the import inside its transaction, its new units written and not committed (SQLite: every row
    copied from the staging tables; PostgreSQL: the units COPYed), until released or killed."""
    from khoosheh.registry import importing

    checkpoint = Checkpoint(folder, "inside-write")
    history = importing._start_history_of_created_units

    def then_hold(*args, **kwargs):
        history(*args, **kwargs)
        checkpoint.hold()

    importing._start_history_of_created_units = then_hold


def hold_each_import_midway_through_writing(folder) -> None:
    """Each import the process runs holds at "midway-writing-1", "-2", …, after its own progress step.

    In a worker, a test cancels the job or sends SIGTERM during the hold: once released, the import waits until
    the job has noticed (its heartbeat thread reads the cancel request within its interval; the signal handler
    sets the stop at once) and steps again, so the cancel or stop takes effect right there."""
    from khoosheh.jobs import runner
    from khoosheh.registry import importing

    original, imports = importing.import_table, []

    def noticed(progress) -> None:
        deadline = time.monotonic() + 120
        while not (progress.cancelled.is_set() or runner.interrupt.is_set()) and time.monotonic() < deadline:
            time.sleep(0.01)

    def with_hold(*args, progress=None, **kwargs):
        imports.append(1)
        hold = midway_through_writing(folder, f"midway-writing-{len(imports)}")

        def both(stage, done, total):
            if progress:
                progress(stage, done, total)
            if hold(stage, done, total) and isinstance(progress, runner.JobProgress):
                noticed(progress)
                progress(stage, done, total)
        return original(*args, progress=both, **kwargs)

    importing.import_table = with_hold
