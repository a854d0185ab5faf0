"""The open API, version 1: /api/v1/ with its OpenAPI schema at /api/v1/openapi.json.

Authentication: `Authorization: Bearer <token>` (`khoosheh api-token USERNAME`).
Every endpoint applies the portal's scoping (accounts.scoping, programs.permissions),
and unit writes go through exactly the import's validation and audit.  Dates are
ISO 8601 (`2024-03-20`) with a Jalali twin (`1403/01/01`)."""


import datetime as dt

from django.db import IntegrityError
from django.shortcuts import get_object_or_404
from ninja import Field, NinjaAPI, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import HttpBearer

from khoosheh.accounts.scoping import can_write, province_scope, scope_by_province, scope_units
from khoosheh.accounts.tokens import user_for_token
from khoosheh.clusters.models import IdentificationRun
from khoosheh.clusters.views import visible_clusters
from khoosheh.core.jalali import format_jalali
from khoosheh.core.unitfile import RowError
from khoosheh.core.unitfile.columns import COLUMNS
from khoosheh.core.unitfile.readers import Table
from khoosheh.programs.achievements import targets_vs_achievements
from khoosheh.programs.models import ClinicCase, HalfFinishedProject
from khoosheh.programs.permissions import visible
from khoosheh.registry.filters import UnitFilter
from khoosheh.registry.importing import import_table
from khoosheh.registry.models import ProductionUnit
from khoosheh.spx.models import CapabilityProfile, Enquiry


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user  # the scoping helpers read request.user
        return user


_ERROR = {"type": "object", "properties": {"detail": {}}, "required": ["detail"]}
_ERRORS = {
    "400": "the request could not be read (malformed JSON, say)",
    "401": "no valid token",
    "403": "the token may not do this",
    "404": "not found, or not in the token's scope",
    "409": "conflict (a national ID of another unit)",
    "422": "the request's values were refused",
}


class KhooshehAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Document the error answers every operation can give, so the schema is the whole truth."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for code, text in _ERRORS.items():
                    operation["responses"].setdefault(code, {
                        "description": text, "content": {"application/json": {"schema": _ERROR}}})
        return schema


api = KhooshehAPI(title="khoosheh API", version="1", urls_namespace="api-v1", auth=BearerToken(),
                  description=__doc__)


def jalali(value: dt.date | None) -> str | None:
    return format_jalali(value, persian_digits=False) if value else None


class Pages(LimitOffsetPagination):
    """Limit and offset, both bounded: a huge offset would overflow the database's integers."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=500)
        offset: int = Field(0, ge=0, le=10_000_000)


# --- schemas ---------------------------------------------------------------------------

class UnitOut(Schema):
    id: int
    national_id: str
    name: str
    isic: str = Field(..., alias="activity_id")
    province: str = Field(..., alias="province_id")
    county: str = Field(..., alias="county_id")
    park: str | None = None
    lat: float | None
    lon: float | None
    employees: int | None
    status: str
    permit_date: dt.date | None
    permit_date_jalali: str | None = None
    exporter: bool | None
    capacity_utilisation: float | None

    @staticmethod
    def resolve_park(unit):
        return unit.park.name if unit.park_id else None

    @staticmethod
    def resolve_permit_date_jalali(unit):
        return jalali(unit.permit_date)


class UnitIn(Schema):
    """One row of the unit-file contract; values as a spreadsheet would hold them."""

    national_id: str = ""
    name: str
    isic: str
    province: str
    county: str
    park: str = ""
    lat: float | str | None = None
    lon: float | str | None = None
    employees: int | str | None = None
    status: str
    permit_date: str = Field("", description="Jalali, YYYY/MM/DD")
    exporter: str | bool | None = None
    capacity_utilisation: float | str | None = None


class ProblemOut(Schema):
    row: int
    column: str
    value: str
    message: str


class RefusedOut(Schema):
    detail: str
    errors: list[ProblemOut]


class UnitFilters(Schema):
    q: str = ""
    province: str = ""
    county: str = ""
    activity: str = ""
    status: str = ""
    park: str = ""


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


class CaseOut(Schema):
    id: int
    unit: int = Field(..., alias="unit_id")
    province: str = Field(..., alias="province_id")
    opened_on: dt.date
    opened_on_jalali: str
    stage: str
    problems: list[str]
    main_problem: str
    outcome: str
    outcome_on: dt.date | None
    jobs_restored: int

    @staticmethod
    def resolve_opened_on_jalali(case):
        return jalali(case.opened_on)


class ProjectOut(Schema):
    id: int
    unit: int = Field(..., alias="unit_id")
    province: str = Field(..., alias="province_id")
    physical_progress: int
    investment_made: int
    investment_needed: int
    expected_opening: dt.date | None
    actual_opening: dt.date | None
    planned_jobs: int


class TargetRowOut(Schema):
    indicator: str
    label: str
    target: int | None
    achieved: int
    percent: float | None


class ProfileOut(Schema):
    unit: int = Field(..., alias="unit_id")
    processes: list[str]
    materials: list[str]
    certifications: list[str]
    monthly_capacity: int | None
    lead_time_days: int | None
    products: str


class MatchOut(Schema):
    unit: int = Field(..., alias="unit_id")
    rank: int
    score: float
    reasons: list[str]
    status: str


class EnquiryOut(Schema):
    id: int
    kind: str
    buyer: str
    province: str = Field(..., alias="province_id")
    title: str
    processes: list[str]
    material: str
    quantity: int | None
    status: str
    hs_code: str


# --- units -------------------------------------------------------------------------------

units = Router(tags=["units"])


@units.get("", response=list[UnitOut])
@paginate(Pages)
def list_units(request, filters: Query[UnitFilters]):
    unit_filter = UnitFilter.from_query(filters.dict())
    if scope := province_scope(request.user):
        unit_filter.province = scope
    return unit_filter.apply(scope_units(request.user, ProductionUnit.objects.all())).select_related("park")


@units.get("/{unit_id}", response=UnitOut)
def get_unit(request, unit_id: int):
    return get_object_or_404(scope_units(request.user, ProductionUnit.objects.select_related("park")), pk=unit_id)


def _as_table(data: UnitIn) -> Table:
    values = data.dict()
    headers = [c.name for c in COLUMNS]
    cells = ["" if values.get(h) is None else ("1" if values[h] is True else "0" if values[h] is False
                                                else str(values[h])) for h in headers]
    return Table(headers, iter([(2, cells)]), [])


def _write(request, data: UnitIn, target: ProductionUnit | None):
    if not can_write(request.user):
        raise HttpError(403, "این حساب اجازه تغییر ندارد")
    try:
        outcome = import_table(_as_table(data), user=request.user, source_name=f"api:{request.user.username}",
                               target=target)
    except IntegrityError:
        raise HttpError(409, "این شناسه ملی از آن واحد دیگری است") from None
    if not outcome.errors and outcome.rows_read == 0:
        outcome.errors.append(RowError(2, "", "", "همه خانه‌های این واحد خالی است"))
    if outcome.errors:
        return Status(422, {"detail": "واحد پذیرفته نشد", "errors": [
            {"row": e.row, "column": e.column, "value": e.value, "message": e.message} for e in outcome.errors]})
    if target is not None:
        return Status(200, ProductionUnit.objects.select_related("park").get(pk=target.pk))
    unit = (ProductionUnit.objects.select_related("park").filter(national_id=data.national_id).first()
            if data.national_id else
            ProductionUnit.objects.select_related("park").filter(created_by_import_id=outcome.batch_id).first())
    return Status(201 if outcome.created else 200, unit)


@units.post("", response={200: UnitOut, 201: UnitOut, 422: RefusedOut})
def create_unit(request, data: UnitIn):
    """Create a unit (or update the one with that national ID), through the import's checks."""
    return _write(request, data, None)


