"""Production units: read, filter, create and update, with exactly the import's validation."""

import datetime as dt

from django.db import IntegrityError
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from khoosheh.accounts.scoping import can_write, province_scope, scope_units
from khoosheh.core.unitfile import RowError
from khoosheh.core.unitfile.columns import COLUMNS
from khoosheh.core.unitfile.readers import Table
from khoosheh.registry.filters import UnitFilter
from khoosheh.registry.importing import import_table
from khoosheh.registry.models import ProductionUnit

from .common import Pages, jalali


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
    # Only a unit the caller may see is named as the owner of the ID; one outside their province is
    # refused by the import like any row they may not write, without saying it exists.
    others = scope_units(request.user, ProductionUnit.objects.filter(national_id=data.national_id))
    if data.national_id and others.exclude(pk=unit.pk).exists():
        raise HttpError(409, "این شناسه ملی از آن واحد دیگری است")
    return _write(request, data, unit)
