"""Jalali (Solar Hijri) dates as people type them, and as they read them."""

from __future__ import annotations

import datetime as dt
import functools
import re

import jdatetime

from .text import clean, to_persian_digits

_JALALI = re.compile(r"^(\d{4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})$")


class InvalidJalaliDate(ValueError):
    """Carries a Persian message fit to show the person who typed the date."""


# The years a person may name (targets, filters, reports, the API): one range for every form, page and schema.
FIRST_YEAR, LAST_YEAR = 1300, 1500
YEAR_MESSAGE = "سال باید سالی شمسی بین ۱۳۰۰ و ۱۵۰۰ باشد، مثل ۱۴۰۵"


def is_plausible_year(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def parse_jalali(text: object) -> dt.date:
    """``"1402/7/9"``, ``"۱۴۰۲-۰۷-۰۹"`` … to the Gregorian date it names."""
    return _parse_clean(clean(text))


@functools.lru_cache(maxsize=65536)  # a registry repeats the same few thousand days
def _parse_clean(value: str) -> dt.date:
    match = _JALALI.match(value)
    if not match:
        raise InvalidJalaliDate("تاریخ باید به شکل سال/ماه/روز شمسی باشد، مثل ۱۴۰۲/۰۷/۰۹")
    year, month, day = (int(g) for g in match.groups())
    if year < 1:
        raise InvalidJalaliDate("سال ۰ وجود ندارد؛ تاریخ باید به شکل سال/ماه/روز شمسی باشد، مثل ۱۴۰۲/۰۷/۰۹")
    if not 1 <= month <= 12:
        raise InvalidJalaliDate(f"ماه {to_persian_digits(month)} وجود ندارد؛ ماه باید بین ۱ و ۱۲ باشد")
    last_day = month_length(year, month)
    if not 1 <= day <= last_day:
        raise InvalidJalaliDate(
            f"روز {to_persian_digits(day)} در ماه {to_persian_digits(month)} سال {to_persian_digits(year)} "
            f"وجود ندارد؛ این ماه {to_persian_digits(last_day)} روز دارد"
        )
    return jdatetime.date(year, month, day).togregorian()


def month_length(year: int, month: int) -> int:
    if month <= 6:
        return 31
    if month <= 11:
        return 30
    return 30 if jdatetime.date(year, 1, 1).isleap() else 29


def format_jalali(value: dt.date | None, *, persian_digits: bool = True) -> str:
    """``1402/07/09``, in Persian digits unless asked otherwise."""
    if value is None:
        return ""
    text = jdatetime.date.fromgregorian(date=value).strftime("%Y/%m/%d")
    return to_persian_digits(text) if persian_digits else text


def jalali_year(value: dt.date) -> int:
    return jdatetime.date.fromgregorian(date=value).year


def jalali_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """First day of the year (1 Farvardin) and first day of the next, Gregorian."""
    return (jdatetime.date(year, 1, 1).togregorian(), jdatetime.date(year + 1, 1, 1).togregorian())
