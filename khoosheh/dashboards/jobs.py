"""Reports too large to build while the browser waits: built in the background, with progress.

A report is described by a `ReportSpec` (what, for whom to scope it, which format).  Small ones
are built in the request (views call `build` with a BytesIO); large ones — listing more rows than
KHOOSHEH_REPORT_INLINE_ROWS — become a `ReportJob` (a `jobs.Job` of kind "report") on the task
queue, built by `khoosheh worker` while the page shows its progress (khoosheh.jobs).

A job whose worker dies is queued again by the next worker (khoosheh.jobs.runner.recover); the
file is written beside its final name and renamed only when complete, so a half-written report is
never offered."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from khoosheh.accounts.scoping import province_asked, require_overview
from khoosheh.clusters.models import Cluster
from khoosheh.clusters.selectors import visible_clusters
from khoosheh.core.progress import no_progress
from khoosheh.core.text import to_persian_digits
from khoosheh.jobs import kinds, runner
from khoosheh.registry.models import Province
from khoosheh.registry.selectors import visible_units

from . import reports
from .models import ReportJob

log = logging.getLogger(__name__)
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
        """Check the spec against what the user may see.  A provincial user's area report is always theirs: asking
        for no province gives theirs, asking explicitly for another is refused (403) rather than silently
        answered with their own — a report titled Isfahan handed over as if it were Tehran's misleads.  The rule
        is accounts.scoping.province_asked, the same as the dashboards', the pages' and the API's."""
        if self.fmt not in FORMATS or self.kind not in ("area", "cluster"):
            raise BadSpec(self)
        if self.kind == "cluster":
            if self.cluster is None or not visible_clusters(user).filter(pk=self.cluster).exists():
                raise BadSpec(self)
            return self
        require_overview(user)  # an area report is an overview: national or provincial figures
        # Another province than a province-bound user's own: OtherProvince (403); a code naming no province:
        # UnknownProvince (the pages answer 400 with the reason, the report command says it).
        return dataclasses.replace(self, province=province_asked(user, self.province))

    @property
    def file_name(self) -> str:
        if self.kind == "cluster":
            return f"khoosheh-cluster-{self.cluster}.{self.fmt}"
        return f"khoosheh-{self.province or 'iran'}-{self.year}{'-units' if self.units else ''}.{self.fmt}"

    def title(self) -> str:
        if self.kind == "cluster":
            name = Cluster.objects.filter(pk=self.cluster).values_list("name", flat=True).first() or ""
            return f"شناسنامه {name} ({self.fmt.upper()})"
        province = Province.objects.filter(code=self.province).first()
        place = f"استان {province.name_fa}" if province else "ملی"
        listing = " با فهرست واحدها" if self.units else ""
        return f"گزارش {place} سال {to_persian_digits(self.year)}{listing} ({self.fmt.upper()})"


# --- what a report holds, and building it -------------------------------------------------

def _units(spec: ReportSpec, user):
    units = visible_units(user)
    return units.filter(province_id=spec.province) if spec.province else units


def _cluster_and_members(spec: ReportSpec, user):

    cluster = visible_clusters(user).select_related("activity", "county", "province").get(pk=spec.cluster)
    return cluster, visible_units(user, cluster.members.select_related("county").order_by("name_key"))


def rows_listed(spec: ReportSpec, user) -> int:
    """How many rows the report lists: what makes it large."""
    if spec.kind == "cluster":
        return _cluster_and_members(spec, user)[1].count()
    return _units(spec, user).count() if spec.units else 0


def build(spec: ReportSpec, user, target=None, *, progress=no_progress) -> bytes | None:
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

KIND = kinds.Kind(name="report", handler="khoosheh.dashboards.jobs.run_report", label=_("large report"),
                  result_template="dashboards/report_result.html", stages=STAGES)


def submit(spec: ReportSpec, user) -> ReportJob:
    """Queue the report on the task queue; `khoosheh worker` builds it."""
    spec = spec.scoped_for(user)
    remove_expired()
    job = runner.submit("report", user=user, title=spec.title(), params=dataclasses.asdict(spec))
    return ReportJob.objects.get(pk=job.pk)


def run_report(job, progress) -> runner.Finished:
    """The kind's handler: build the file beside its final name and rename it only when complete."""
    spec = ReportSpec.from_dict(job.params)
    final = reports_dir() / f"{job.pk}-{uuid.uuid4().hex}.{spec.fmt}"
    partial = final.with_suffix(final.suffix + ".part")
    try:
        with translation.override("fa"):
            build(spec, job.user, str(partial), progress=progress)
        partial.rename(final)
    except reports.PdfUnavailable as exc:
        raise runner.JobError(str(exc)) from exc
    finally:
        partial.unlink(missing_ok=True)
    return runner.Finished(file_name=final.name, size=final.stat().st_size)


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
    """A job whose worker died is queued again or, after its attempts, failed: no page waits forever."""
    runner.recover(job)
    return ReportJob.objects.get(pk=job.pk)


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
