"""Reports too large to build while the browser waits: built in the background, with progress.

A report is described by a `ReportSpec` (what, for whom to scope it, which format).  Small ones
are built in the request (views call `build` with a BytesIO); large ones — listing more rows than
KHOOSHEH_REPORT_INLINE_ROWS — become a `ReportJob` that a worker thread of the web process builds
while the page shows its progress.  No broker is needed, so `make demo` needs nothing installed;
the job's state lives in the database, so any worker process can answer the progress page.

A job interrupted by a restart stops sending heartbeats (its `updated_at`) and is shown as failed
after STALE_AFTER; the file is written beside its final name and renamed only when complete, so
a half-written report is never offered."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from khoosheh.accounts.scoping import province_scope, require_overview, scope_units
from khoosheh.core.text import to_persian_digits
from khoosheh.registry.models import ProductionUnit, Province

from . import reports
from .models import ReportJob

log = logging.getLogger(__name__)
STALE_AFTER = dt.timedelta(minutes=15)
FORMATS = ("xlsx", "pdf")
STAGES = {"figures": _("collecting the figures"), "units": _("listing the units"),
          "members": _("listing the members"), "layout": _("laying out the pages"), "pdf": _("writing the PDF")}


class BadSpec(ValueError):
    """The report asked for does not exist or is not the user's to see (the view answers 404)."""


@dataclasses.dataclass(frozen=True)
class ReportSpec:
    kind: str                    # "area" (nation or a province) or "cluster"
    fmt: str                     # "xlsx" or "pdf"
    year: int | None = None      # Jalali, for area reports
    province: str | None = None  # area reports: None for the nation
    cluster: int | None = None   # cluster reports
    units: bool = False          # area reports: list every unit in scope

    @classmethod
    def from_dict(cls, values: dict) -> ReportSpec:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in names})

    def scoped_for(self, user) -> ReportSpec:
        """Check the spec against what the user may see; a provincial user's area report is always theirs."""
        if self.fmt not in FORMATS or self.kind not in ("area", "cluster"):
            raise BadSpec(self)
        if self.kind == "cluster":
            from khoosheh.clusters.views import visible_clusters

            if self.cluster is None or not visible_clusters(user).filter(pk=self.cluster).exists():
                raise BadSpec(self)
            return self
        require_overview(user)  # an area report is an overview: national or provincial figures
        province = province_scope(user) or self.province or None
        if province and not Province.objects.filter(code=province).exists():
            raise BadSpec(self)
        return dataclasses.replace(self, province=province)

    @property
    def file_name(self) -> str:
        if self.kind == "cluster":
            return f"khoosheh-cluster-{self.cluster}.{self.fmt}"
        return f"khoosheh-{self.province or 'iran'}-{self.year}{'-units' if self.units else ''}.{self.fmt}"

    def title(self) -> str:
        if self.kind == "cluster":
            from khoosheh.clusters.models import Cluster

            name = Cluster.objects.filter(pk=self.cluster).values_list("name", flat=True).first() or ""
            return f"شناسنامه {name} ({self.fmt.upper()})"
        province = Province.objects.filter(code=self.province).first()
        place = f"استان {province.name_fa}" if province else "ملی"
        listing = " با فهرست واحدها" if self.units else ""
        return f"گزارش {place} سال {to_persian_digits(self.year)}{listing} ({self.fmt.upper()})"


# --- what a report holds, and building it -------------------------------------------------

def _units(spec: ReportSpec, user):
    units = scope_units(user, ProductionUnit.objects.all())
    return units.filter(province_id=spec.province) if spec.province else units


def _cluster_and_members(spec: ReportSpec, user):
    from khoosheh.clusters.views import visible_clusters

    cluster = visible_clusters(user).select_related("activity", "county", "province").get(pk=spec.cluster)
    return cluster, scope_units(user, cluster.members.select_related("county").order_by("name_key"))


def rows_listed(spec: ReportSpec, user) -> int:
    """How many rows the report lists: what makes it large."""
    if spec.kind == "cluster":
        return _cluster_and_members(spec, user)[1].count()
    return _units(spec, user).count() if spec.units else 0


def build(spec: ReportSpec, user, target=None, *, progress=reports._no_progress) -> bytes | None:
    """The report as bytes (target None) or written to `target` (a path)."""
    progress("figures", 0, 1)
    if spec.kind == "cluster":
        cluster, members = _cluster_and_members(spec, user)
        data = reports.cluster_report(cluster, members)
        if spec.fmt == "xlsx":
            return reports.cluster_workbook(data, target, progress=progress)
        return reports.pdf("dashboards/report_cluster_pdf.html", data, target, progress=progress)
    data = reports.area_report(user, spec.year, spec.province)
    units = _units(spec, user) if spec.units else None
    if spec.fmt == "xlsx":
        total = units.count() if units is not None else 0
        return reports.area_workbook(data, target, units=units, total=total, progress=progress)
    if units is not None:
        data["unit_list"] = reports.unit_listing(units)
    return reports.pdf("dashboards/report_area_pdf.html", data, target, progress=progress)


