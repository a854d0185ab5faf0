"""`khoosheh worker`: run queued jobs (imports, identification runs, large reports).

It is django-tasks-db's worker with two additions: a janitor thread that finds jobs whose worker died
(`jobs.runner.recover_stale`) and queues them again, and a clean stop — on SIGTERM or Ctrl+C the
running job stops at its next progress step, is rolled back and goes back to the queue for the next
worker; a second signal stops at once.  Run as many as the machine allows (docs/operations.md)."""

import logging
import threading

from django.conf import settings
from django.db import connections
from django_tasks_db.management.commands import db_worker

from khoosheh.jobs import runner

log = logging.getLogger(__name__)


class Worker(db_worker.Worker):
    def shutdown(self, signum, frame) -> None:
        runner.interrupt.set()
        super().shutdown(signum, frame)


class Janitor(threading.Thread):
    """Every half lease, give the jobs of dead workers back to the queue (or fail them)."""

    def __init__(self):
        super().__init__(name="khoosheh-worker-janitor", daemon=True)
        self.stopped = threading.Event()

    def run(self) -> None:
        interval = max(1.0, settings.KHOOSHEH_JOB_LEASE_SECONDS / 2)
        try:
            while not self.stopped.wait(interval):
                try:
                    runner.recover_stale()
                except Exception:  # noqa: BLE001 - try again next time (SQLite may be busy)
                    log.exception("recovering stale jobs")
        finally:
            connections.close_all()


class Command(db_worker.Command):
    help = ("Run queued jobs: imports, identification runs, large reports. Stops cleanly on SIGTERM or Ctrl+C "
            "(the running job goes back to the queue).")

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(reload=False)

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay, reload, max_tasks,
               worker_id, exclude_queues, **options) -> None:
        self.configure_logging(verbosity)
        runner.interrupt.clear()
        recovered = runner.recover_stale()  # whatever a worker killed before us left running
        if recovered:
            self.stdout.write(f"{recovered} job(s) of a stopped worker queued again or marked failed")
        janitor = Janitor()
        janitor.start()
        worker = Worker(queue_names=queue_name.split(","), interval=interval, batch=batch,
                        backend_name=backend_name, startup_delay=startup_delay, max_tasks=max_tasks,
                        worker_id=worker_id,
                        excluded_queue_names=exclude_queues.split(",") if exclude_queues else [])
        worker.configure_signals()
        try:
            worker.run()
        finally:
            janitor.stopped.set()
            worker.reset_signals()
