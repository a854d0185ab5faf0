"""SPX: keep profiles, match enquiries, follow them to contracts, schedule B2B meetings.

Every change is audited; permissions: national staff everything, provincial
staff their province, unit owners their own units' profiles."""

from __future__ import annotations

import datetime as dt
import threading

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from khoosheh.accounts.audit import record_change
from khoosheh.accounts.models import Role, User
from khoosheh.accounts.scoping import can_change_province
from khoosheh.analysis.matching import Enquiry as MatchQuery
from khoosheh.analysis.matching import SupplierColumns, SupplierIndex
from khoosheh.analysis.scheduling import complementarity, schedule
from khoosheh.core import reference
from khoosheh.core.jalali import jalali_year_bounds
from khoosheh.core.text import clean_name, match_key
from khoosheh.registry.models import ProductionUnit

from .models import CapabilityProfile, Enquiry, EnquiryMatch, Exhibition, Machine, Meeting

PROCESS_CODES = {p.code for p in reference.processes()}
CERTIFICATION_CODES = {c for c, _ in reference.certifications()}
TOP_MATCHES = 10


def can_edit_profile(user: User, unit) -> bool:
    if can_change_province(user, unit.province_id):
        return True
    return (user.is_authenticated and user.is_active and user.role == Role.UNIT_OWNER
            and user.units.filter(pk=unit.pk).exists())


@transaction.atomic
def save_profile(unit, user: User, *, processes=(), materials=(), certifications=(), monthly_capacity=None,
                 lead_time_days=None, products: str = "", machines=None) -> CapabilityProfile:
    if not can_edit_profile(user, unit):
        raise PermissionDenied
    unknown = sorted(set(processes) - PROCESS_CODES)
    if unknown:
        raise ValidationError(f"فرایند ناشناخته: {'، '.join(unknown)}")
    unknown = sorted(set(certifications) - CERTIFICATION_CODES)
    if unknown:
        raise ValidationError(f"گواهی ناشناخته: {'، '.join(unknown)}")
    profile, created = CapabilityProfile.objects.get_or_create(unit=unit, defaults={"province_id": unit.province_id})
    before = None if created else _profile_values(profile)
    profile.processes, profile.certifications = sorted(set(processes)), sorted(set(certifications))
    profile.materials = _in_order_once(materials)
    profile.monthly_capacity, profile.lead_time_days = monthly_capacity, lead_time_days
    profile.products = clean_name(products)
    profile.save()
    if machines is not None:
        profile.machines.all().delete()
        Machine.objects.bulk_create([Machine(profile=profile, kind=clean_name(k), count=c, limit=clean_name(limit))
                                     for k, c, limit in machines])
    record_change(user, "create" if created else "update", profile, before, _profile_values(profile))
    return profile


def _in_order_once(names) -> list[str]:
    # In the order the unit wrote them (its main material first), each once whatever its spelling; matching
    # compares them as a set, so nothing needs them sorted.
    kept: dict[str, str] = {}
    for name in map(clean_name, names):
        if name:
            kept.setdefault(match_key(name), name)
    return list(kept.values())


def _profile_values(profile: CapabilityProfile) -> dict:
    return {"processes": profile.processes, "materials": profile.materials,
            "certifications": profile.certifications, "monthly_capacity": profile.monthly_capacity,
            "lead_time_days": profile.lead_time_days, "products": profile.products}


# --- the supplier index, rebuilt when profiles or track records change ---------------------

_index_lock = threading.Lock()
_index_cache: dict = {}


def _index_version() -> tuple:
    profiles = CapabilityProfile.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
    outcomes = EnquiryMatch.objects.filter(status__in=["quoted", "contracted"]).aggregate(n=Count("id"))
    return profiles["n"], profiles["latest"], outcomes["n"]


def supplier_index() -> tuple[SupplierIndex, np.ndarray]:
    """The index over every profile, and the profiles' unit ids (cached per process)."""
    version = _index_version()
    with _index_lock:
        if _index_cache.get("version") != version:
            _index_cache["index"], _index_cache["units"] = _build_index()
            _index_cache["version"] = version
        return _index_cache["index"], _index_cache["units"]


