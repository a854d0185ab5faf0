"""Validate a unit file against the contract and reference data, whole columns at a time."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields

import numpy as np
import polars as pl

from .. import geo
from ..progress import ProgressCallback
from ..reference import Reference
from ..text import to_persian_digits
from .columnar import RECORD_COLUMNS, BlockChecker
from .columns import BY_NAME, column_for_header
from .header import MappingProblem, find_header, is_row_number_header, mapped_positions
from .readers import FileProblem, Table

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
    name_key: str = ""  # match_key(name), computed with the columns; not part of the unit's contents

    @property
    def key(self) -> str:
        """How the unit is named in reports: its national ID, or its row."""
        return self.national_id or f"row:{self.row}"

    def data(self) -> dict:
        """The unit's contents, without the row it came from."""
        return {f.name: getattr(self, f.name) for f in dataclass_fields(self) if f.name not in ("row", "name_key")}


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    column: str
    value: str
    message: str
    file: str = ""  # which file, when a registry comes as several (unitfile/many.py)


@dataclass
class ValidationResult:
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    rows_read: int = 0
    header_row: int = 1  # the spreadsheet row the headers were found in (title rows may stand above)
    # The accepted rows as columns (RECORD_COLUMNS and name_key, the match key of the name);
    # ``records`` gives them as UnitRecords, made on first use.
    frame: pl.DataFrame = field(default_factory=lambda: empty_frame())
    _records: list[UnitRecord] | None = field(default=None, repr=False)

    @property
    def records(self) -> list[UnitRecord]:
        if self._records is None:
            self._records = records_from_frame(self.frame)
        return self._records

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def invalid_rows(self) -> set[int]:
        return {e.row for e in self.errors}


# Rows are checked in blocks: big enough that Polars' per-call overhead vanishes,
# small enough that a million-row file never sits in memory as Python strings.
BLOCK_ROWS = 100_000

FRAME_SCHEMA = {"row": pl.Int64, "national_id": pl.String, "name": pl.String, "isic": pl.String,
                "province_code": pl.String, "county_code": pl.String, "park": pl.String, "lat": pl.Float64,
                "lon": pl.Float64, "employees": pl.Int64, "status": pl.String, "permit_date": pl.Date,
                "exporter": pl.Boolean, "capacity_utilisation": pl.Float64, "name_key": pl.String}


def validate_rows(
    table: Table,
    reference: Reference,
    *,
    max_km_from_county: float = DEFAULT_MAX_KM_FROM_COUNTY,
    location_tolerance_km: float = geo.LOCATION_TOLERANCE_KM,
    today: dt.date | None = None,
    progress: ProgressCallback | None = None,
    mapping: dict[str, str] | None = None,
) -> ValidationResult:
    """Check every row of ``table``: the one entry point of the import, the upload page,
    ``khoosheh identify FILE`` and the API.  Columns are checked whole (see columnar.py).

    ``mapping`` (contract column → the file's header, "" for "not in this file") reads columns
    whose headers no alias names: what an official chose on the mapping step, or ``--map``."""
    result = ValidationResult(warnings=[RowError(1, "", "", w) for w in table.warnings])
    try:
        result.header_row, table = find_header(table)
    except FileProblem as exc:
        result.errors.append(RowError(0, "", "", str(exc)))
        return result
    positions = _map_headers(table.headers, result, mapping or {})
    if not result.ok:
        return result
    headers = {name: table.headers[i] for name, i in positions.items()}
    checker = BlockChecker(reference, headers, today or dt.date.today(), max_km_from_county, location_tolerance_km)
    try:
        blocks = _frame_blocks(table.frame, positions) if table.frame is not None else _blocks(table.rows, positions)
        for numbers, cells in blocks:
            checker.check(numbers, cells)
            if progress:
                progress("validate", checker.found.rows_read, None)
    except FileProblem as exc:  # found while reading on (too many rows, a broken line): nothing is usable
        result.errors.append(RowError(0, "", "", str(exc)))
        return result
    found = checker.found
    result.rows_read = found.rows_read
    found.errors.sort(key=lambda e: (e[0], e[1]))
    result.errors.extend(RowError(row, column, value, message) for row, _, column, value, message in found.errors)
    result.warnings.extend(RowError(*w) for w in found.location_warnings)
    frame = pl.concat(found.accepted) if found.accepted else empty_frame()
    result.frame = _check_duplicates(frame, headers, result)
    if progress:
        progress("validate", result.rows_read, result.rows_read)
    return result


