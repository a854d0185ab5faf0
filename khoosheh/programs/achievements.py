"""Achievements per Jalali year, computed from the records (never typed in).

A Jalali year runs from 1 Farvardin to the last day of Esfand, so a unit
revived on 29 Esfand 1403 counts in 1403 and one revived on 1 Farvardin 1404
in 1404.  Every count is one aggregate query."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum

from khoosheh.core.jalali import jalali_year_bounds

from .models import (
    AnnualTarget,
    ClinicCase,
    ClusterDevelopment,
    ExportConsortium,
    HalfFinishedProject,
    Indicator,
    ProblemCategory,
)


def _in_year(queryset: QuerySet, field: str, year: int, province: str | None) -> QuerySet:
    start, end = jalali_year_bounds(year)
    queryset = queryset.filter(**{f"{field}__gte": start, f"{field}__lt": end})
    return queryset.filter(province_id=province) if province else queryset


def achievements(year: int, province: str | None = None) -> dict[str, int]:
    revived = _in_year(ClinicCase.objects.filter(outcome=ClinicCase.Outcome.REVIVED), "outcome_on", year, province)
    opened = _in_year(HalfFinishedProject.objects.all(), "actual_opening", year, province)
    revived_figures = revived.aggregate(n=Count("id"), jobs=Sum("jobs_restored"))
    opened_figures = opened.aggregate(n=Count("id"), jobs=Sum("planned_jobs"))
    return {
        Indicator.CLUSTERS_IN_DEVELOPMENT: _in_year(ClusterDevelopment.objects.all(), "started_on", year,
                                                    province).count(),
        Indicator.CONSORTIA_FORMED: _in_year(ExportConsortium.objects.all(), "formed_on", year, province).count(),
        Indicator.UNITS_REVIVED: revived_figures["n"],
        Indicator.PROJECTS_OPENED: opened_figures["n"],
        Indicator.JOBS_CREATED: (revived_figures["jobs"] or 0) + (opened_figures["jobs"] or 0),
    }


@dataclass
class Row:
    indicator: str
    label: str
    target: int | None
    achieved: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.achieved / self.target) if self.target else None


def targets_vs_achievements(year: int, province: str | None = None) -> list[Row]:
    targets = dict(AnnualTarget.objects.filter(year=year, province_id=province).values_list("indicator", "value"))
    done = achievements(year, province)
    return [Row(value, str(label), targets.get(value), done[value]) for value, label in Indicator.choices]


def idle_causes(cases: QuerySet, year: int | None = None) -> list[dict]:
    """Share of diagnosed cases by main problem (what keeps units idle), per province."""
    if year:
        start, end = jalali_year_bounds(year)
        cases = cases.filter(opened_on__gte=start, opened_on__lt=end)
    cases = cases.exclude(main_problem="")
    rows = (cases.values("province_id", "province__name_fa", "province__name_en", "main_problem")
            .annotate(n=Count("id")).order_by("province__name_fa", "-n"))
    totals = dict(cases.values_list("province_id").annotate(n=Count("id")))
    return [{**r, "share": r["n"] / totals[r["province_id"]]} for r in rows]


def national_idle_causes(cases: QuerySet, year: int | None = None) -> list[dict]:
    if year:
        start, end = jalali_year_bounds(year)
        cases = cases.filter(opened_on__gte=start, opened_on__lt=end)
    cases = cases.exclude(main_problem="")
    total = cases.count()
    rows = cases.values("main_problem").annotate(n=Count("id")).order_by("-n")
    return [{**r, "share": r["n"] / total} for r in rows] if total else []


def idle_causes_matrix(cases: QuerySet, year: int | None = None) -> tuple[list[str], list[dict]]:
    """Provinces as rows, main problems as columns (share of the province's diagnosed cases)."""
    rows: dict[str, dict] = {}
    for r in idle_causes(cases, year):
        row = rows.setdefault(r["province_id"], {"province_fa": r["province__name_fa"],
                                                 "province_en": r["province__name_en"], "shares": {}, "n": 0})
        row["shares"][r["main_problem"]] = r["share"]
        row["n"] += r["n"]
    columns = list(ProblemCategory.values)
    return columns, [{**row, "cells": [row["shares"].get(c) for c in columns]} for row in rows.values()]
