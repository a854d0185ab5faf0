"""SPX: capability profiles, subcontracting and import-substitution enquiries, their
ranked matches, and the path from match to quote to contract.

Writes call spx.services, as the portal's pages do: the same checks, the same audit."""

import datetime as dt
from typing import Annotated, Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import ConfigDict

from khoosheh.core import reference
from khoosheh.registry.selectors import visible_units
from khoosheh.spx import services
from khoosheh.spx.models import Enquiry, EnquiryMatch
from khoosheh.spx.selectors import visible_enquiries, visible_matches, visible_profiles

from .common import Count, CountyCode, Day, Id, Input, Money, Named, Number, Pages, Prose, ProvinceCode, SmallCount

spx = Router(tags=["spx"])

ProcessCode = Literal[tuple(p.code for p in reference.processes())]
CertificationCode = Literal[tuple(code for code, _ in reference.certifications())]


class ProfileOut(Schema):
    unit: int = Field(..., alias="unit_id")
    processes: list[str]
    materials: list[str]
    certifications: list[str]
    monthly_capacity: int | None
    lead_time_days: int | None
    products: str


class MatchOut(Schema):
    id: int
    unit: int = Field(..., alias="unit_id")
    rank: int
    score: float
    reasons: list[str]
    status: str
    quote_value: int | None
    contract_value: int | None
    contracted_on: dt.date | None


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


class MachineIn(Input):
    kind: Named(120)
    count: SmallCount = 1
    limit: Prose(120) = Field("", description="size or tonnage limit")


class ProfileIn(Input):
    processes: list[ProcessCode] = Field([], max_length=50, description="codes of the process vocabulary")
    materials: list[Prose(100)] = Field([], max_length=50)
    certifications: list[CertificationCode] = Field([], max_length=20)
    monthly_capacity: Count | None = Field(None, description="pieces a month")
    lead_time_days: Count | None = None
    products: Prose(5000) = ""
    machines: list[MachineIn] | None = Field(None, max_length=200, description="omit to keep the machines")


class EnquiryIn(Input):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"dependentRequired": {"lat": ["lon"], "lon": ["lat"]}})

    kind: Literal[tuple(Enquiry.Kind.values)] = Enquiry.Kind.SUBCONTRACTING.value
    province: ProvinceCode
    county: CountyCode | Literal[""] = Field(
        "", description="the buyer's county, in the province: distances count from its seat unless lat/lon are given")
    buyer: Named(200)
    title: Named(200) = Field(..., description="part or product")
    description: Prose(5000) = ""
    processes: list[ProcessCode] = Field([], max_length=50)
    material: Prose(100) = ""
    quantity: Count | None = None
    tolerances: Prose(200) = ""
    certifications: list[CertificationCode] = Field([], max_length=20)
    deadline: Day | None = None
    lat: Annotated[float, Field(ge=24, le=40.5), Number] = Field(
        None, description="preferred place, with lon; the province's capital if both are omitted")
    lon: Annotated[float, Field(ge=44, le=63.5), Number] = Field(None, description="with lat")
    hs_code: str = Field("", pattern=r"^(\d{4}(\d{2}){0,3})?$")
    yearly_quantity: Count | None = None
    imported_value_usd: Money | None = None


class SendIn(Input):
    matches: list[Id] = Field(..., min_length=1, max_length=100, description="ids of suggested matches")


class QuoteIn(Input):
    value: Money = Field(..., description="rial")


class ContractIn(Input):
    value: Money = Field(..., description="rial")
    on: Day


# --- reads ---

@spx.get("/profiles", response=list[ProfileOut])
@paginate(Pages)
def list_profiles(request):
    return visible_profiles(request.user)


@spx.get("/enquiries", response=list[EnquiryOut])
@paginate(Pages)
def list_enquiries(request):
    return visible_enquiries(request.user)


@spx.get("/enquiries/{enquiry_id}/matches", response=list[MatchOut])
def enquiry_matches(request, enquiry_id: int):
    enquiry = get_object_or_404(visible_enquiries(request.user), pk=enquiry_id)
    return list(enquiry.matches.all())


# --- writes ----------------------------------------------------------------------------------------

def _enquiry(request, enquiry_id: int) -> Enquiry:
    return get_object_or_404(visible_enquiries(request.user), pk=enquiry_id)


def _match(request, match_id: int) -> EnquiryMatch:
    return get_object_or_404(visible_matches(request.user).select_related("enquiry"), pk=match_id)


@spx.put("/profiles/{unit_id}", response=ProfileOut)
def save_profile(request, unit_id: int, data: ProfileIn):
    """Create or replace a unit's capability profile (its owner, or staff of its province)."""
    unit = get_object_or_404(visible_units(request.user), pk=unit_id)
    machines = None if data.machines is None else [(m.kind, m.count, m.limit) for m in data.machines]
    return services.save_profile(unit, request.user, processes=data.processes, materials=data.materials,
                                 certifications=data.certifications, monthly_capacity=data.monthly_capacity,
                                 lead_time_days=data.lead_time_days, products=data.products, machines=machines)


@spx.post("/enquiries", response={201: EnquiryOut})
def create_enquiry(request, data: EnquiryIn):
    if (data.lat is None) != (data.lon is None):
        raise HttpError(422, "عرض و طول جغرافیایی با هم می‌آیند")
    fields = data.dict(exclude={"province", "county"})
    # The service refuses a county outside the province (422), as the portal's form does.
    return Status(201, services.create_enquiry(request.user, province_code=data.province,
                                               county_code=data.county or None, **fields))


@spx.post("/enquiries/{enquiry_id}/matching", response=list[MatchOut])
def match_enquiry(request, enquiry_id: int):
    """Rank suppliers for the enquiry and keep the ten best with their reasons (suggestions only)."""
    return services.match_enquiry(_enquiry(request, enquiry_id), request.user)


@spx.post("/enquiries/{enquiry_id}/sent", response=list[MatchOut])
def send_to_suppliers(request, enquiry_id: int, data: SendIn):
    """Send the enquiry to the chosen suggested suppliers."""
    enquiry = _enquiry(request, enquiry_id)
    services.send_to_suppliers(enquiry, request.user, data.matches)
    return list(enquiry.matches.all())


@spx.post("/matches/{match_id}/quote", response=MatchOut)
def record_quote(request, match_id: int, data: QuoteIn):
    match = _match(request, match_id)
    services.record_quote(match, request.user, value=data.value)
    return _match(request, match_id)


@spx.post("/matches/{match_id}/contract", response=MatchOut)
def record_contract(request, match_id: int, data: ContractIn):
    """A contract signed with a supplier that quoted (counts in the year's SPX report)."""
    match = _match(request, match_id)
    services.record_contract(match, request.user, value=data.value, on=data.on)
    return _match(request, match_id)
