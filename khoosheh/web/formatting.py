"""How numbers and dates read for a person: Jalali dates, Persian digits and separators in Persian pages.

Plain functions (the template filters of `templatetags/persian.py` are these), so views, history and reports
format the same way as templates. They follow the active language, so the English pages show Latin digits
(and still Jalali dates, which is what the officials count in)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from khoosheh.core.jalali import format_jalali
from khoosheh.core.text import persian_decimal, to_persian_digits


def _persian() -> bool:
    return (get_language() or "fa").startswith("fa")


def _digits(text: str) -> str:
    return to_persian_digits(text) if _persian() else text


def digits(value) -> str:
    """Persian digits in Persian pages."""
    if value is None or value == "":
        return ""
    return _digits(str(value))


# Codes such as a candidate's "2930-2301-1" are Latin runs of digits and hyphens: inside Persian text the
# bidi algorithm reorders their parts ("1-2930-2301") unless they are isolated as left-to-right.
LRI, PDI = "\u2066", "\u2069"


def code(value):
    """A code (cluster, national ID, HS) for HTML inside Persian text: in the reader's digits, isolated left
    to right so that its parts keep their order."""
    if value is None or value == "":
        return "—"
    return format_html('<bdi dir="ltr" class="code">{}</bdi>', digits(value))


def code_text(value) -> str:
    """The same for plain text where no markup is allowed (the page's <title>)."""
    if value is None or value == "":
        return ""
    return f"{LRI}{digits(value)}{PDI}"


def person(user) -> str:
    """A person as others read them: the full name they were given, their username only when they have none."""
    if user is None or user == "":
        return "—"
    return user.get_full_name() or user.username


def num(value) -> str:
    """A number with thousands separators, in the reader's digits."""
    if value is None or value == "":
        return "—"
    if isinstance(value, float) and not value.is_integer():
        text = f"{value:,.1f}"
    else:
        text = f"{int(value):,}"
    return _digits(text.replace(",", "٬").replace(".", "٫")) if _persian() else text


def decimal(value) -> str:
    """A parameter with no more decimals than it has (15, 0.01, 1.5), in the reader's digits."""
    if value is None or value == "":
        return "—"
    return persian_decimal(float(value)) if _persian() else f"{float(value):g}"


def latlon(item) -> str:
    """A point's latitude and longitude as a Persian reader writes them: ۳۲٫۷۷۷۷۱، ۵۱٫۷۴۴۶۷."""
    if item.lat is None or item.lon is None:
        return "—"
    if not _persian():
        return f"{item.lat:.5f}, {item.lon:.5f}"
    return _digits(f"{item.lat:.5f}، {item.lon:.5f}".replace(".", "٫"))


RUNS_SHOWN = 6


def row_runs(runs) -> str:
    """Row numbers given as runs ([[2, 852], [900, 900]]) as a reader writes them: «۲ تا ۸۵۲، ۹۰۰»; after
    RUNS_SHOWN runs, «…»."""
    parts = [digits(first) if first == last else _("%(first)s to %(last)s") % {"first": digits(first),
                                                                               "last": digits(last)}
             for first, last in runs[:RUNS_SHOWN]]
    return ("، " if _persian() else ", ").join(parts) + ("، …" if len(runs) > RUNS_SHOWN else "")


def jdate(value) -> str:
    """A date (or datetime, in Tehran time) as a Jalali date."""
    if not value:
        return "—"
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return format_jalali(value, persian_digits=_persian())


def jdatetime(value) -> str:
    if not value:
        return "—"
    local = timezone.localtime(value)
    return f"{format_jalali(local.date(), persian_digits=_persian())} {_digits(local.strftime('%H:%M'))}"


def percent(value) -> str:
    """A share (0–1) as a percentage in the reader's digits."""
    if value is None or value != value:  # None or NaN
        return "—"
    text = f"{value * 100:.0f}"
    return f"{_digits(text)}٪" if _persian() else f"{text}%"


def stars(value) -> str:
    n = int(value or 0)
    return "★" * n + "☆" * (3 - n)


_STAR_REASONS = {
    "size": ("size", "اندازه"), "specialisation": ("specialisation", "تخصص‌یافتگی"),
    "sme_base": ("SME base", "پایه بنگاه‌های کوچک"), "export_orientation": ("export orientation", "صادرات‌محوری"),
}


def star_reason(value) -> str:
    en, fa = _STAR_REASONS.get(value, (value, value))
    return fa if _persian() else en
