"""Check a block of rows of the unit file column by column, with Polars.

The per-cell rules and their Persian messages live in :mod:`.fields` and in
the small functions below; this module decides *how often* they run:

* Columns with few distinct values (province and county, ISIC, status,
  exporter, employees, capacity) run the per-cell rule once per distinct value
  and the answer is joined back onto every row — a million rows with 400
  counties cost 400 look-ups, not a million.
* Columns with a value per row (names, national IDs, coordinates, dates) have a
  vectorised fast path for the well-formed values.  Whatever the fast path does
  not accept goes to the per-cell rule, which gives the value or the message.
  So the fast path can only ever *accept* what the per-cell rule would accept
  with the same value, and every message is the per-cell rule's own.

Errors carry an ``order`` so that, sorted by (row, order), they come out exactly
as the row-by-row checker used to report them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import jdatetime
import numpy as np
import polars as pl

from .. import geo
from ..reference import Reference
from ..text import match_key, to_persian_digits
from ..text_columns import PYTHON_WHITESPACE, clean_column, clean_name_column, match_key_column
from . import fields
from .columns import BY_NAME

# The order in which the row-by-row checker reported a row's errors.
ORDER = {name: i for i, name in enumerate((
    "name", "name_length", "province", "county", "park", "lat", "lon", "half_location", "range", "location",
    "national_id", "isic", "employees", "status", "permit_date", "exporter", "capacity_utilisation"))}

# The columns of an accepted row, in the order of UnitRecord's fields.
RECORD_COLUMNS = ("row", "national_id", "name", "isic", "province_code", "county_code", "park", "lat", "lon",
                  "employees", "status", "permit_date", "exporter", "capacity_utilisation")
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_CACHE_LIMIT = 200_000  # distinct values remembered per column across blocks


@dataclass
class Found:
    """What the blocks checked so far have produced."""

    errors: list[tuple[int, int, str, str, str]] = field(default_factory=list)  # row, order, column, value, message
    location_warnings: list[tuple[int, str, str, str]] = field(default_factory=list)
    accepted: list[pl.DataFrame] = field(default_factory=list)  # per block: RECORD_COLUMNS + name_key
    rows_read: int = 0


def _attempt(parser: Callable[[str], object], text: str) -> tuple[object, str | None]:
    try:
        return parser(text), None
    except fields.FieldError as exc:
        return None, str(exc)


class BlockChecker:
    def __init__(self, reference: Reference, headers: dict[str, str], today: dt.date, max_km: float,
                 tolerance_km: float = geo.LOCATION_TOLERANCE_KM):
        self.ref, self.headers, self.today, self.max_km = reference, headers, today, max_km
        self.tolerance_km = tolerance_km
        self.found = Found()
        self._caches: dict[str, dict] = {}
        self._record_type = None

    # --- helpers ---------------------------------------------------------------

    def _header(self, column: str) -> str:
        return self.headers.get(column, column)

    def _lookup(self, name: str, keys: list[pl.Series], func, out: dict[str, pl.DataType]) -> pl.DataFrame:
        """``func(*key)`` once per distinct key (remembered across blocks), joined back onto every row."""
        cache = self._caches.setdefault(name, {})
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        if len(keys) == 1 and not keys[0].has_nulls():  # an Enum (below) has no place for null
            return self._lookup_one(cache, keys[0], func, out)
        frame = pl.DataFrame({f"k{i}": k for i, k in enumerate(keys)})
        distinct = frame.unique()
        answers = []
        for key in distinct.iter_rows():
            answer = cache.get(key)
            if answer is None:
                answer = cache[key] = func(*key)
            answers.append(answer)
        table = distinct.with_columns(
            pl.Series(n, [a[i] for a in answers], dtype=d) for i, (n, d) in enumerate(out.items()))
        return frame.join(table, on=list(frame.columns), how="left", maintain_order="left", nulls_equal=True)

    @staticmethod
    def _lookup_one(cache: dict, key: pl.Series, func, out: dict[str, pl.DataType]) -> pl.DataFrame:
        """The same for one key column, without a join."""
        distinct = key.unique()
        answers = []
        for value in distinct.to_list():
            answer = cache.get((value,))
            if answer is None:
                answer = cache[(value,)] = func(value)
            answers.append(answer)
        # Each row's place among the distinct values, found once (an Enum's codes), picks its answers.
        index = key.cast(pl.Enum(distinct)).to_physical()
        return pl.DataFrame({n: pl.Series([a[i] for a in answers], dtype=d).gather(index)
                             for i, (n, d) in enumerate(out.items())})

    def _fallback(self, name: str, raw: pl.Series, todo: pl.Series, parser, dtype) -> tuple[pl.Series, pl.Series]:
        """The per-cell rule on the rows the fast path left (``todo``): value and message columns."""
        if not todo.any():
            return (pl.repeat(None, len(raw), dtype=dtype, eager=True),
                    pl.repeat(None, len(raw), dtype=pl.String, eager=True))
        keys = pl.select(pl.when(pl.lit(todo)).then(pl.lit(raw))).to_series()
        looked = self._lookup(name, [keys], lambda k: (None, None) if k is None else _attempt(parser, k),
                              {"value": dtype, "message": pl.String})
        return looked["value"], looked["message"]

    def _report(self, rows: pl.Series, mask: pl.Series, order: str, column: str, raw: pl.Series,
                message: pl.Series | str) -> None:
        if not mask.any():
            return
        messages = message.filter(mask).to_list() if isinstance(message, pl.Series) else None
        header = self._header(column)
        for i, (row, value) in enumerate(zip(rows.filter(mask).to_list(), raw.filter(mask).to_list(), strict=True)):
            self.found.errors.append((row, ORDER[order], header, value, messages[i] if messages else message))

    # --- one block -----------------------------------------------------------------

    def check(self, numbers: list[int] | pl.Series, cells: dict[str, list[str] | pl.Series]) -> None:
        """Check rows ``numbers`` (spreadsheet row numbers) whose contract columns are ``cells``."""
        as_series = lambda v, dtype: v.cast(dtype) if isinstance(v, pl.Series) else pl.Series(v, dtype=dtype)  # noqa: E731
        try:
            columns = {k: as_series(v, pl.String) for k, v in cells.items()}
        except UnicodeEncodeError:
            # Only JSON can carry a lone surrogate ("\ud800"); it is no text, so it shows as U+FFFD.
            columns = {k: as_series([_without_surrogates(c) for c in v], pl.String) for k, v in cells.items()}
        frame = pl.DataFrame({"_row": as_series(numbers, pl.Int64), **columns})
        # Excel leaves blank rows at the end; they are not data.
        if cells:
            filled = _filled_rows(frame, list(cells))
            if not filled.all():
                frame = frame.filter(pl.Series(filled))
        n = frame.height
        self.found.rows_read += n
        if n == 0:
            return
        empty = pl.repeat("", n, dtype=pl.String, eager=True)
        raw = {name: frame[name] if name in frame.columns else empty for name in BY_NAME}
        rows = frame["_row"]
        failed = np.zeros(n, dtype=bool)

        def report(order, column, mask, message, value=None):
            nonlocal failed
            mask = mask.fill_null(False)
            failed |= mask.to_numpy()
            self._report(rows, mask, order, column, raw[column] if value is None else value, message)

        name, name_key = self._names(raw["name"], report)
        province, county = self._places(raw["province"], raw["county"], report)
        park = self._parks(county, raw["park"], report)
        lat, lon = self._coordinates(raw["lat"], raw["lon"], report)
        national_id = self._national_ids(raw["national_id"], report)
        isic = self._per_value("isic", raw["isic"], self._isic, pl.String, "isic", report)
        employees = self._per_value("employees", raw["employees"], fields.employees, pl.Int64, "employees", report)
        status = self._per_value("status", raw["status"], fields.status, pl.String, "status", report)
        permit_date = self._dates(raw["permit_date"], report)
        exporter = self._per_value("exporter", raw["exporter"], fields.exporter, pl.Boolean, "exporter", report)
        capacity = self._per_value("capacity_utilisation", raw["capacity_utilisation"], fields.capacity_utilisation,
                                   pl.Float64, "capacity_utilisation", report)

        # Located rows are judged whatever else is wrong with them: an official fixing a file wants
        # every problem of a row at once, not the location's only after the rest is fixed.
        ok = ~failed & self._located_well(rows, lat, lon, county)
        accepted = pl.DataFrame(dict(zip((*RECORD_COLUMNS, "name_key"), (
            rows, national_id, name, isic, province, county, park, lat, lon, employees, status, permit_date,
            exporter, capacity, name_key), strict=True)))
        self.found.accepted.append(accepted.filter(pl.Series(ok)))

    # --- the columns ---------------------------------------------------------------

    def _per_value(self, name, raw, parser, dtype, column, report):
        looked = self._lookup(name, [raw], lambda text: _attempt(parser, text), {"value": dtype, "message": pl.String})
        report(column, column, looked["message"].is_not_null(), looked["message"])
        return looked["value"]

    def _names(self, raw: pl.Series, report) -> tuple[pl.Series, pl.Series]:
        name = plain_column(raw)
        key = match_key_column(raw, name)
        report("name", "name", name == "", "نام واحد خالی است")
        limit = BY_NAME["name"].max_length
        too_long = (name.str.len_chars() > limit) | (key.str.len_chars() > limit)
        report("name_length", "name", too_long,
               f"نام واحد بیش از {to_persian_digits(limit)} نویسه است؛ آن را کوتاه کنید")
        return name, key

    def _places(self, province_raw: pl.Series, county_raw: pl.Series, report) -> tuple[pl.Series, pl.Series]:
        looked = self._lookup("place", [province_raw, county_raw], self._place,
                              {"province": pl.String, "county": pl.String, "where": pl.String, "message": pl.String})
        message, where = looked["message"], looked["where"]
        report("province", "province", where == "province", message)
        report("county", "county", where == "county", message)
        return looked["province"], looked["county"]

    def _place(self, province_raw: str, county_raw: str) -> tuple[str, str, str | None, str | None]:
        ref = self.ref
        province_text, county_text = fields.plain(province_raw), fields.plain(county_raw)
        if not province_text:
            return "", "", "province", "استان خالی است"
        province = ref.find_province(province_text)
        if province is None:
            return "", "", "province", f"استان «{province_text}» شناخته نشد"
        if not county_text:
            return province.code, "", "county", "شهرستان خالی است"
        county = ref.find_county(province.code, county_text)
        if county is None:
            elsewhere = ref.county_anywhere(county_text)
            where = "، ".join(ref.provinces[c.province_code].name_fa for c in elsewhere)
            hint = f"؛ شهرستانی به این نام در استان {where} هست" if where else ""
            return province.code, "", "county", f"شهرستان «{county_text}» در استان {province.name_fa} نیست{hint}"
        return province.code, county.code, None, None

    def _parks(self, county: pl.Series, raw: pl.Series, report) -> pl.Series:
        limit = BY_NAME["park"].max_length

        def park(county_code, text):
            value = fields.plain(text)
            if value and county_code:
                value = self.ref.find_park(county_code, value) or value
            if len(value) > limit or len(match_key(value)) > limit:
                return value, f"نام شهرک یا ناحیه بیش از {to_persian_digits(limit)} نویسه است؛ آن را کوتاه کنید"
            return value, None

        looked = self._lookup("park", [county, raw], park, {"value": pl.String, "message": pl.String})
        report("park", "park", looked["message"].is_not_null(), looked["message"])
        return looked["value"]

    def _number(self, name: str, raw: pl.Series, what: str) -> tuple[pl.Series, pl.Series]:
        text = clean_column(raw)  # stripped already; only a removed "," or "%" can leave a space at an end
        if text.str.contains("[,%]").any():
            text = text.str.replace_all(",", "", literal=True).str.replace_all("%", "", literal=True)
            text = text.str.strip_chars(" ")
        fast = text.str.contains(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")
        value = text.cast(pl.Float64, strict=False)
        fast = fast & value.is_not_null()
        todo = ~fast & (text != "")
        slow, message = self._fallback(name, raw, todo, lambda t: fields.number(t, what), pl.Float64)
        return pl.select(pl.when(pl.lit(fast)).then(pl.lit(value)).otherwise(pl.lit(slow))).to_series(), message

    def _coordinates(self, lat_raw: pl.Series, lon_raw: pl.Series, report) -> tuple[pl.Series, pl.Series]:
        lat, lat_message = self._number("lat", lat_raw, "عرض جغرافیایی")
        report("lat", "lat", lat_message.is_not_null(), lat_message)
        lon, lon_message = self._number("lon", lon_raw, "طول جغرافیایی")
        report("lon", "lon", lon_message.is_not_null(), lon_message)
        both = "عرض و طول جغرافیایی باید هر دو پر یا هر دو خالی باشند"
        report("half_location", "lat", lat.is_null() & lon.is_not_null(), both)
        report("half_location", "lon", lon.is_null() & lat.is_not_null(), both)
        out_of_range = lat.is_not_null() & lon.is_not_null() & ~(lat.is_between(-90, 90) & lon.is_between(-180, 180))
        report("range", "lat", out_of_range,
               "مختصات باید درجه اعشاری WGS84 باشد (عرض بین ۹۰- و ۹۰، طول بین ۱۸۰- و ۱۸۰)")
        half = lat.is_null() | lon.is_null() | out_of_range
        lat = pl.select(pl.when(pl.lit(half)).then(None).otherwise(pl.lit(lat))).to_series()
        lon = pl.select(pl.when(pl.lit(half)).then(None).otherwise(pl.lit(lon))).to_series()
        return lat, lon

    def _national_ids(self, raw: pl.Series, report) -> pl.Series:
        text = clean_column(raw)
        if text.str.contains("[ -]").any():
            text = text.str.replace_all(r"[ \-]", "")
        fast = _valid_national_ids(text)
        todo = ~fast & (text != "")
        slow, message = self._fallback("national_id", raw, todo, fields.national_id, pl.String)
        report("national_id", "national_id", message.is_not_null(), message)
        return pl.select(pl.when(pl.lit(fast)).then(pl.lit(text)).when(pl.lit(todo)).then(pl.lit(slow))
                         .otherwise(pl.lit(""))).to_series().fill_null("")

    def _isic(self, text: str) -> str:
        ref = self.ref
        value = fields.plain(text).replace(" ", "")
        if not value:
            raise fields.FieldError("کد آیسیک خالی است")
        if value.isdigit() and len(value) == 3 and value.zfill(4) in ref.isic_classes:
            value = value.zfill(4)  # Excel drops the leading zero of 0111 and the like
        if value not in ref.isic_classes:
            hint = " (کد باید در سطح طبقه و ۴ رقمی باشد)" if value.isdigit() and len(value) < 4 else ""
            raise fields.FieldError(f"کد آیسیک «{value}» در طبقه‌بندی ISIC ویرایش ۴ وجود ندارد{hint}")
        return value

    def _dates(self, raw: pl.Series, report) -> pl.Series:
        text = clean_column(raw)
        date, fast = jalali_dates(text)
        fast = fast & (date <= self.today)
        todo = ~fast & (text != "")
        slow, message = self._fallback("permit_date", raw, todo, lambda t: fields.permit_date(t, self.today),
                                       pl.Date)
        report("permit_date", "permit_date", message.is_not_null(), message)
        return pl.select(pl.when(pl.lit(fast)).then(pl.lit(date)).otherwise(pl.lit(slow))).to_series()

    # --- locations and records ----------------------------------------------------

    def _located_well(self, rows: pl.Series, lat: pl.Series, lon: pl.Series, county: pl.Series) -> np.ndarray:
        """Vectorised: every located row in Iran and, where its county is known, near the county's seat."""
        located = lat.is_not_null().to_numpy()
        keep = np.ones(len(rows), dtype=bool)
        if not located.any():
            return keep
        index = np.flatnonzero(located)
        la, lo = lat.to_numpy()[index], lon.to_numpy()[index]
        codes = county.gather(index)
        # The location rule, on whole columns: geo.judge_locations (land outline, km tolerance).
        judgement = geo.judge_locations(la, lo, tolerance_km=self.tolerance_km)
        refused = np.asarray(judgement.refused, dtype=bool)
        swapped = np.zeros(len(index), dtype=bool)
        swapped[refused] = geo.in_iran(lo[refused], la[refused], tolerance_km=self.tolerance_km)
        seat = lambda attr: codes.replace_strict(  # noqa: E731 (an unknown county: NaN, so never "far")
            {code: getattr(c, attr) for code, c in self.ref.counties.items()}, default=None,
            return_dtype=pl.Float64).to_numpy()
        with np.errstate(invalid="ignore"):
            distance = geo.haversine_km(la, lo, seat("lat"), seat("lon"))
        column = self._header("lat")
        row_numbers = rows.gather(index)
        near = np.asarray(judgement.near, dtype=bool)
        for i in np.flatnonzero(refused | (distance > self.max_km) | near):
            value = f"{float(la[i])}, {float(lo[i])}"
            if refused[i]:
                hint = "؛ احتمالاً جای عرض و طول جابه‌جا شده است" if swapped[i] else ""
                message = geo.outside_iran_error(self.tolerance_km) + hint
            elif distance[i] > self.max_km:
                name = self.ref.counties[codes[int(i)]].name_fa
                message = (f"این نقطه {to_persian_digits(round(distance[i]))} کیلومتر با مرکز شهرستان "
                           f"{name} فاصله دارد (بیش از {to_persian_digits(round(self.max_km))} کیلومتر)")
            else:
                self.found.location_warnings.append((row_numbers[int(i)], column, value,
                                                     geo.near_border_warning(judgement.km_outside[i])))
                continue
            self.found.errors.append((row_numbers[int(i)], ORDER["location"], column, value, message))
            keep[index[i]] = False
        return keep


