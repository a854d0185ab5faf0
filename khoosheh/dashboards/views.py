from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from khoosheh.accounts.models import Role
from khoosheh.accounts.scoping import (
    UnknownProvince,
    province_asked,
    province_scope,
    require_overview,
    sees_overview,
)
from khoosheh.core.jalali import jalali_year
from khoosheh.core.text import to_persian_digits
from khoosheh.programs.achievements import targets_vs_achievements
from khoosheh.programs.models import Phase
from khoosheh.registry.models import Province, UnitStatus
from khoosheh.web.params import year_param

from . import figures, tilemap
from .models import Boundary

METRICS = ("units", "idle_share", "clusters")


def role_home(user) -> str | None:
    """Where a role without a province-wide view starts: its own records, not a national dashboard of zeros."""
    if user.is_national:
        return None
    if user.role == Role.UNIT_OWNER:
        units = list(user.units.values_list("pk", flat=True)[:2])
        return resolve_url("registry:unit_detail", units[0]) if len(units) == 1 else resolve_url("registry:unit_list")
    if user.role == Role.PARKS_COMPANY:
        return resolve_url("registry:unit_list")
    if user.role == Role.CLUSTER_AGENT:
        return resolve_url("programs:development_list")
    return None


@login_required
def national(request):
    if home := role_home(request.user):
        return redirect(home)
    if not sees_overview(request.user):
        return redirect("registry:unit_list")
    scope = province_scope(request.user)
    if scope:
        return province(request, scope)
    return _dashboard(request, None)


@login_required
def province(request, code: str):
    """A province's dashboard: provincial staff asking for another province's are refused (403), as reports are."""
    require_overview(request.user)
    try:
        shown = province_asked(request.user, code)
    except UnknownProvince:
        raise Http404 from None  # an address naming no province is no page
    if shown is None:
        raise Http404
    return _dashboard(request, shown)


def _dashboard(request, code: str | None):
    year = year_param(request)
    persian = (get_language() or "fa").startswith("fa")
    registry = figures.registry_figures(request.user, code, year)
    clusters = figures.cluster_figures(request.user, code, year)
    metric = request.GET.get("metric", "units")
    metric = metric if metric in METRICS else "units"
    # A province's page counts that province only: the map shows its figure, not zeros for the others.
    values, labels = _map_values(metric, registry, clusters, persian, code or province_scope(request.user))
    charts = {
        "divisions": {"labels": [(d["title_fa"] if persian else d["title_en"]) or d["code"] for d in
                                 registry["divisions"]], "values": [d["n"] for d in registry["divisions"]]},
        "phases": {"labels": [str(label) for _, label in Phase.choices],
                   "values": [clusters["by_phase"].get(value, 0) for value in Phase.values]},
        "trend": figures.trend(request.user, code, year),
        "persian": persian,
        "series": {"clusters": _("Clusters identified"), "revived": _("Idle units revived"),
                   "opened": _("Half-finished projects opened")},
    }
    return render(request, "dashboards/dashboard.html", {
        "year": year, "province": Province.objects.filter(code=code).first() if code else None,
        "past_year": year < jalali_year(timezone.localdate()),
        "registry": registry, "clusters": clusters,
        "programs": figures.program_figures(request.user, code, year, settings.KHOOSHEH_PIPELINE_THRESHOLD),
        "spx": figures.spx_figures(request.user, code, year),
        "targets": targets_vs_achievements(year, code),
        "statuses": [(s, label, registry["totals"][s]) for s, label in UnitStatus.choices],
        # Provincial staff may open their own province only: their map links nowhere (no dead ends).
        "map_svg": mark_safe(_map(values, labels, persian, code,  # noqa: S308  (escaped inside)
                                  "" if province_scope(request.user) else
                                  f"/dashboard/province/{{code}}/?year={year}&metric={metric}")),
        "metric": metric, "metrics": [("units", _("units")), ("idle_share", _("share idle")),
                                      ("clusters", _("clusters"))],
        "charts": charts,
        "threshold": settings.KHOOSHEH_PIPELINE_THRESHOLD,
        "show_national_map": province_scope(request.user) is None,
        "cluster_map": _cluster_map(request.user, code, persian),
    })


def _cluster_map(user, code: str | None, persian: bool) -> list[dict]:
    """What the cluster point map draws, with each cluster's tooltip in the reader's digits."""
    points = []
    for c in figures.cluster_points(user, code):
        label = _("%(name)s — ISIC %(isic)s, %(n)s units, %(km)s km") % {
            "name": c["name"], "isic": c["activity_id"], "n": f"{c['n_units']:,}", "km": f"{c['extent_km']:.1f}"}
        points.append({"lat": c["lat"], "lon": c["lon"], "extent_km": c["extent_km"], "stars": c["stars"],
                       "label": to_persian_digits(label.replace(",", "٬")) if persian else label,
                       "url": reverse("clusters:cluster_detail", args=[c["id"]])})
    return points


def _map(values, labels, persian, selected, link) -> str:
    """Real polygons once all 31 provinces are loaded, else the schematic tiles."""
    geometries = dict(Boundary.objects.filter(level="province").values_list("code", "geometry"))
    if len(geometries) == 31:
        return tilemap.polygon_svg(values, labels=labels, geometries=geometries, link=link, persian=persian,
                                   selected=selected)
    return tilemap.svg(values, labels=labels, persian=persian, selected=selected, link=link)


def _map_values(metric, registry, clusters, persian: bool, scope: str | None = None):
    """Each province's figure for the map.  With ``scope`` (a province's page, or provincial staff) the other
    provinces have no figure here ("—", the no-data colour), not a zero."""
    values, labels = {}, {}
    for tile in tilemap.tiles():
        if scope and tile.code != scope:
            values[tile.code], labels[tile.code] = None, "—"
            continue
        row = registry["by_province"].get(tile.code)
        if metric == "units":
            value = row["n"] if row else 0
            label = f"{value:,}"
        elif metric == "idle_share":
            value = row["idle"] / row["n"] if row and row["n"] else None
            label = "—" if value is None else f"{value * 100:.0f}%"
        else:
            value = clusters["by_province"].get(tile.code, 0)
            label = str(value)
        values[tile.code] = value
        labels[tile.code] = to_persian_digits(label.replace(",", "٬").replace("%", "٪")) if persian else label
    return values, labels
