"""Submitting, running, cancelling and recovering jobs.

A job is a `Job` row plus one task on the queue (django-tasks' database backend) that carries only
the job's id.  Both are written in one transaction, so a job is never queued without its task or the
other way round.  The worker claims the job with a conditional update (queued -> running), so two
tasks for one job, or two workers, never run it twice.

While a job runs, a heartbeat thread of the worker writes its progress and the lease
(`updated_at`) about once a second through its own connection, and reads the cancel flag.  On
SQLite an import holds the only write lock for its whole transaction, so the heartbeat also writes
the progress to a small file in the data folder (`progress_of` reads whichever is newer) and a
cancel request also leaves a file there; on PostgreSQL the rows do.  A worker that dies (SIGKILL,
power) stops the heartbeat; `recover_stale` — run by every worker — puts its job back in the queue
(its transaction was rolled back by the database) or, after KHOOSHEH_JOB_ATTEMPTS, marks it failed
with a Persian message and offers a retry."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import OperationalError, connection, connections, transaction
from django.utils import timezone

from . import kinds
from .models import Job
from .tasks import run_job

log = logging.getLogger(__name__)
HOST = socket.gethostname()

CRASHED = ("کار نیمه‌تمام ماند: پردازشگر پس‌زمینه در میانه کار از کار افتاد. چیزی از این کار ثبت نشده است؛ "
           "می‌توانید دوباره اجرا کنید.")
FAILED = "کار با خطا پایان یافت ({reason}). چیزی از این کار ثبت نشده است؛ می‌توانید دوباره اجرا کنید."
CANCELLED = "لغو شد؛ چیزی از این کار ثبت نشده است."

# Set by the worker's SIGTERM/SIGINT handler: the running job stops at its next progress step,
# is rolled back, and goes back to the queue for the next worker.
interrupt = threading.Event()


class JobCancelled(Exception):
    """Raised by the progress callback when someone cancelled the job: rolls its transaction back."""


class JobInterrupted(BaseException):
    """Raised by the progress callback when the worker is shutting down; the job is queued again."""


class JobError(Exception):
    """A handler's refusal with a Persian message for the job page (the work is not retried by itself)."""


@dataclass
class Finished:
    result: dict = field(default_factory=dict)
    file_name: str = ""
    size: int = 0


# --- folders ---------------------------------------------------------------------------------

def jobs_dir(*parts: str) -> Path:
    path = Path(settings.KHOOSHEH_JOBS_DIR).joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _progress_file(job_id: int) -> Path:
    return jobs_dir("progress") / f"{job_id}.json"


def _cancel_file(job_id: int) -> Path:
    return jobs_dir("progress") / f"{job_id}.cancel"


# --- submitting ------------------------------------------------------------------------------

def submit(kind: str, *, user, title: str, params: dict | None = None, input_file: str = "") -> Job:
    """Record the job and queue it, together; without KHOOSHEH_JOBS_IN_BACKGROUND run it now."""
    kinds.get(kind)  # an unknown kind fails here, not in the worker
    remove_expired()
    with transaction.atomic():
        job = Job.objects.create(kind=kind, user=user, title=title[:300], params=params or {},
                                 input_file=input_file)
        if settings.KHOOSHEH_JOBS_IN_BACKGROUND:
            _enqueue(job)
    if not settings.KHOOSHEH_JOBS_IN_BACKGROUND:
        execute(job.pk)  # tests and one-off scripts
        job.refresh_from_db()
    return job


def _enqueue(job: Job) -> None:
    result = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.task_id = str(result.id)


# --- running ---------------------------------------------------------------------------------

class JobProgress:
    """The one progress callback, ``progress(stage, done, total)``, for a running job.

    It only remembers the latest values and raises when the job is cancelled or the worker stops;
    `beat` (the heartbeat thread's, or, when run in-process, throttled from the call) writes them."""

    def __init__(self, job_id: int, *, inline: bool):
        self.job_id, self.inline = job_id, inline
        self.latest: tuple[str, int, int] = ("", 0, 0)
        self.cancelled = threading.Event()
        self._last_beat = 0.0

    def __call__(self, stage: str, done: int, total: int | None = None) -> None:
        self.latest = (stage, int(done), int(total or 0))
        if self.inline and time.monotonic() - self._last_beat >= 0.5:
            self.beat()
        if self.cancelled.is_set():
            raise JobCancelled
        if interrupt.is_set():
            raise JobInterrupted

    def beat(self) -> None:
        self._last_beat = time.monotonic()
        stage, done, total = self.latest
        _write_progress_file(self.job_id, stage, done, total)
        # On SQLite the job's own transaction may hold the write lock: the file has the progress then.
        with contextlib.suppress(OperationalError):
            Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING).update(
                stage=stage, done=done, total=total, updated_at=timezone.now())
        if _cancel_file(self.job_id).exists() or Job.objects.filter(pk=self.job_id, cancel_requested=True).exists():
            self.cancelled.set()


