"""Write the registry (or the part a user may see) in the unit-file contract."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from django.db.models import QuerySet

from khoosheh.core.jalali import format_jalali
from khoosheh.core.unitfile.fields import STATUS_LABELS_FA
from khoosheh.core.unitfile.writers import write_rows

from .models import ProductionUnit

_EXPORT_FIELDS = ("national_id", "name", "activity_id", "province__name_fa", "county__name_fa", "park__name",
                  "lat", "lon", "employees", "status", "permit_date", "exporter", "capacity_utilisation")


def contract_rows(units: QuerySet[ProductionUnit], language: str = "fa") -> Iterator[list[object]]:
    """Rows in COLUMNS order, as a person would type them."""
    yes, no = ("بله", "خیر") if language == "fa" else ("yes", "no")
    province_field = "province__name_fa" if language == "fa" else "province__name_en"
    county_field = "county__name_fa" if language == "fa" else "county__name_en"
    fields = [province_field if f == "province__name_fa" else county_field if f == "county__name_fa" else f
              for f in _EXPORT_FIELDS]
    for (nid, name, isic, province, county, park, lat, lon, employees, status, permit, exporter,
         capacity) in units.order_by("pk").values_list(*fields).iterator(chunk_size=5000):
        yield [
            nid, name, isic, province, county, park or "", lat, lon, employees,
            STATUS_LABELS_FA[status] if language == "fa" else status,
            format_jalali(permit, persian_digits=False), "" if exporter is None else (yes if exporter else no),
            capacity,
        ]


def export_units(path: str | Path, units: QuerySet[ProductionUnit], *, language: str = "fa") -> int:
    return write_rows(path, contract_rows(units, language), language=language)