# --- jobs ------------------------------------------------------------------------------------

_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="khoosheh-report")


def submit(spec: ReportSpec, user) -> ReportJob:
    """Queue the report; it starts when the request's transaction commits."""
    spec = spec.scoped_for(user)
    remove_expired()
    job = ReportJob.objects.create(user=user, spec=dataclasses.asdict(spec), title=spec.title())
    if settings.KHOOSHEH_REPORTS_IN_BACKGROUND:
        transaction.on_commit(lambda: _executor.submit(_run_in_worker, job.pk))
    else:
        run(job.pk)  # tests and one-off scripts: build it now
    return job


def _run_in_worker(job_id: int) -> None:
    connections.close_all()  # start from fresh connections of this thread, whatever the last job left
    try:
        run(job_id)
    except Exception:  # noqa: BLE001 - a job must never stay "queued" because its worker failed early
        log.exception("report job %s could not run", job_id)
        ReportJob.objects.filter(pk=job_id).exclude(status=ReportJob.Status.DONE).update(
            status=ReportJob.Status.FAILED, error="ساخت گزارش آغاز نشد؛ دوباره درخواست کنید",
            finished_at=timezone.now())
    finally:
        connections.close_all()  # the worker thread's own connections


class _Heartbeat:
    """Progress callback that writes to the job at most twice a second."""

    def __init__(self, job_id: int):
        self.job_id, self.last = job_id, 0.0
        self.lock = threading.Lock()

    def __call__(self, stage: str, done: int, total: int | None = None) -> None:
        now = time.monotonic()
        final = total is not None and done >= total
        if now - self.last < 0.5 and not final:
            return
        self.last = now
        with self.lock:
            ReportJob.objects.filter(pk=self.job_id).update(stage=stage, done=done, total=total or 0,
                                                            updated_at=timezone.now())


def run(job_id: int) -> None:
    job = ReportJob.objects.select_related("user").get(pk=job_id)
    spec = ReportSpec.from_dict(job.spec)
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.RUNNING, updated_at=timezone.now())
    final = reports_dir() / f"{job.pk}-{uuid.uuid4().hex}.{spec.fmt}"
    partial = final.with_suffix(final.suffix + ".part")
    try:
        with translation.override("fa"):
            build(spec, job.user, str(partial), progress=_Heartbeat(job.pk))
        partial.rename(final)
    except Exception as exc:  # noqa: BLE001 - any failure is reported on the job's page, not lost
        log.exception("report job %s failed", job.pk)
        partial.unlink(missing_ok=True)
        reason = str(exc) if isinstance(exc, reports.PdfUnavailable) else f"{type(exc).__name__}: {exc}"
        ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.FAILED, error=reason,
                                                   finished_at=timezone.now())
        return
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.DONE, file_name=final.name,
                                               size=final.stat().st_size, finished_at=timezone.now())


def reports_dir() -> Path:
    path = Path(settings.REPORTS_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def file_of(job: ReportJob) -> Path | None:
    if job.status != ReportJob.Status.DONE or not job.file_name:
        return None
    path = reports_dir() / job.file_name
    return path if path.exists() else None


def refresh(job: ReportJob) -> ReportJob:
    """Mark a job whose worker has gone silent (a restart) as failed, so no page waits forever."""
    unfinished = (ReportJob.Status.QUEUED, ReportJob.Status.RUNNING)
    if job.status in unfinished and timezone.now() - job.updated_at > STALE_AFTER:
        ReportJob.objects.filter(pk=job.pk, status__in=unfinished).update(
            status=ReportJob.Status.FAILED, error="ساخت گزارش نیمه‌کاره ماند (سرور دوباره راه‌اندازی شد؟)؛ "
                                                 "دوباره درخواست کنید", finished_at=timezone.now())
        job.refresh_from_db()
    return job


def remove_expired() -> int:
    """Delete jobs (and their files) older than KHOOSHEH_REPORT_KEEP_DAYS."""
    cutoff = timezone.now() - dt.timedelta(days=settings.KHOOSHEH_REPORT_KEEP_DAYS)
    old = list(ReportJob.objects.filter(created_at__lt=cutoff))
    for job in old:
        if job.file_name:
            (reports_dir() / job.file_name).unlink(missing_ok=True)
    ReportJob.objects.filter(pk__in=[j.pk for j in old]).delete()
    return len(old)


def stage_label(job: ReportJob) -> str:
    return str(STAGES.get(job.stage, job.stage))