def _write_progress_file(job_id: int, stage: str, done: int, total: int) -> None:
    path = _progress_file(job_id)
    partial = path.with_suffix(".part")
    partial.write_text(json.dumps({"stage": stage, "done": done, "total": total, "at": time.time()}))
    partial.replace(path)  # readers never see half a file


class _Heartbeat(threading.Thread):
    def __init__(self, progress: JobProgress):
        super().__init__(name=f"khoosheh-job-{progress.job_id}-heartbeat", daemon=True)
        self.progress, self.stopped = progress, threading.Event()

    def run(self) -> None:
        try:
            if connection.vendor == "sqlite":
                # Wait briefly for the write lock: the job's own transaction may hold it for seconds.
                with connection.cursor() as cursor:
                    cursor.execute("PRAGMA busy_timeout=200")
            while not self.stopped.wait(settings.KHOOSHEH_JOB_HEARTBEAT_SECONDS):
                try:
                    self.progress.beat()
                except Exception:  # noqa: BLE001 - a missed beat is no reason to stop beating
                    log.exception("heartbeat of job %s", self.progress.job_id)
        finally:
            connections.close_all()  # this thread's own connections

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=15)


def execute(job_id: int, *, in_worker: bool = False) -> None:
    """Run one job, if it is still queued: claim it, run its kind's handler, record how it ended."""
    if not _claim(job_id):
        return  # cancelled, done, or being run by another worker
    job = Job.objects.select_related("user").get(pk=job_id)
    kind = kinds.get(job.kind)
    progress = JobProgress(job_id, inline=not in_worker)
    heartbeat = _Heartbeat(progress) if in_worker else None
    if heartbeat:
        heartbeat.start()
    try:
        finished = kind.run(job, progress)
    except JobCancelled:
        _end(job_id, Job.Status.CANCELLED, error=CANCELLED)
    except JobInterrupted:
        _requeue(job_id, counted=False)
        raise
    except JobError as exc:
        _end(job_id, Job.Status.FAILED, error=str(exc))
    except Exception as exc:  # noqa: BLE001 - any failure is told on the job's page, the details in the log
        log.exception("job %s (%s) failed", job_id, job.kind)
        _end(job_id, Job.Status.FAILED, error=FAILED.format(reason=type(exc).__name__))
    else:
        mark_done(job_id, finished or Finished())
    finally:
        if heartbeat:
            heartbeat.stop()
        stage, done, total = progress.latest  # the last step, which the throttled beats may have skipped
        Job.objects.filter(pk=job_id).exclude(status=Job.Status.QUEUED).update(stage=stage, done=done, total=total)
        _progress_file(job_id).unlink(missing_ok=True)
        _cancel_file(job_id).unlink(missing_ok=True)


def _claim(job_id: int) -> bool:
    from django.db.models import F

    return bool(Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, attempts=F("attempts") + 1, started_at=timezone.now(),
        worker=f"{HOST}:{os.getpid()}", stage="", done=0, total=0, error=""))


def mark_done(job_id: int, finished: Finished) -> bool:
    """The job is done; a handler may call this inside its own transaction so both commit together."""
    return bool(Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(
        status=Job.Status.DONE, result=finished.result, file_name=finished.file_name, size=finished.size,
        finished_at=timezone.now()))


def _end(job_id: int, status: str, *, error: str) -> None:
    Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(status=status, error=error,
                                                                    finished_at=timezone.now())


def _requeue(job_id: int, *, counted: bool) -> None:
    """Back in the queue, with a new task (the old one is finished or lost with its worker)."""
    from django.db.models import F

    with transaction.atomic():
        changes = {"status": Job.Status.QUEUED, "worker": "", "stage": "", "done": 0, "total": 0}
        if not counted:
            changes["attempts"] = F("attempts") - 1
        if Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(**changes):
            _enqueue(Job.objects.get(pk=job_id))


# --- cancelling and retrying ------------------------------------------------------------------

def cancel(job: Job) -> bool:
    """Stop a queued or running job; a running one stops at its next progress step and is rolled back."""
    if Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
            status=Job.Status.CANCELLED, error=CANCELLED, cancel_requested=True, finished_at=timezone.now()):
        return True
    if job.status != Job.Status.RUNNING:
        return False
    _cancel_file(job.pk).touch()  # seen at once, even while an SQLite import holds the write lock
    Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(cancel_requested=True)
    return True


