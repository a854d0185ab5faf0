"""`khoosheh jobs`: the queue as a table; cancel or retry a job by its id."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from khoosheh.core.jalali import format_jalali
from khoosheh.core.text import to_persian_digits
from khoosheh.jobs import runner
from khoosheh.jobs.models import Job


def _when(value) -> str:
    """As the portal shows times: the Jalali date and the local time, in Persian digits (``۱۴۰۵/۰۹/۱۰ ۱۷:۲۰:۰۵``)."""
    if not value:
        return "-"
    local = timezone.localtime(value)
    return f"{format_jalali(local.date())} {to_persian_digits(local.strftime('%H:%M:%S'))}"


class Command(BaseCommand):
    help = "List background jobs (newest first): id, kind, who, state, progress, started, finished."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=30)
        parser.add_argument("--state", choices=Job.Status.values)
        parser.add_argument("--cancel", type=int, metavar="ID", help="cancel a queued or running job")
        parser.add_argument("--retry", type=int, metavar="ID", help="queue a failed or cancelled job again")

    def handle(self, *args, limit, state, cancel, retry, **options):
        if cancel or retry:
            job = Job.objects.filter(pk=cancel or retry).first()
            if job is None:
                raise CommandError(f"no job {cancel or retry}")
            if not (runner.cancel(job) if cancel else runner.retry(job)):
                raise CommandError(f"job {job.pk} is {job.status}: nothing to do")
            self.stdout.write(f"job {job.pk}: {'cancel requested' if cancel else 'queued again'}")
            return
        runner.recover_stale()
        jobs = Job.objects.select_related("user")
        if state:
            jobs = jobs.filter(status=state)
        self.stdout.write(f"{'id':>6}  {'kind':<9} {'who':<14} {'state':<10} {'progress':<26} "
                          f"{'started':<19}  {'finished':<19}")
        for job in jobs[:limit]:
            stage, done, total = runner.progress_of(job)
            shown = f"{stage} {done:,}/{total:,}" if total else stage
            if job.status == Job.Status.DONE:
                shown = "100%"
            self.stdout.write(f"{job.pk:>6}  {job.kind:<9} {(job.user.username if job.user else '(command)'):<14} "
                              f"{job.status:<10} {shown[:26]:<26} {_when(job.started_at):<19}  "
                              f"{_when(job.finished_at):<19}")
