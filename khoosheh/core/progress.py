"""The one progress protocol of every long job: ``progress(stage, done, total)``.

An import, an identification run, a report or a backup calls it as it goes; the caller decides where it
shows — the terminal bar below for commands, the job record (`jobs.runner.JobProgress`) for the task queue,
``no_progress`` when nobody watches.  ``total`` is None while unknown (rows still being read)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

ProgressCallback = Callable[[str, int, "int | None"], None]


def no_progress(stage: str, done: int, total: int | None = None) -> None:
    """For callers that do not watch."""


class Progress:
    """Progress on the terminal: a bar when the total is known, a running count when it is not; silent when
    the output is not a terminal unless asked (so logs stay readable)."""

    def __init__(self, stream=None, *, force: bool = False):
        self.stream = stream or sys.stderr
        self.enabled = force or self.stream.isatty()
        self.started = time.monotonic()
        self.last_stage = None
        self.last_draw = 0.0

    def __call__(self, stage: str, done: int, total: int | None = None) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        final = total is not None and done >= total
        if stage == self.last_stage and now - self.last_draw < 0.2 and not final:
            return
        if self.last_stage and stage != self.last_stage:
            self.stream.write("\n")
        self.last_stage, self.last_draw = stage, now
        elapsed = now - self.started
        if total:
            width = 30
            filled = int(width * done / total)
            line = f"{stage:>9} [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}  {elapsed:5.1f}s"
        else:
            line = f"{stage:>9} {done:,} rows  {elapsed:5.1f}s"
        self.stream.write("\r" + line)
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.last_stage:
            self.stream.write("\n")