@units.put("/{unit_id}", response={200: UnitOut, 422: RefusedOut})
def update_unit(request, unit_id: int, data: UnitIn):
    unit = get_object_or_404(scope_units(request.user, ProductionUnit.objects.all()), pk=unit_id)
    if data.national_id and ProductionUnit.objects.filter(national_id=data.national_id).exclude(pk=unit.pk).exists():
        raise HttpError(409, "این شناسه ملی از آن واحد دیگری است")
    return _write(request, data, unit)


# --- clusters, programs, SPX (read) ----------------------------------------------------------

clusters = Router(tags=["clusters"])


@clusters.get("", response=list[ClusterOut])
@paginate(Pages)
def list_clusters(request, year: int | None = None):
    found = visible_clusters(request.user)
    return found.filter(identified_year=year) if year else found


@clusters.get("/runs", response=list[RunOut])
@paginate(Pages)
def list_runs(request):
    return IdentificationRun.objects.all()


@clusters.get("/{cluster_id}", response=ClusterOut)
def get_cluster(request, cluster_id: int):
    return get_object_or_404(visible_clusters(request.user), pk=cluster_id)


@clusters.get("/{cluster_id}/members", response=list[UnitOut])
@paginate(Pages)
def cluster_members(request, cluster_id: int):
    cluster = get_object_or_404(visible_clusters(request.user), pk=cluster_id)
    return scope_units(request.user, cluster.members.select_related("park"))


programs = Router(tags=["programs"])


@programs.get("/clinic-cases", response=list[CaseOut])
@paginate(Pages)
def list_cases(request, stage: str = ""):
    cases = visible(request.user, ClinicCase.objects.all())
    return cases.filter(stage=stage) if stage else cases


@programs.get("/projects", response=list[ProjectOut])
@paginate(Pages)
def list_projects(request, min_progress: int = 0):
    return visible(request.user, HalfFinishedProject.objects.filter(physical_progress__gte=min_progress))


@programs.get("/targets", response=list[TargetRowOut])
def targets(request, year: int = Query(..., ge=1300, le=1500, description="Jalali year"), province: str = ""):
    """Targets and the achievements computed from the records, for a Jalali year."""
    scope = province_scope(request.user)
    if scope and province and province != scope:
        raise HttpError(404, "Not Found")
    return [r.__dict__ | {"percent": r.percent} for r in targets_vs_achievements(year, scope or province or None)]


spx = Router(tags=["spx"])


@spx.get("/profiles", response=list[ProfileOut])
@paginate(Pages)
def list_profiles(request):
    return CapabilityProfile.objects.filter(unit__in=scope_units(request.user, ProductionUnit.objects.all()))


@spx.get("/enquiries", response=list[EnquiryOut])
@paginate(Pages)
def list_enquiries(request):
    return scope_by_province(request.user, Enquiry.objects.all())


@spx.get("/enquiries/{enquiry_id}/matches", response=list[MatchOut])
def enquiry_matches(request, enquiry_id: int):
    enquiry = get_object_or_404(scope_by_province(request.user, Enquiry.objects.all()), pk=enquiry_id)
    return list(enquiry.matches.all())


api.add_router("/units", units)
api.add_router("/clusters", clusters)
api.add_router("/programs", programs)
api.add_router("/spx", spx)
