"""Production units: read, filter, create and update, with exactly the import's validation."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.db import IntegrityError
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import ConfigDict, Strict, WithJsonSchema

from khoosheh.accounts.scoping import can_write
from khoosheh.core import reference
from khoosheh.core.unitfile import RowError
from khoosheh.core.unitfile.columns import COLUMNS
from khoosheh.core.unitfile.fields import STATUS_SPELLINGS as _STATUS_SPELLINGS
from khoosheh.core.unitfile.readers import Table
from khoosheh.registry.filters import UnitFilter, UnknownPark
from khoosheh.registry.importing import import_table
from khoosheh.registry.models import ProductionUnit, UnitStatus
from khoosheh.registry.selectors import visible_units

from .common import (
    JALALI_DATE_PATTERN,
    Count,
    CountyFilter,
    Input,
    MalformedOut,
    Named,
    Number,
    Pages,
    ProvinceFilter,
    Text,
    jalali,
)


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


def _province_spellings() -> tuple[str, ...]:
    return tuple(v for p in reference.provinces() for v in (p.code, str(int(p.code)), f"IR-{p.code}", p.name_fa,
                                                               p.name_en))


def _isic_spellings() -> tuple[str, ...]:
    classes = [a.code for a in reference.activities() if a.level == "class"]
    return (*classes, *(c[1:] for c in classes if c.startswith("0")))  # Excel drops the leading zero


def Spelled(values: tuple[str, ...], description: str):  # noqa: N802 - used like a type
    """Text the import reads, with its Persian row-and-column reasons; the schema lists what it accepts."""
    return Annotated[str, WithJsonSchema({"type": "string", "enum": sorted(set(values)), "description": description})]


def Patterned(pattern: str, description: str):  # noqa: N802 - used like a type
    return Annotated[str, WithJsonSchema({"type": "string", "pattern": pattern, "description": description})]


Empty = Literal[""]


class UnitIn(Input):
    """One row of the unit-file contract, read by the import itself, so a refusal names the column and says why
    in Persian (422).  Beyond the schema the import checks what JSON Schema cannot say: the national ID's check
    digit, a county of the province, a park of the county, a point within 200 km of the county seat, a permit date
    that exists and is not in the future."""

    national_id: Patterned(r"^([0-9]{11})?$", "11 digits, or empty") = ""
    name: Named(250)
    isic: Spelled(_isic_spellings(), "ISIC rev. 4 class")
    province: Spelled(_province_spellings(), "code, Persian or English name")
    county: Named(60) = Field(..., description="code or name of a county of the province")
    park: Text(150) = Field("", description="industrial park or zone of the county; empty if none")
    lat: Annotated[float, Field(ge=-90, le=90), Number] | Empty | None = None
    lon: Annotated[float, Field(ge=-180, le=180), Number] | Empty | None = None
    employees: Count | Empty | None = None
    status: Spelled(tuple(_STATUS_SPELLINGS), "فعال، راکد، نیمه‌تمام، تعطیل (or active, idle, half_finished, closed)")
    permit_date: Patterned(f"({JALALI_DATE_PATTERN})|^$", "Jalali, YYYY/MM/DD; empty if unknown") = ""
    exporter: Annotated[bool, Strict()] | Literal["", "بله", "خیر"] | None = None
    capacity_utilisation: Annotated[float, Field(ge=0, le=100), Number] | Empty | None = Field(
        None, description="percent")

    model_config = ConfigDict(extra="forbid", json_schema_extra={"dependentRequired": {"lat": ["lon"], "lon": ["lat"]}})


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
    province: ProvinceFilter = Field(
        "", description="official two-digit province code; a token bound to a province may name only its own "
                        "(another answers 403)")
    county: CountyFilter = Field("", description="official four-digit county code; a token bound to a province "
                                                "may name only its own province's (another answers 403)")
    activity: str = ""
    status: Literal[("", *UnitStatus.values)] = ""
    park: int | None = Field(None, ge=1, le=2**53, description="an industrial park's id; another province's "
                                                                "answers 403 to a token bound to a province")


units = Router(tags=["units"])


@units.get("", response=list[UnitOut])
@paginate(Pages)
def list_units(request, filters: Query[UnitFilters]):
    """Units the token may see, filtered.  A token bound to a province that names another province, or a county
    or park of another, is refused (403) rather than answered with its own province's units or none; an unknown
    province, county or park is refused (422)."""
    try:
        unit_filter = UnitFilter.scoped(request.user, filters.dict() | {"park": str(filters.park or "")})
    except UnknownPark as exc:
        raise HttpError(404, exc.messages[0]) from None
    return unit_filter.apply(visible_units(request.user)).select_related("park")


@units.get("/{unit_id}", response=UnitOut)
def get_unit(request, unit_id: int):
    return get_object_or_404(visible_units(request.user, ProductionUnit.objects.select_related("park")), pk=unit_id)


def _cell(value) -> str:
    """A JSON value as the import's cell text (numbers positional: the import reads no exponents)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    return str(value)


def _as_table(data: UnitIn) -> Table:
    values = data.dict()
    headers = [c.name for c in COLUMNS]
    return Table(headers, iter([(2, [_cell(values.get(h)) for h in headers])]), [])


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


@units.post("", response={200: UnitOut, 201: UnitOut, 422: RefusedOut | MalformedOut})
def create_unit(request, data: UnitIn):
    """Create a unit (or update the one with that national ID), through the import's checks."""
    return _write(request, data, None)


@units.put("/{unit_id}", response={200: UnitOut, 422: RefusedOut | MalformedOut})
def update_unit(request, unit_id: int, data: UnitIn):
    unit = get_object_or_404(visible_units(request.user), pk=unit_id)
    # Only a unit the caller may see is named as the owner of the ID; one outside their province is
    # refused by the import like any row they may not write, without saying it exists.
    others = visible_units(request.user, ProductionUnit.objects.filter(national_id=data.national_id))
    if data.national_id and others.exclude(pk=unit.pk).exists():
        raise HttpError(409, "این شناسه ملی از آن واحد دیگری است")
    return _write(request, data, unit)
