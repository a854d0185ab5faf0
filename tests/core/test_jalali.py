import datetime as dt

import pytest

from khoosheh.core.jalali import (
    InvalidJalaliDate,
    format_jalali,
    jalali_year,
    jalali_year_bounds,
    parse_jalali,
)


@pytest.mark.parametrize("text", ["1402/07/09", "1402/7/9", "1402-07-09", "۱۴۰۲/۰۷/۰۹", "١٤٠٢/٠٧/٠٩"])
def test_accepted_spellings_name_one_day(text):
    assert parse_jalali(text) == dt.date(2023, 10, 1)


def test_last_day_of_a_leap_esfand_exists():
    # 1403 is a leap year in the Jalali calendar: 30 Esfand 1403 = 20 March 2025.
    assert parse_jalali("1403/12/30") == dt.date(2025, 3, 20)


@pytest.mark.parametrize("text", ["1401/13/40", "1401/12/30", "1402/07/31", "1402/00/10", "1402/01/00"])
def test_days_that_do_not_exist_are_refused(text):
    with pytest.raises(InvalidJalaliDate):
        parse_jalali(text)


def test_refusal_explains_in_persian():
    with pytest.raises(InvalidJalaliDate, match="۲۹ روز"):
        parse_jalali("1401/12/30")


@pytest.mark.parametrize("text", ["", "1402", "07/09/1402", "sometime"])
def test_malformed_dates_are_refused(text):
    with pytest.raises(InvalidJalaliDate):
        parse_jalali(text)


def test_dates_read_in_jalali_with_persian_digits():
    assert format_jalali(dt.date(2023, 10, 1)) == "۱۴۰۲/۰۷/۰۹"
    assert format_jalali(dt.date(2023, 10, 1), persian_digits=False) == "1402/07/09"


def test_jalali_year_starts_on_1_farvardin():
    start, end = jalali_year_bounds(1403)
    assert start == dt.date(2024, 3, 20)
    assert end == dt.date(2025, 3, 21)
    assert jalali_year(dt.date(2025, 3, 20)) == 1403  # 30 Esfand 1403
    assert jalali_year(dt.date(2025, 3, 21)) == 1404  # 1 Farvardin 1404
