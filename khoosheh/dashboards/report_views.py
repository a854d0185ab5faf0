"""Report pages: small reports are answered at once; large ones are built in the background
(dashboards.jobs) and followed on a page with their progress."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from khoosheh.accounts.scoping import UnknownProvince
from khoosheh.jobs import runner
from khoosheh.web.params import year_param

from . import jobs, reports
from .models import ReportJob

CONTENT_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "pdf": "application/pdf"}


def _scoped(request, spec: jobs.ReportSpec) -> jobs.ReportSpec:
    """The spec as the user may have it: another province than a provincial user's own is 403 (OtherProvince),
    a province code naming none 400 with the reason, a cluster not theirs 404."""
    try:
        return spec.scoped_for(request.user)
    except jobs.BadSpec:
        raise Http404 from None
    except UnknownProvince as exc:
        raise BadRequest(exc.messages[0]) from None


def _answer(request, spec: jobs.ReportSpec):
    """The file now, or — when it lists many rows — a page offering to build it in the background."""
    spec = _scoped(request, spec)
    rows = jobs.rows_listed(spec, request.user)
    if rows > settings.KHOOSHEH_REPORT_INLINE_ROWS:
        return render(request, "dashboards/report_large.html", {"spec": spec, "rows": rows, "title": spec.title()})
    try:
        data = jobs.build(spec, request.user)
    except reports.PdfUnavailable as exc:
        messages.error(request, str(exc))
        return redirect("home")
    response = HttpResponse(data, content_type=CONTENT_TYPES[spec.fmt])
    response["Content-Disposition"] = f'attachment; filename="{spec.file_name}"'
    return response


@login_required
def report(request, fmt: str):
    """The national report, or a province's (provincial staff: their own, another province is 403);
    `units=1` lists every unit."""
    return _answer(request, jobs.ReportSpec(kind="area", fmt=fmt, year=year_param(request),
                                            province=request.GET.get("province") or None,
                                            units=request.GET.get("units") == "1"))


@login_required
def cluster_report(request, pk: int, fmt: str):
    return _answer(request, jobs.ReportSpec(kind="cluster", fmt=fmt, cluster=pk))


@login_required
@require_POST
def start_job(request):
    """Build the report described by the form in the background, then follow it."""
    post = request.POST
    try:
        spec = jobs.ReportSpec(kind=post.get("kind", ""), fmt=post.get("fmt", ""),
                               year=int(post["year"]) if post.get("year", "").isdigit() else None,
                               province=post.get("province") or None,
                               cluster=int(post["cluster"]) if post.get("cluster", "").isdigit() else None,
                               units=post.get("units") == "1")
    except ValueError:
        raise Http404 from None
    if spec.kind == "area" and spec.year is None:
        raise Http404
    job = jobs.submit(_scoped(request, spec), request.user)
    return redirect("dashboards:report_job", pk=job.pk)


def _own_job(request, pk: int) -> ReportJob:
    return jobs.refresh(get_object_or_404(ReportJob, pk=pk, user=request.user))


@login_required
def job_list(request):
    own = [jobs.refresh(j) for j in ReportJob.objects.filter(user=request.user)[:50]]
    return render(request, "dashboards/report_jobs.html", {"jobs": own,
                                                           "keep_days": settings.KHOOSHEH_REPORT_KEEP_DAYS})


@login_required
def job_detail(request, pk: int):
    job = _own_job(request, pk)
    return render(request, "dashboards/report_job.html", {"job": job, "stage": jobs.stage_label(job)})


@login_required
def job_status(request, pk: int):
    job = _own_job(request, pk)
    ready = jobs.file_of(job) is not None
    stage, done, total = runner.progress_of(job)
    return JsonResponse({"status": job.status, "status_label": job.get_status_display(),
                         "percent": runner.percent(job), "stage": str(jobs.STAGES.get(stage, stage)), "done": done,
                         "total": total, "error": job.error,
                         "download": reverse("dashboards:report_download", args=[job.pk]) if ready else None})


@login_required
def job_download(request, pk: int):
    job = _own_job(request, pk)
    path = jobs.file_of(job)
    if path is None:
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True,
                        filename=jobs.ReportSpec.from_dict(job.spec).file_name,
                        content_type=CONTENT_TYPES[path.suffix.lstrip(".")])
