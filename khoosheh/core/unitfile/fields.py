"""Parsing of single cells of the unit file.

Each parser takes the cell text and returns the value, or raises
``FieldError`` with a Persian message for the person who typed it.
"""

from __future__ import annotations

import datetime as dt
import re

from ..jalali import InvalidJalaliDate, parse_jalali
from ..national_id import is_valid_national_id
from ..text import clean, fold_digits, match_key, to_persian_digits

STATUSES = ("active", "idle", "half_finished", "closed")
STATUS_LABELS_FA = {"active": "فعال", "idle": "راکد", "half_finished": "نیمه‌تمام", "closed": "تعطیل"}
STATUS_SPELLINGS = {
    "فعال": "active", "راکد": "idle", "نیمه‌تمام": "half_finished", "نیمه تمام": "half_finished",
    "تعطیل": "closed", "active": "active", "idle": "idle", "half-finished": "half_finished",
    "half_finished": "half_finished", "half finished": "half_finished", "closed": "closed",
}
_STATUS_KEYS = {match_key(k): v for k, v in STATUS_SPELLINGS.items()}

_YES = {match_key(v) for v in ("بله", "بلی", "آری", "yes", "y", "true", "1", "دارد")}
_NO = {match_key(v) for v in ("خیر", "نه", "no", "n", "false", "0", "ندارد")}

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


class FieldError(ValueError):
    pass


def plain(text: str) -> str:
    """Cleaned cell text, without the apostrophe our exports put before a
    would-be formula (see writers.neutralise_formula)."""
    value = clean(text)
    if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@"):
        return value[1:]
    return value


def national_id(text: str) -> str:
    value = re.sub(r"[\s\-]", "", fold_digits(clean(text)))
    if not value:
        return ""
    if not value.isdigit():
        raise FieldError("شناسه ملی فقط باید رقم داشته باشد")
    if len(value) != 11:
        raise FieldError(f"شناسه ملی باید ۱۱ رقم باشد؛ این مقدار {to_persian_digits(len(value))} رقم دارد")
    if not is_valid_national_id(value):
        raise FieldError("رقم کنترل شناسه ملی درست نیست؛ شناسه را دوباره بررسی کنید")
    return value


def number(text: str, what: str) -> float | None:
    value = clean(text).replace(",", "").replace("%", "").strip()
    if not value:
        return None
    if not _NUMBER.match(value):
        raise FieldError(f"{what} باید عدد باشد")
    return float(value)


def employees(text: str) -> int | None:
    value = number(text, "تعداد کارکنان")
    if value is None:
        return None
    if not value.is_integer():
        raise FieldError("تعداد کارکنان باید عدد صحیح باشد")
    if value < 0:
        raise FieldError("تعداد کارکنان نمی‌تواند منفی باشد")
    return int(value)


def capacity_utilisation(text: str) -> float | None:
    value = number(text, "درصد استفاده از ظرفیت")
    if value is not None and not 0 <= value <= 100:
        raise FieldError("درصد استفاده از ظرفیت باید بین ۰ و ۱۰۰ باشد")
    return value


def status(text: str) -> str:
    value = _STATUS_KEYS.get(match_key(text))
    if value is None:
        if not clean(text):
            raise FieldError("وضعیت خالی است؛ یکی از فعال، راکد، نیمه‌تمام یا تعطیل را بنویسید")
        raise FieldError("وضعیت شناخته نشد؛ یکی از فعال، راکد، نیمه‌تمام یا تعطیل را بنویسید")
    return value


def exporter(text: str) -> bool | None:
    key = match_key(text)
    if not key:
        return None
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise FieldError("صادرکننده باید «بله» یا «خیر» باشد (یا خالی، اگر معلوم نیست)")


def permit_date(text: str, today: dt.date) -> dt.date | None:
    value = clean(text)
    if not value:
        return None
    year = fold_digits(value)[:4]
    if year.isdigit() and int(year) > 1700:
        raise FieldError("تاریخ باید شمسی باشد؛ این تاریخ میلادی به نظر می‌رسد")
    try:
        date = parse_jalali(value)
    except InvalidJalaliDate as exc:
        raise FieldError(str(exc)) from None
    if date > today:
        raise FieldError("تاریخ پروانه بهره‌برداری نمی‌تواند در آینده باشد")
    return date