_NOT_BLANK = f"[^{PYTHON_WHITESPACE}]"


def _filled_rows(frame: pl.DataFrame, columns: list[str]) -> np.ndarray:
    """Rows with something in some cell (whitespace is nothing).  Column by column, each asked only
    about the rows still undecided, the name first: after it, hardly any row is left to ask about."""
    undecided = np.ones(frame.height, dtype=bool)
    for column in sorted(columns, key=lambda c: c != "name"):
        index = np.flatnonzero(undecided)
        if len(index) == 0:
            break
        values = frame[column] if len(index) == frame.height else frame[column].gather(index)
        undecided[index[values.str.contains(_NOT_BLANK).fill_null(False).to_numpy()]] = False
    return ~undecided


_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(text: str) -> str:
    return _SURROGATE.sub("\ufffd", text) if isinstance(text, str) else text


def plain_column(raw: pl.Series) -> pl.Series:
    """``fields.plain`` on a name column (digits as typed: text.clean_name), without our exports'
    anti-formula apostrophe."""
    value = clean_name_column(raw)
    if not value.str.starts_with("'").any():
        return value
    guarded = value.str.starts_with("'") & value.str.slice(1, 1).is_in(["=", "+", "-", "@"])
    return pl.select(pl.when(pl.lit(guarded)).then(pl.lit(value).str.slice(1)).otherwise(pl.lit(value))).to_series()