def _blocks(rows, positions: dict[str, int]):
    """(row numbers, {column: cells}) for blocks of BLOCK_ROWS rows; short rows padded with empty cells."""
    width = max(positions.values(), default=-1) + 1
    while block := list(itertools.islice(rows, BLOCK_ROWS)):
        numbers = [number for number, _ in block]
        cells = [c for _, c in block]
        if min(map(len, cells)) < width:
            cells = [c if len(c) >= width else [*c, *[""] * (width - len(c))] for c in cells]
        yield numbers, {name: [c[i] for c in cells] for name, i in positions.items()}


def _frame_blocks(frame: pl.DataFrame, positions: dict[str, int]):
    """The same blocks from a reader that already had columns."""
    for start in range(0, frame.height, BLOCK_ROWS):
        block = frame.slice(start, BLOCK_ROWS)
        yield block["_row"], {name: block[f"c{i}"] for name, i in positions.items()}


def empty_frame() -> pl.DataFrame:
    return pl.DataFrame(schema=FRAME_SCHEMA)


def records_from_frame(frame: pl.DataFrame) -> list[UnitRecord]:
    columns = [frame[c].to_list() for c in (*RECORD_COLUMNS, "name_key")]
    return [UnitRecord(*values) for values in zip(*columns, strict=True)]


def _map_headers(headers: list[str], result: ValidationResult, mapping: dict[str, str]) -> dict[str, int]:
    row = result.header_row
    try:
        chosen = mapped_positions(headers, mapping)
    except MappingProblem as exc:
        result.errors.append(RowError(row, "", "", str(exc)))
        return {}
    positions: dict[str, int] = {name: i for name, i in chosen.items() if i is not None}
    for name, i in positions.items():
        if column_for_header(headers[i]) != name:  # say so where the mapping, not a spelling, decided
            result.warnings.append(RowError(row, headers[i], headers[i],
                                            f"این ستون به جای «{BY_NAME[name].header_fa}» خوانده شد (نگاشت ستون‌ها)"))
    for i, header in enumerate(headers):
        if i in positions.values():
            continue
        name = column_for_header(header)
        if name in chosen:
            name = None  # the mapping placed this column elsewhere, or said it is not in the file
        if name is None:
            # A column without a header (an empty one, say) or of row numbers is silently left out.
            if header.strip() and not is_row_number_header(header):
                result.warnings.append(RowError(row, header, header, "این ستون شناخته نشد و نادیده گرفته شد"))
            continue
        if name in positions:
            result.errors.append(RowError(row, header, header, "این ستون دو بار آمده است"))
        positions[name] = i
    for column in BY_NAME.values():
        if column.required and column.name not in positions:
            message = f"ستون «{column.header_fa}» ({column.name}) در فایل نیست"
            result.errors.append(RowError(row, column.header_fa, "", message))
    if ("lat" in positions) != ("lon" in positions):
        result.errors.append(RowError(row, "lat/lon", "", "ستون‌های عرض و طول جغرافیایی باید هر دو باشند"))
    return positions


def _check_duplicates(frame: pl.DataFrame, headers, result: ValidationResult) -> pl.DataFrame:
    """Repeated national IDs (and look-alikes without one): found on the columns, judged row by row
    on just the rows involved, which are few."""
    with_id = (frame["national_id"] != "").to_numpy()
    involved = with_id & frame["national_id"].is_duplicated().to_numpy()
    # Look-alikes among the rows without an ID only (a fifth of a file, say): less to hash.
    unnamed = np.flatnonzero(~with_id)
    if len(unnamed):
        twins = frame.select("name_key", "county_code")[unnamed].is_duplicated().to_numpy()
        involved[unnamed[twins]] = True
    if not involved.any():
        return frame
    suspects = frame.filter(pl.Series(involved))
    dropped = _judge_duplicates(records_from_frame(suspects), suspects["name_key"].to_list(), headers, result)
    return frame.filter(~frame["row"].is_in(sorted(dropped))) if dropped else frame


def _judge_duplicates(records: list[UnitRecord], name_keys: list[str], headers,
                      result: ValidationResult) -> set[int]:
    column = headers.get("national_id", "national_id")
    first: dict[str, UnitRecord] = {}
    conflicting: set[int] = set()
    repeated: set[int] = set()
    unnamed: dict[tuple[str, str], UnitRecord] = {}
    for record, key in zip(records, name_keys, strict=True):
        if not record.national_id:
            twin = unnamed.setdefault((key, record.county_code), record)
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
    return conflicting | repeated
