"""The vectorised fast paths of the unit-file check agree with the per-cell rules."""

import datetime as dt
import random

import polars as pl
import pytest

from khoosheh.core.jalali import InvalidJalaliDate, parse_jalali
from khoosheh.core.national_id import is_valid_national_id, make_national_id
from khoosheh.core.unitfile.columnar import _valid_national_ids, jalali_dates


def vector_date(value: str):
    date, ok = jalali_dates(pl.Series([value]))
    return date[0] if ok[0] else None


@pytest.mark.parametrize("value, expected", [
    ("1403/12/30", dt.date(2025, 3, 20)),   # 1403 is leap: Esfand has 30 days
    ("1399/12/30", dt.date(2021, 3, 20)),
    ("1402/12/29", dt.date(2024, 3, 19)),
    ("1402/07/09", dt.date(2023, 10, 1)),
    ("1402.7.9", dt.date(2023, 10, 1)),
    ("1402 - 07 - 09", dt.date(2023, 10, 1)),
    ("1395/06/31", dt.date(2016, 9, 21)),
    ("1395/07/01", dt.date(2016, 9, 22)),
    ("1395/01/01", dt.date(2016, 3, 20)),
])
def test_real_jalali_dates_are_converted_on_a_column(value, expected):
    assert vector_date(value) == expected == parse_jalali(value)


@pytest.mark.parametrize("value", ["1402/12/30", "1401/12/30", "1395/07/31", "1395/13/01", "1395/00/10",
                                   "1395/01/00", "0000/01/01", "1395/1", "13950101", "x", "", "1701/01/01"])
def test_impossible_or_malformed_dates_are_left_to_the_per_cell_rule(value):
    assert vector_date(value) is None


def test_the_column_conversion_agrees_with_jdatetime_on_every_day_of_two_centuries():
    days = [f"{y}/{m:02d}/{d:02d}" for y in range(1300, 1500) for m in range(1, 13) for d in range(1, 32)]
    dates, ok = jalali_dates(pl.Series(days))
    for value, date, accepted in zip(days, dates.to_list(), ok.to_list(), strict=True):
        try:
            expected = parse_jalali(value)
        except InvalidJalaliDate:
            expected = None
        assert (date if accepted else None) == expected, value


def test_year_zero_is_refused_with_a_message_not_a_crash():
    with pytest.raises(InvalidJalaliDate):
        parse_jalali("0000/01/01")


def test_national_id_check_digits_on_a_column_agree_with_the_scalar_rule():
    rng = random.Random(7)
    values = [make_national_id(f"{rng.randrange(10**10):010d}") for _ in range(2000)]
    values += [v[:10] + str((int(v[10]) + 1) % 10) for v in values[:500]]  # a wrong check digit
    values += ["00000000000", "10100000005", "1010123456", "", "1010123456x"]
    # Signs and spaces a number parser would take: not eleven digits, so not an ID.
    values += ["+" + v[1:] for v in values[:50] if v[0] == "0"] + ["-" + v[1:] for v in values[:50]]
    values += [" " + v[1:] for v in values[:50]]
    assert _valid_national_ids(pl.Series(values)).to_list() == [is_valid_national_id(v) for v in values]


def test_a_lone_surrogate_from_json_is_shown_as_a_replacement_character_not_a_crash():
    from khoosheh.core.reference import Reference
    from khoosheh.core.unitfile import validate_rows
    from khoosheh.core.unitfile.columns import COLUMNS
    from khoosheh.core.unitfile.readers import Table
    from tests.conftest import unit_row

    row = unit_row(name="کاشی\ud800")
    table = Table([c.name for c in COLUMNS], iter([(2, [row[c.name] for c in COLUMNS])]), [])
    result = validate_rows(table, Reference.packaged(), today=dt.date(2026, 11, 26))
    assert result.ok and result.records[0].name == "کاشی\ufffd"
