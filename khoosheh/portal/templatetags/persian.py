"""Template filters for Persian readers: Jalali dates and Persian digits.

They follow the active language, so the English pages show Latin digits
(and still Jalali dates, which is what the officials count in)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from khoosheh.core.jalali import format_jalali
from khoosheh.core.text import to_persian_digits

register = template.Library()


def _persian() -> bool:
    return (get_language() or "fa").startswith("fa")


def _digits(text: str) -> str:
    return to_persian_digits(text) if _persian() else text


@register.filter
def digits(value) -> str:
    """Persian digits in Persian pages."""
    if value is None or value == "":
        return ""
    return _digits(str(value))


@register.filter
def num(value) -> str:
    """A number with thousands separators, in the reader's digits."""
    if value is None or value == "":
        return "—"
    if isinstance(value, float) and not value.is_integer():
        text = f"{value:,.1f}"
    else:
        text = f"{int(value):,}"
    return _digits(text.replace(",", "٬").replace(".", "٫")) if _persian() else text


@register.filter
def latlon(item) -> str:
    """A point's latitude and longitude as a Persian reader writes them: ۳۲٫۷۷۷۷۱، ۵۱٫۷۴۴۶۷."""
    if item.lat is None or item.lon is None:
        return "—"
    if not _persian():
        return f"{item.lat:.5f}, {item.lon:.5f}"
    return _digits(f"{item.lat:.5f}، {item.lon:.5f}".replace(".", "٫"))


@register.filter
def jdate(value) -> str:
    """A date (or datetime, in Tehran time) as a Jalali date."""
    if not value:
        return "—"
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return format_jalali(value, persian_digits=_persian())


@register.filter
def jdatetime(value) -> str:
    if not value:
        return "—"
    local = timezone.localtime(value)
    return f"{format_jalali(local.date(), persian_digits=_persian())} {_digits(local.strftime('%H:%M'))}"


@register.filter
def percent(value) -> str:
    """A share (0–1) as a percentage in the reader's digits."""
    if value is None or value != value:  # None or NaN
        return "—"
    text = f"{value * 100:.0f}"
    return f"{_digits(text)}٪" if _persian() else f"{text}%"


@register.filter
def stars(value) -> str:
    n = int(value or 0)
    return "★" * n + "☆" * (3 - n)


_STAR_REASONS = {
    "size": ("size", "اندازه"), "specialisation": ("specialisation", "تخصص‌یافتگی"),
    "sme_base": ("SME base", "پایه بنگاه‌های کوچک"), "export_orientation": ("export orientation", "صادرات‌محوری"),
}


@register.filter
def star_reason(value) -> str:
    en, fa = _STAR_REASONS.get(value, (value, value))
    return fa if _persian() else en


@register.filter
def review_label(value) -> str:
    from khoosheh.clusters.models import Candidate

    return Candidate.Review(value).label


@register.filter
def label_in(value, labels) -> str:
    """The human label of a stored choice value, from a {value: label} dict."""
    return str(labels.get(value, value))


@register.simple_tag
def history_of(record, limit: int = 50):
    """The audit trail of one record (who, when, what before, what after), newest first."""
    from khoosheh.accounts.models import AuditEntry
    from khoosheh.portal.history import readable

    return readable(AuditEntry.objects.filter(record_type=record._meta.label_lower, record_id=str(record.pk))
                    .select_related("actor")[:limit])
