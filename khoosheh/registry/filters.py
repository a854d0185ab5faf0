"""The unit list's search and filters, as one small form-like object."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import QueryDict

from khoosheh.core.text import clean, fold_digits, match_key

from .models import ProductionUnit, UnitStatus


@dataclass
class UnitFilter:
    q: str = ""
    province: str = ""
    county: str = ""
    activity: str = ""
    status: str = ""
    park: str = ""

    @classmethod
    def from_query(cls, query: QueryDict) -> UnitFilter:
        get = lambda k: fold_digits(clean(query.get(k, "")))  # noqa: E731
        status = get("status")
        return cls(
            q=clean(query.get("q", "")),
            province=get("province")[:2],
            county=get("county")[:4],
            activity=get("activity")[:4],
            status=status if status in UnitStatus.values else "",
            park=get("park") if get("park").isdigit() else "",
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
