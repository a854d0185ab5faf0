"""Identification runs and the clusters officials confirmed (read)."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from khoosheh.accounts.scoping import require_overview
from khoosheh.clusters.models import IdentificationRun
from khoosheh.clusters.selectors import visible_clusters
from khoosheh.core.jalali import FIRST_YEAR, LAST_YEAR
from khoosheh.registry.selectors import visible_units

from .common import Pages
from .units import UnitOut


class ClusterOut(Schema):
    id: int
    name: str
    isic: str = Field(..., alias="activity_id")
    province: str = Field(..., alias="province_id")
    county: str = Field(..., alias="county_id")
    centroid: list[float]
    extent_km: float
    n_units: int
    employees: int
    lq: float
    share_small: float | None
    share_exporters: float | None
    share_idle: float | None
    score: float
    stars: int
    identified_year: int

    @staticmethod
    def resolve_centroid(cluster):
        return [cluster.lat, cluster.lon]


class RunOut(Schema):
    id: int
    created_at: dt.datetime
    params: dict
    n_units: int
    n_candidates: int


clusters = Router(tags=["clusters"])


@clusters.get("", response=list[ClusterOut])
@paginate(Pages)
def list_clusters(request,
                  year: int | None = Query(None, ge=FIRST_YEAR, le=LAST_YEAR, description="Jalali year identified")):
    found = visible_clusters(request.user)
    return found.filter(identified_year=year) if year else found


@clusters.get("/runs", response=list[RunOut])
@paginate(Pages)
def list_runs(request):
    """Identification runs (staff only: 403 for agents, parks companies and unit owners)."""
    require_overview(request.user)
    return IdentificationRun.objects.all()


@clusters.get("/{cluster_id}", response=ClusterOut)
def get_cluster(request, cluster_id: int):
    return get_object_or_404(visible_clusters(request.user), pk=cluster_id)


@clusters.get("/{cluster_id}/members", response=list[UnitOut])
@paginate(Pages)
def cluster_members(request, cluster_id: int):
    cluster = get_object_or_404(visible_clusters(request.user), pk=cluster_id)
    return visible_units(request.user, cluster.members.select_related("park"))
