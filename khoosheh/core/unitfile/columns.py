"""Columns of the unit file, with the Persian and English headers people use."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import match_key


@dataclass(frozen=True)
class Column:
    name: str
    header_fa: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    max_length: int | None = None  # the registry's column width (tests/registry keep the two equal)


COLUMNS: tuple[Column, ...] = (
    Column("national_id", "شناسه ملی", aliases=("شناسه", "national id")),
    Column("name", "نام واحد", required=True, aliases=("نام", "نام واحد صنعتی", "unit name"), max_length=250),
    Column("isic", "کد آیسیک", required=True, aliases=("آیسیک", "کد ISIC", "isic code", "isic4")),
    Column("province", "استان", required=True),
    Column("county", "شهرستان", required=True),
    Column("park", "شهرک یا ناحیه صنعتی", aliases=("شهرک صنعتی", "ناحیه صنعتی", "شهرک", "park or zone"),
           max_length=150),
    Column("lat", "عرض جغرافیایی", aliases=("latitude", "عرض")),
    Column("lon", "طول جغرافیایی", aliases=("longitude", "طول", "lng")),
    Column("employees", "تعداد کارکنان", aliases=("کارکنان", "اشتغال", "تعداد شاغلان")),
    Column("status", "وضعیت", required=True),
    Column("permit_date", "تاریخ پروانه بهره‌برداری", aliases=("تاریخ پروانه", "permit date")),
    Column("exporter", "صادرکننده", aliases=("صادراتی",)),
    Column("capacity_utilisation", "درصد استفاده از ظرفیت",
           aliases=("استفاده از ظرفیت", "capacity utilization", "capacity")),
)

BY_NAME = {c.name: c for c in COLUMNS}

_HEADER_KEYS: dict[str, str] = {}
for _c in COLUMNS:
    for _alias in (_c.name, _c.header_fa, *_c.aliases):
        _HEADER_KEYS[match_key(_alias)] = _c.name


# Decoration people put around a header: a unit in brackets, a colon, a "required" star, quotes.
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_DECORATION = str.maketrans("", "", ":*«»\"'؟?!،,")


def column_for_header(header: str) -> str | None:
    """The contract column a header names, whatever the language, spelling, spacing, ZWNJ or
    diacritics (match_key folds those), and whatever the decoration around it."""
    key = match_key(header)
    if key in _HEADER_KEYS:
        return _HEADER_KEYS[key]
    return _HEADER_KEYS.get(match_key(_BRACKETED.sub("", str(header)).translate(_DECORATION)))
