"""Query parameters the pages read, checked once: a value no page could use is refused with 400 and a Persian
reason (portal.views.bad_request shows it), never carried to the database or the Jalali calendar (a 500)."""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import Http404
from django.utils import timezone

from khoosheh.accounts.scoping import UnknownProvince, province_asked
from khoosheh.core.jalali import YEAR_MESSAGE, is_plausible_year, jalali_year
from khoosheh.core.text import fold_digits

LARGEST_ID = 2**53  # within every database's integers


def year_param(request, name: str = "year") -> int:
    """A Jalali year from the query (Persian digits welcome); this year when absent."""
    text = fold_digits(request.GET.get(name, "")).strip()
    if not text:
        return jalali_year(timezone.localdate())
    if not text.isdigit() or not is_plausible_year(int(text)):
        raise BadRequest(YEAR_MESSAGE)
    return int(text)


def id_param(request, name: str) -> int:
    """A record's id from the query: anything but a plausible id names no record (404)."""
    text = fold_digits(request.GET.get(name, "")).strip()
    if not text.isdigit() or not 0 < int(text) <= LARGEST_ID:
        raise Http404
    return int(text)


def province_param(request, name: str = "province") -> str | None:
    """The province a page's read is for (accounts.scoping.province_asked): none named, the user's own or the
    nation; another province than a province-bound user's own is 403 (OtherProvince), a code naming no province
    400 with the reason."""
    try:
        return province_asked(request.user, request.GET.get(name))
    except UnknownProvince as exc:
        raise BadRequest(exc.messages[0]) from None
