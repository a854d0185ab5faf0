"""Validate a unit file row by row against the contract and reference data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields

import numpy as np

from .. import geo
from ..reference import Reference
from ..text import match_key, to_persian_digits
from . import fields
from .columns import BY_NAME, column_for_header
from .readers import Table

# A unit's coordinates may lie this far from its county seat.  Iran's largest
# counties reach about 200 km from their seat; beyond that a point is far more
# likely a typo (swapped or truncated digits) than a real place.
DEFAULT_MAX_KM_FROM_COUNTY = 200.0


@dataclass(slots=True)
class UnitRecord:
    row: int
    national_id: str
    name: str
    isic: str
    province_code: str
    county_code: str
    park: str = ""
    lat: float | None = None
    lon: float | None = None
    employees: int | None = None
    status: str = "active"
    permit_date: dt.date | None = None
    exporter: bool | None = None
    capacity_utilisation: float | None = None

    @property
    def key(self) -> str:
        """How the unit is named in reports: its national ID, or its row."""
        return self.national_id or f"row:{self.row}"

    def data(self) -> dict:
        """The unit's contents, without the row it came from."""
        return {f.name: getattr(self, f.name) for f in dataclass_fields(self) if f.name != "row"}


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    column: str
    value: str
    message: str


@dataclass
class ValidationResult:
    records: list[UnitRecord] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    rows_read: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def invalid_rows(self) -> set[int]:
        return {e.row for e in self.errors}


class _Row:
    """One data row while it is being checked: cells by column, errors found."""

    def __init__(self, number: int, cells: dict[str, str], headers: dict[str, str], result: ValidationResult):
        self.number, self.cells, self.headers, self.result = number, cells, headers, result
        self.failed = False

    def get(self, column: str) -> str:
        return self.cells.get(column, "")

    def error(self, column: str, message: str) -> None:
        self.failed = True
        self.result.errors.append(RowError(self.number, self.headers.get(column, column), self.get(column), message))

    def parse(self, column: str, parser: Callable[[str], object], default=None):
        try:
            return parser(self.get(column))
        except fields.FieldError as exc:
            self.error(column, str(exc))
            return default


def validate_rows(
    table: Table,
    reference: Reference,
    *,
    max_km_from_county: float = DEFAULT_MAX_KM_FROM_COUNTY,
    location_tolerance_km: float = geo.LOCATION_TOLERANCE_KM,
    today: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
) -> ValidationResult:
    result = ValidationResult(warnings=[RowError(1, "", "", w) for w in table.warnings])
    positions = _map_headers(table.headers, result)
    if not result.ok:
        return result
    headers = {name: table.headers[i] for name, i in positions.items()}
    today = today or dt.date.today()
    candidates: list[UnitRecord] = []
    for number, cells in table.rows:
        values = {name: (cells[i] if i < len(cells) else "") for name, i in positions.items()}
        if not any(v.strip() for v in values.values()):
            continue  # Excel leaves blank rows at the end; they are not data
        result.rows_read += 1
        row = _Row(number, values, headers, result)
        record = _parse_row(row, reference, today)
        if record is not None:
            candidates.append(record)
        if progress and result.rows_read % 5000 == 0:
            progress(result.rows_read)
    candidates = _check_locations(candidates, reference, headers, result, max_km_from_county, location_tolerance_km)
    result.records = _check_duplicates(candidates, headers, result)
    if progress:
        progress(result.rows_read)
    return result


def _map_headers(headers: list[str], result: ValidationResult) -> dict[str, int]:
    positions: dict[str, int] = {}
    for i, header in enumerate(headers):
        name = column_for_header(header)
        if name is None:
            if header.strip():
                result.warnings.append(RowError(1, header, header, "این ستون شناخته نشد و نادیده گرفته شد"))
            continue
        if name in positions:
            result.errors.append(RowError(1, header, header, "این ستون دو بار آمده است"))
        positions[name] = i
    for column in BY_NAME.values():
        if column.required and column.name not in positions:
            message = f"ستون «{column.header_fa}» ({column.name}) در فایل نیست"
            result.errors.append(RowError(1, column.header_fa, "", message))
    if ("lat" in positions) != ("lon" in positions):
        result.errors.append(RowError(1, "lat/lon", "", "ستون‌های عرض و طول جغرافیایی باید هر دو باشند"))
    return positions


def _parse_row(row: _Row, ref: Reference, today: dt.date) -> UnitRecord | None:
    name = fields.plain(row.get("name"))
    if not name:
        row.error("name", "نام واحد خالی است")
    province_code, county_code = _place(row, ref)
    park = fields.plain(row.get("park"))
    if park and county_code:
        park = ref.find_park(county_code, park) or park
    lat, lon = _coordinates(row)
    record = UnitRecord(
        row=row.number,
        national_id=row.parse("national_id", fields.national_id, ""),
        name=name,
        isic=_isic(row, ref),
        province_code=province_code,
        county_code=county_code,
        park=park,
        lat=lat,
        lon=lon,
        employees=row.parse("employees", fields.employees),
        status=row.parse("status", fields.status, ""),
        permit_date=row.parse("permit_date", lambda t: fields.permit_date(t, today)),
        exporter=row.parse("exporter", fields.exporter),
        capacity_utilisation=row.parse("capacity_utilisation", fields.capacity_utilisation),
    )
    return None if row.failed else record


