"""Every figure of the dashboards, as aggregate queries (never per-row loops),
within what the user may see."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils import timezone

from khoosheh.clusters.selectors import visible_clusters
from khoosheh.core.jalali import jalali_year, jalali_year_bounds
from khoosheh.programs.models import ClinicCase, ClusterDevelopment, ExportConsortium, HalfFinishedProject
from khoosheh.programs.selectors import visible
from khoosheh.registry.models import Activity, UnitStatus
from khoosheh.registry.selectors import visible_units
from khoosheh.spx.models import EnquiryMatch
from khoosheh.spx.selectors import visible_enquiries


def registry_figures(user, province: str | None, year: int | None = None) -> dict:
    """The registry's counts; for a past Jalali year, only the units whose operating permit dates from
    before that year ended (the registry keeps no earlier snapshots: statuses are today's)."""
    units = visible_units(user)
    if province:
        units = units.filter(province_id=province)
    if year is not None and year < jalali_year(timezone.localdate()):
        units = units.filter(permit_date__lt=jalali_year_bounds(year)[1])
    totals = units.aggregate(units=Count("id"), employees=Sum("employees"),
                             exporters=Count("id", filter=Q(exporter=True)),
                             **{s: Count("id", filter=Q(status=s)) for s in UnitStatus.values})
    divisions = (units.values("activity__parent__parent_id").annotate(n=Count("id")).order_by("-n")[:10])
    titles = dict(Activity.objects.filter(level="division").values_list("code", "title_fa"))
    titles_en = dict(Activity.objects.filter(level="division").values_list("code", "title_en"))
    by_province = {row["province_id"]: row for row in units.values("province_id").annotate(
        n=Count("id"), idle=Count("id", filter=Q(status=UnitStatus.IDLE)))}
    return {"totals": totals, "by_province": by_province,
            "divisions": [{"code": d["activity__parent__parent_id"], "n": d["n"],
                           "title_fa": titles.get(d["activity__parent__parent_id"], ""),
                           "title_en": titles_en.get(d["activity__parent__parent_id"], "")} for d in divisions]}


def cluster_figures(user, province: str | None, year: int) -> dict:
    clusters = visible_clusters(user)
    developments = visible(user, ClusterDevelopment.objects.all())
    if province:
        clusters, developments = clusters.filter(province_id=province), developments.filter(province_id=province)
    by_phase = dict(developments.values_list("phase").annotate(n=Count("id")))
    per_province = dict(clusters.values_list("province_id").annotate(n=Count("id")))
    return {"total": clusters.count(), "in_year": clusters.filter(identified_year=year).count(),
            "in_development": developments.count(), "by_phase": by_phase, "by_province": per_province}


def program_figures(user, province: str | None, year: int, threshold: int) -> dict:
    start, end = jalali_year_bounds(year)
    cases = visible(user, ClinicCase.objects.all())
    projects = visible(user, HalfFinishedProject.objects.all())
    consortia = visible(user, ExportConsortium.objects.all())
    if province:
        cases, projects, consortia = (q.filter(province_id=province) for q in (cases, projects, consortia))
    revived = cases.filter(outcome=ClinicCase.Outcome.REVIVED, outcome_on__gte=start, outcome_on__lt=end)
    return {
        "cases_open": cases.exclude(stage=ClinicCase.Stage.CLOSED).count(),
        "revived": revived.count(), "jobs_restored": revived.aggregate(s=Sum("jobs_restored"))["s"] or 0,
        "near_completion": projects.filter(actual_opening__isnull=True, physical_progress__gte=threshold).count(),
        "projects_open": projects.filter(actual_opening__isnull=True).count(),
        "opened": projects.filter(actual_opening__gte=start, actual_opening__lt=end).count(),
        "consortia": consortia.count(),
    }


def spx_figures(user, province: str | None, year: int) -> dict:
    start, end = jalali_year_bounds(year)
    enquiries = visible_enquiries(user)
    if province:
        enquiries = enquiries.filter(province_id=province)
    contracts = EnquiryMatch.objects.filter(enquiry__in=enquiries, status="contracted", contracted_on__gte=start,
                                            contracted_on__lt=end)
    return {"enquiries": enquiries.count(),
            "contracts": contracts.count(), "contract_value": contracts.aggregate(s=Sum("contract_value"))["s"] or 0}


def trend(user, province: str | None, last_year: int, years: int = 5) -> dict:
    """Yearly counts for the trend chart: clusters identified, units revived, projects opened."""
    out = {"years": [], "clusters": [], "revived": [], "opened": []}
    clusters = visible_clusters(user)
    cases = visible(user, ClinicCase.objects.filter(outcome=ClinicCase.Outcome.REVIVED))
    projects = visible(user, HalfFinishedProject.objects.filter(actual_opening__isnull=False))
    if province:
        clusters, cases, projects = (q.filter(province_id=province) for q in (clusters, cases, projects))
    clusters_by_year = dict(clusters.values_list("identified_year").annotate(n=Count("id")))
    for year in range(last_year - years + 1, last_year + 1):
        start, end = jalali_year_bounds(year)
        out["years"].append(year)
        out["clusters"].append(clusters_by_year.get(year, 0))
        out["revived"].append(cases.filter(outcome_on__gte=start, outcome_on__lt=end).count())
        out["opened"].append(projects.filter(actual_opening__gte=start, actual_opening__lt=end).count())
    return out


def cluster_points(user, province: str | None) -> list[dict]:
    """Confirmed clusters for the point map: centre, extent (km; the radius holding 90% of members), stars."""
    clusters = visible_clusters(user)
    if province:
        clusters = clusters.filter(province_id=province)
    return list(clusters.order_by("-n_units").values("id", "name", "lat", "lon", "extent_km", "n_units", "stars",
                                                     "activity_id"))
