"""The unit list's search and filters, as one small form-like object."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from khoosheh.accounts.models import User
from khoosheh.accounts.scoping import county_asked, province_asked
from khoosheh.core.text import clean, fold_digits, match_key

from .models import IndustrialPark, ProductionUnit, UnitStatus


@dataclass
class UnitFilter:
    q: str = ""
    province: str = ""
    county: str = ""
    activity: str = ""
    status: str = ""
    park: str = ""

    @classmethod
    def scoped(cls, user: User, query) -> UnitFilter:
        """The filters a user's list, export or API read asks for, each place checked by one rule
        (accounts.scoping.province_asked): the province pinned for a province-bound user; a province, county or
        park of another province is OtherProvince (403); a code naming none is a ValidationError with the reason
        (pages 400, API 422) — never an empty list that reads as "no units there"."""
        def asked(key: str) -> str:
            return fold_digits(clean(query.get(key) or "")).strip()

        status = asked("status")
        if status and status not in UnitStatus.values:  # not "every status", as an ignored value would answer
            raise ValidationError(f"وضعیتی به نام «{status[:20]}» نیست؛ از فهرست وضعیت‌ها برگزینید")
        park = asked("park")
        return cls(
            q=clean(query.get("q") or ""),
            province=province_asked(user, query.get("province")) or "",
            county=county_asked(user, query.get("county")) or "",
            activity=asked("activity")[:4],
            status=status,
            park=str(_park_asked(user, park)) if park else "",
        )

    def apply(self, units: QuerySet[ProductionUnit]) -> QuerySet[ProductionUnit]:
        if self.q:
            key = match_key(self.q)
            digits = fold_digits(self.q).strip()
            condition = Q(name_key__contains=key)
            if digits.isdigit():
                condition |= Q(national_id__startswith=digits)
            units = units.filter(condition)
        if self.province:
            units = units.filter(province_id=self.province)
        if self.county:
            units = units.filter(county_id=self.county)
        if self.activity:
            # A 2- or 3-digit code means the whole division or group.
            units = (units.filter(activity_id=self.activity) if len(self.activity) == 4
                     else units.filter(activity__code__startswith=self.activity))
        if self.status:
            units = units.filter(status=self.status)
        if self.park:
            units = units.filter(park_id=int(self.park))
        return units

    def querystring(self, **overrides) -> str:
        from urllib.parse import urlencode

        values = {**self.__dict__, **overrides}
        return urlencode({k: v for k, v in values.items() if v})


class UnknownPark(ValidationError):
    """A park id that names no park (a page answers 400, the API 404: the id is well formed, the park is not)."""


def _park_asked(user: User, asked: str) -> int:
    province = (IndustrialPark.objects.filter(pk=int(asked)).values_list("county__province_id", flat=True).first()
                if asked.isdigit() and int(asked) < 2**53 else None)
    if province is None:
        raise UnknownPark(f"شهرکی با شناسه «{asked[:20]}» نیست")
    province_asked(user, province)
    return int(asked)
