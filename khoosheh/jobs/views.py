"""The job pages: a list (one's own jobs; national staff see everyone's), one job's progress and
result, its status as JSON for the page's polling, cancel, retry and the result file."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khoosheh.web.formatting import jdatetime

from . import kinds, runner
from .models import Job
from .selectors import visible_jobs


def _job(request, pk: int) -> Job:
    return runner.recover(get_object_or_404(visible_jobs(request.user), pk=pk))


def _stage(job: Job) -> tuple[str, int, int]:
    stage, done, total = runner.progress_of(job)
    kind = kinds.all_kinds().get(job.kind)
    return (kind.stage_label(stage) if kind else stage), done, total


@login_required
def job_list(request):
    shown = [runner.recover(job) for job in visible_jobs(request.user)[:100]]
    rows = [(job, kinds.all_kinds().get(job.kind), runner.percent(job)) for job in shown]
    return render(request, "jobs/job_list.html", {"rows": rows, "everyone": request.user.is_national})


@login_required
def job_detail(request, pk: int):
    job = _job(request, pk)
    stage, done, total = _stage(job)
    kind = kinds.all_kinds().get(job.kind)
    return render(request, "jobs/job_detail.html", {
        "job": job, "kind": kind, "stage": stage, "done": done, "total": total, "percent": runner.percent(job),
        "result_template": kind.result_template if kind and job.status == Job.Status.DONE else "",
        "r": job.result,
    })


@login_required
def job_status(request, pk: int):
    job = _job(request, pk)
    stage, done, total = _stage(job)
    return JsonResponse({"status": job.status, "status_label": job.state_label, "stage": stage,
                         "done": done, "total": total, "percent": runner.percent(job), "error": job.error,
                         "attempts": job.attempts, "finished": job.finished,
                         # drawn as the page draws it: a queued job gets its start time once a worker takes it
                         "started": jdatetime(job.started_at)})


@login_required
@require_POST
def job_cancel(request, pk: int):
    job = _job(request, pk)
    if runner.cancel(job):
        messages.success(request, _("Cancelling: nothing of this job will be written."))
    else:
        messages.error(request, _("This job has already finished."))
    return redirect("jobs:detail", pk=job.pk)


@login_required
@require_POST
def job_retry(request, pk: int):
    job = _job(request, pk)
    if not runner.retry(job):
        messages.error(request, _("Only a failed or cancelled job can be run again."))
    return redirect("jobs:detail", pk=job.pk)


@login_required
def job_file(request, pk: int):
    job = _job(request, pk)
    path = Path(runner.jobs_dir("files")) / job.file_name if job.file_name else None
    if job.status != Job.Status.DONE or path is None or not path.exists():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"khoosheh-{path.name}",
                        content_type="text/csv; charset=utf-8" if path.suffix == ".csv" else None)