def _build_index() -> tuple[SupplierIndex, np.ndarray]:
    names = {p.code: " ".join([p.name_fa, p.name_en, *p.synonyms]) for p in reference.processes()}
    # Membership through the registry's reverse relation: spx need not import clusters.
    in_cluster = set(ProductionUnit.objects.filter(clusters__isnull=False).values_list("pk", flat=True))
    track = {row["unit"]: (row["quotes"], row["contracts"]) for row in EnquiryMatch.objects.values("unit").annotate(
        quotes=Count("id", filter=Q(status__in=["quoted", "contracted", "declined"])),
        contracts=Count("id", filter=Q(status="contracted")))}
    rows = list(CapabilityProfile.objects.select_related("unit", "unit__county").order_by("pk"))
    units = np.array([p.unit_id for p in rows], dtype=np.int64)
    location = [p.unit.location for p in rows]
    columns = SupplierColumns(
        ids=units, names=[p.unit.name for p in rows],
        texts=[" ".join([p.products, *(names.get(c, c) for c in p.processes), *p.materials]) for p in rows],
        processes=[set(p.processes) for p in rows], materials=[set(p.materials) for p in rows],
        certifications=[set(p.certifications) for p in rows],
        monthly_capacity=np.array([np.nan if p.monthly_capacity is None else p.monthly_capacity for p in rows]),
        lead_time_days=np.array([np.nan if p.lead_time_days is None else p.lead_time_days for p in rows]),
        lat=np.array([loc[0] for loc in location]), lon=np.array([loc[1] for loc in location]),
        in_cluster=np.array([p.unit_id in in_cluster for p in rows], dtype=bool),
        quotes=np.array([track.get(p.unit_id, (0, 0))[0] for p in rows]),
        contracts=np.array([track.get(p.unit_id, (0, 0))[1] for p in rows]),
        products=[" ".join([p.products, *p.materials]) for p in rows],
    )
    return SupplierIndex(columns), units


def query_for(enquiry: Enquiry) -> MatchQuery:
    deadline_days = None
    if enquiry.deadline:
        deadline_days = max((enquiry.deadline - timezone.localdate()).days, 0)
    return MatchQuery(text=" ".join([enquiry.title, enquiry.description]), processes=set(enquiry.processes),
                      certifications=set(enquiry.certifications), material=enquiry.material,
                      quantity=enquiry.quantity, deadline_days=deadline_days, lat=enquiry.lat, lon=enquiry.lon)


# --- enquiries ------------------------------------------------------------------------------

@transaction.atomic
def create_enquiry(user: User, *, province_code: str, county_code: str | None = None, **fields) -> Enquiry:
    if not can_change_province(user, province_code):
        raise PermissionDenied
    if county_code:
        seat = next((c for c in reference.counties() if c.code == county_code), None)
        if seat is None or seat.province_code != province_code:
            raise ValidationError("شهرستان خریدار در استان او نیست")
        if fields.get("lat") is None:
            # Distances count from the buyer's county seat.
            fields["lat"], fields["lon"] = seat.lat, seat.lon
    unknown = sorted(set(fields.get("processes", [])) - PROCESS_CODES)
    if unknown:
        raise ValidationError(f"فرایند ناشناخته: {'، '.join(unknown)}")
    if fields.get("deadline") and fields["deadline"] < timezone.localdate():
        raise ValidationError("مهلت گذشته است")
    if fields.get("lat") is None:
        # Without a stated place, distance counts from the province's largest city.
        fields["lat"], fields["lon"] = reference.province_centre(province_code)
    enquiry = Enquiry.objects.create(province_id=province_code, created_by=user, **fields)
    record_change(user, "create", enquiry, after={"title": enquiry.title, "kind": enquiry.kind})
    return enquiry


@transaction.atomic
def match_enquiry(enquiry: Enquiry, user: User) -> list[EnquiryMatch]:
    """Rank suppliers and keep the top ten with their reasons (suggestions only)."""
    if not can_change_province(user, enquiry.province_id):
        raise PermissionDenied
    index, units = supplier_index()
    found = index.match(query_for(enquiry), top=TOP_MATCHES)
    enquiry.matches.filter(status=EnquiryMatch.Status.SUGGESTED).delete()
    kept = set(enquiry.matches.values_list("unit_id", flat=True))
    matches = [EnquiryMatch(enquiry=enquiry, unit_id=m.id, rank=rank, score=m.score, reasons=m.reasons)
               for rank, m in enumerate(found, start=1) if m.id not in kept]
    EnquiryMatch.objects.bulk_create(matches)
    return list(enquiry.matches.select_related("unit").order_by("rank"))


def _require(user: User, enquiry: Enquiry) -> None:
    if not can_change_province(user, enquiry.province_id):
        raise PermissionDenied


@transaction.atomic
def send_to_suppliers(enquiry: Enquiry, user: User, match_ids) -> int:
    _require(user, enquiry)
    sent = enquiry.matches.filter(pk__in=match_ids, status=EnquiryMatch.Status.SUGGESTED).update(
        status=EnquiryMatch.Status.SENT)
    if sent and enquiry.status == Enquiry.Status.OPEN:
        enquiry.status = Enquiry.Status.SENT
        enquiry.save(update_fields=["status"])
    record_change(user, "update", enquiry, {"status": "open"}, {"status": enquiry.status, "sent": sent})
    return sent