def _isic(row: _Row, ref: Reference) -> str:
    value = fields.plain(row.get("isic")).replace(" ", "")
    if not value:
        row.error("isic", "کد آیسیک خالی است")
        return ""
    if value.isdigit() and len(value) == 3 and value.zfill(4) in ref.isic_classes:
        value = value.zfill(4)  # Excel drops the leading zero of 0111 and the like
    if value not in ref.isic_classes:
        hint = " (کد باید در سطح طبقه و ۴ رقمی باشد)" if value.isdigit() and len(value) < 4 else ""
        row.error("isic", f"کد آیسیک «{value}» در طبقه‌بندی ISIC ویرایش ۴ وجود ندارد{hint}")
        return ""
    return value


def _place(row: _Row, ref: Reference) -> tuple[str, str]:
    province_text, county_text = fields.plain(row.get("province")), fields.plain(row.get("county"))
    if not province_text:
        row.error("province", "استان خالی است")
        return "", ""
    province = ref.find_province(province_text)
    if province is None:
        row.error("province", f"استان «{province_text}» شناخته نشد")
        return "", ""
    if not county_text:
        row.error("county", "شهرستان خالی است")
        return province.code, ""
    county = ref.find_county(province.code, county_text)
    if county is None:
        elsewhere = ref.county_anywhere(county_text)
        where = "، ".join(ref.provinces[c.province_code].name_fa for c in elsewhere)
        hint = f"؛ شهرستانی به این نام در استان {where} هست" if where else ""
        row.error("county", f"شهرستان «{county_text}» در استان {province.name_fa} نیست{hint}")
        return province.code, ""
    return province.code, county.code


def _coordinates(row: _Row) -> tuple[float | None, float | None]:
    lat = row.parse("lat", lambda t: fields.number(t, "عرض جغرافیایی"))
    lon = row.parse("lon", lambda t: fields.number(t, "طول جغرافیایی"))
    if (lat is None) != (lon is None):
        missing = "lat" if lat is None else "lon"
        row.error(missing, "عرض و طول جغرافیایی باید هر دو پر یا هر دو خالی باشند")
        return None, None
    if lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        row.error("lat", "مختصات باید درجه اعشاری WGS84 باشد (عرض بین ۹۰- و ۹۰، طول بین ۱۸۰- و ۱۸۰)")
        return None, None
    return lat, lon


def _check_locations(records, ref: Reference, headers, result, max_km: float, tolerance_km: float) -> list[UnitRecord]:
    """Vectorised: every located record on Iran's land (or within the tolerance of its outline, with a
    warning) and near its county seat."""
    located = [r for r in records if r.lat is not None]
    if not located:
        return records
    lat = np.array([r.lat for r in located])
    lon = np.array([r.lon for r in located])
    judgement = geo.judge_locations(lat, lon, tolerance_km=tolerance_km)
    swapped = np.zeros(len(located), dtype=bool)
    refused = np.flatnonzero(judgement.refused)
    swapped[refused] = geo.in_iran(lon[refused], lat[refused], tolerance_km=tolerance_km)
    seat_lat = np.array([ref.counties[r.county_code].lat for r in located])
    seat_lon = np.array([ref.counties[r.county_code].lon for r in located])
    distance = geo.haversine_km(lat, lon, seat_lat, seat_lon)
    bad: set[int] = set()
    column = headers.get("lat", "lat")
    for i, record in enumerate(located):
        value = f"{record.lat}, {record.lon}"
        if judgement.refused[i]:
            hint = "؛ احتمالاً جای عرض و طول جابه‌جا شده است" if swapped[i] else ""
            message = geo.outside_iran_error(tolerance_km) + hint
        elif distance[i] > max_km:
            county = ref.counties[record.county_code]
            message = (f"این نقطه {to_persian_digits(round(distance[i]))} کیلومتر با مرکز شهرستان "
                       f"{county.name_fa} فاصله دارد (بیش از {to_persian_digits(round(max_km))} کیلومتر)")
        else:
            if judgement.near[i]:
                result.warnings.append(RowError(record.row, column, value,
                                                geo.near_border_warning(judgement.km_outside[i])))
            continue
        result.errors.append(RowError(record.row, column, value, message))
        bad.add(record.row)
    return [r for r in records if r.row not in bad]


def _check_duplicates(records: list[UnitRecord], headers, result: ValidationResult) -> list[UnitRecord]:
    column = headers.get("national_id", "national_id")
    first: dict[str, UnitRecord] = {}
    conflicting: set[int] = set()
    repeated: set[int] = set()
    unnamed: dict[tuple[str, str], UnitRecord] = {}
    for record in records:
        if not record.national_id:
            twin = unnamed.setdefault((match_key(record.name), record.county_code), record)
            if twin is not record:
                result.warnings.append(RowError(
                    record.row, headers.get("name", "name"), record.name,
                    f"واحدی بی‌شناسه با همین نام در همین شهرستان در سطر {to_persian_digits(twin.row)} هم هست؛ "
                    "اگر یکی‌اند، شناسه ملی را وارد کنید (خودکار یکی نمی‌شوند)"))
            continue
        seen = first.setdefault(record.national_id, record)
        if seen is record:
            continue
        if seen.data() == record.data():
            repeated.add(record.row)
            result.warnings.append(RowError(record.row, column, record.national_id,
                                            f"تکرار عین سطر {to_persian_digits(seen.row)}؛ یک بار ثبت می‌شود"))
            continue
        differing = [headers.get(k, k) for k, v in record.data().items() if seen.data()[k] != v]
        for this, other in ((record, seen), (seen, record)):
            if this.row not in conflicting:
                result.errors.append(RowError(this.row, column, this.national_id,
                                              f"این شناسه ملی در سطر {to_persian_digits(other.row)} هم آمده "
                                              f"با اطلاعات متفاوت ({'، '.join(differing)})"))
            conflicting.add(this.row)
    return [r for r in records if r.row not in conflicting and r.row not in repeated]