_NID_WEIGHTS = (29, 27, 23, 19, 17, 29, 27, 23, 19, 17)


def _valid_national_ids(text: pl.Series) -> pl.Series:
    """national_id.is_valid_national_id on a column (anything but eleven ASCII digits: False).

    The eleven-digit values are joined into one ASCII string and read by NumPy as a table of
    digits, one row per ID, so the check digit is plain array arithmetic."""
    eleven = text.fill_null("").str.contains("^[0-9]{11}$")
    valid = np.zeros(len(text), dtype=bool)
    if not eleven.any():
        return pl.Series(valid)
    joined = text.filter(eleven).str.join("").item()
    digits = (np.frombuffer(joined.encode("ascii"), dtype=np.uint8).reshape(-1, 11) - ord("0")).astype(np.int64)
    total = ((digits[:, :10] + digits[:, 9:10] + 2) * np.array(_NID_WEIGHTS)).sum(axis=1)
    remainder = total % 11
    check = np.where(remainder == 10, 0, remainder)
    nonzero = digits.any(axis=1) & digits[:, 3:9].any(axis=1)  # the whole ID, and its digits 4-9
    valid[eleven.to_numpy()] = nonzero & (check == digits[:, 10])
    return pl.Series(valid)


_JALALI = r"^([0-9]{4}) *[/\-.] *([0-9]{1,2}) *[/\-.] *([0-9]{1,2})$"
_LEAP_REMAINDERS = (1, 5, 9, 13, 17, 22, 26, 30)  # jdatetime's rule: a year is leap when year % 33 is one of these