def retry(job: Job) -> bool:
    """Queue a failed or cancelled job again, from the start."""
    with transaction.atomic():
        again = Job.objects.filter(pk=job.pk, status__in=[Job.Status.FAILED, Job.Status.CANCELLED]).update(
            status=Job.Status.QUEUED, attempts=0, error="", cancel_requested=False, stage="", done=0, total=0,
            started_at=None, finished_at=None, worker="")
        if again and settings.KHOOSHEH_JOBS_IN_BACKGROUND:
            _enqueue(job)
    if again and not settings.KHOOSHEH_JOBS_IN_BACKGROUND:
        execute(job.pk)
    return bool(again)


def progress_of(job: Job) -> tuple[str, int, int]:
    """The latest (stage, done, total): the row's, or the worker's file when that is newer (SQLite)."""
    stage, done, total = job.stage, job.done, job.total
    if job.status == Job.Status.RUNNING:
        side = _read_progress_file(job.pk)
        if side and side["at"] > job.updated_at.timestamp():
            stage, done, total = side["stage"], side["done"], side["total"]
    return stage, done, total


def _read_progress_file(job_id: int) -> dict | None:
    try:
        return json.loads(_progress_file(job_id).read_text())
    except (OSError, ValueError):
        return None


def percent(job: Job) -> int:
    if job.status == Job.Status.DONE:
        return 100
    _, done, total = progress_of(job)
    return min(100, int(100 * done / total)) if total else 0


# --- recovering from dead workers ------------------------------------------------------------

def lease_expired(job: Job, now=None) -> bool:
    """Has the worker running this job stopped?  Its heartbeat is older than the lease, or (on this
    machine) its process is gone."""
    now = now or timezone.now()
    side = _read_progress_file(job.pk)
    last = max(job.updated_at.timestamp(), side["at"] if side else 0)
    if now.timestamp() - last > settings.KHOOSHEH_JOB_LEASE_SECONDS:
        return True
    host, _, pid = job.worker.rpartition(":")
    if host == HOST and pid.isdigit():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
    return False


def recover(job: Job) -> Job:
    """A running job whose worker died: queue it again, or (attempts used up) mark it failed."""
    if job.status != Job.Status.RUNNING or not lease_expired(job):
        return job
    try:
        _recover_locked(job)
    except OperationalError:  # SQLite busy with another job's import: a worker's janitor will do it
        log.info("job %s: recovery postponed, the database is busy", job.pk)
        return job
    _progress_file(job.pk).unlink(missing_ok=True)
    return Job.objects.get(pk=job.pk)


def _recover_locked(job: Job) -> None:
    with transaction.atomic():
        locked = Job.objects.select_for_update().filter(pk=job.pk, status=Job.Status.RUNNING).first()
        if locked is None or not lease_expired(locked):
            return  # another process got there first, or the worker beat again
        _forget_task(locked.task_id)
        kind = kinds.all_kinds().get(locked.kind)
        if kind and kind.rerun_after_crash and locked.attempts < settings.KHOOSHEH_JOB_ATTEMPTS:
            log.warning("job %s: its worker %s stopped; queued again", locked.pk, locked.worker)
            _requeue(locked.pk, counted=True)
        else:
            log.warning("job %s: its worker %s stopped; failed after %s attempts", locked.pk, locked.worker,
                        locked.attempts)
            _end(locked.pk, Job.Status.FAILED, error=CRASHED)


def recover_stale() -> int:
    """Every running job whose worker has stopped; run by each worker now and then."""
    recovered = 0
    for job in Job.objects.filter(status=Job.Status.RUNNING):
        if recover(job).status != Job.Status.RUNNING:
            recovered += 1
    return recovered


def _forget_task(task_id: str) -> None:
    """The dead worker's task stays RUNNING in the queue's table for ever; close it."""
    if not task_id:
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(status="FAILED", finished_at=timezone.now())


def remove_expired() -> int:
    """Finished jobs older than KHOOSHEH_JOB_KEEP_DAYS go, with their uploaded and result files."""
    cutoff = timezone.now() - dt.timedelta(days=settings.KHOOSHEH_JOB_KEEP_DAYS)
    old = list(Job.objects.filter(created_at__lt=cutoff).exclude(status__in=Job.UNFINISHED).exclude(kind="report"))
    for job in old:
        if job.input_file:
            (Path(settings.KHOOSHEH_JOBS_DIR) / job.input_file).unlink(missing_ok=True)
        if job.file_name:
            (Path(settings.KHOOSHEH_JOBS_DIR) / "files" / job.file_name).unlink(missing_ok=True)
    Job.objects.filter(pk__in=[j.pk for j in old]).delete()
    return len(old)