@transaction.atomic
def record_quote(match: EnquiryMatch, user: User, *, value: int) -> None:
    _require(user, match.enquiry)
    if match.status not in (EnquiryMatch.Status.SENT, EnquiryMatch.Status.QUOTED):
        raise ValidationError("پیشنهاد قیمت فقط از تأمین‌کننده‌ای می‌آید که استعلام برایش فرستاده شده")
    before = {"status": match.status, "quote_value": match.quote_value}
    match.status, match.quote_value = EnquiryMatch.Status.QUOTED, value
    match.save(update_fields=["status", "quote_value"])
    Enquiry.objects.filter(pk=match.enquiry_id, status=Enquiry.Status.SENT).update(status=Enquiry.Status.QUOTED)
    record_change(user, "update", match, before, {"status": match.status, "quote_value": value})


@transaction.atomic
def record_contract(match: EnquiryMatch, user: User, *, value: int, on: dt.date) -> None:
    _require(user, match.enquiry)
    if match.status != EnquiryMatch.Status.QUOTED:
        raise ValidationError("قرارداد پس از پیشنهاد قیمت بسته می‌شود")
    before = {"status": match.status}
    match.status, match.contract_value, match.contracted_on = EnquiryMatch.Status.CONTRACTED, value, on
    match.save(update_fields=["status", "contract_value", "contracted_on"])
    enquiry = match.enquiry
    enquiry.status = Enquiry.Status.CONTRACTED
    enquiry.save(update_fields=["status"])
    record_change(user, "update", match, before, {"status": match.status, "contract_value": value,
                                           "contracted_on": on.isoformat()})


def report(enquiries, year: int) -> list[dict]:
    """Enquiries, matches sent, contracts, contract value and import value substituted, per province."""
    start, end = jalali_year_bounds(year)
    made = enquiries.filter(created_at__date__gte=start, created_at__date__lt=end)
    rows = {}
    for row in made.values("province_id", "province__name_fa", "province__name_en").annotate(
            enquiries=Count("id", distinct=True),
            sent=Count("matches", filter=~Q(matches__status="suggested"), distinct=True)):
        rows[row["province_id"]] = {**row, "contracts": 0, "contract_value": 0, "import_value": 0}
    contracts = EnquiryMatch.objects.filter(enquiry__in=enquiries, status="contracted", contracted_on__gte=start,
                                            contracted_on__lt=end)
    for row in contracts.values("enquiry__province_id", "enquiry__province__name_fa",
                                "enquiry__province__name_en").annotate(n=Count("id"), value=Sum("contract_value")):
        target = rows.setdefault(row["enquiry__province_id"], {
            "province_id": row["enquiry__province_id"], "province__name_fa": row["enquiry__province__name_fa"],
            "province__name_en": row["enquiry__province__name_en"], "enquiries": 0, "sent": 0, "import_value": 0})
        target["contracts"], target["contract_value"] = row["n"], row["value"] or 0
    substituted = (enquiries.filter(kind=Enquiry.Kind.IMPORT_SUBSTITUTION, matches__in=contracts).distinct()
                   .values("province_id").annotate(value=Sum("imported_value_usd")))
    for row in substituted:
        rows[row["province_id"]]["import_value"] = row["value"] or 0
    return sorted(rows.values(), key=lambda r: -r["enquiries"])


# --- exhibitions ------------------------------------------------------------------------------

@transaction.atomic
def build_schedule(exhibition: Exhibition, user: User) -> list[Meeting]:
    if not can_change_province(user, exhibition.province_id):
        raise PermissionDenied
    participants = list(exhibition.participants.order_by("pk"))
    lookers = [p for p in participants if p.is_looker]
    offerers = [p for p in participants if not p.is_looker]
    scores = complementarity([set(p.needs) for p in lookers], [set(p.offers) for p in offerers])
    plan = schedule(scores, slots=exhibition.slots, tables=exhibition.tables)
    exhibition.meetings.all().delete()
    meetings = [Meeting(exhibition=exhibition, slot=m.slot, table=m.table, looker=lookers[m.looker],
                        offerer=offerers[m.offerer], score=round(m.score, 4)) for m in plan]
    Meeting.objects.bulk_create(meetings)
    record_change(user, "update", exhibition, after={"meetings": len(meetings), "total_score": round(sum(
        m.score for m in plan), 3)})
    return meetings