def jalali_dates(text: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Cleaned ``yyyy/mm/dd`` Jalali dates (Latin digits; - or . also separate) to Gregorian dates.

    Returns the dates and a mask of the values that are well-formed, real dates
    of years 1–1700 (later years are Gregorian years typed in a Jalali column).
    Months 1–6 have 31 days, 7–11 have 30, Esfand 29 or, in a leap year, 30.
    """
    parts = text.str.extract_groups(_JALALI)
    frame = pl.DataFrame({
        "y": parts.struct.field("1").cast(pl.Int32), "m": parts.struct.field("2").cast(pl.Int32),
        "d": parts.struct.field("3").cast(pl.Int32)})
    years = [y for y in frame["y"].unique().to_list() if y is not None and 1 <= y <= 1700]
    first_day = {y: jdatetime.date(y, 1, 1).togregorian().toordinal() - _EPOCH_ORDINAL for y in years}
    y, m, d = pl.col("y"), pl.col("m"), pl.col("d")
    leap = (y % 33).is_in(_LEAP_REMAINDERS)
    length = pl.when(m <= 6).then(31).when(m <= 11).then(30).when(leap).then(30).otherwise(29)
    ok = y.is_between(1, 1700) & m.is_between(1, 12) & (d >= 1) & (d <= length)
    offset = pl.when(m <= 7).then((m - 1) * 31).otherwise(186 + (m - 7) * 30) + d - 1
    start = y.replace_strict(first_day, default=None, return_dtype=pl.Int32)
    out = frame.select(ok.fill_null(False).alias("ok"),
                       pl.when(ok).then(start + offset).cast(pl.Date).alias("date"))
    return out["date"], out["ok"]
