"""Where identification reads units from: a unit file, or the registry."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
from django.conf import settings

from khoosheh.analysis import UnitColumns
from khoosheh.analysis.columns import columns_from_frame, columns_from_records
from khoosheh.core.reference import Reference
from khoosheh.core.unitfile import FileProblem, RowError, read_rows, validate_rows
from khoosheh.core.unitfile.many import check_files, with_file
from khoosheh.registry.importing import ImportOutcome
from khoosheh.registry.models import County, ProductionUnit


def columns_from_file(path: str | Path, *, progress=None) -> tuple[UnitColumns, dict, ImportOutcome]:
    """Read and validate exactly as the import does; the outcome carries its report."""
    outcome = ImportOutcome()
    reference = Reference.packaged()
    try:
        result = validate_rows(read_rows(path), reference, progress=progress,
                               location_tolerance_km=settings.KHOOSHEH_LOCATION_TOLERANCE_KM)
    except FileProblem as exc:
        outcome.errors.append(RowError(0, "", "", str(exc)))
        return columns_from_records([], reference), {"file": str(path), "units": 0}, outcome
    outcome.rows_read, outcome.errors, outcome.warnings = result.rows_read, result.errors, result.warnings
    columns = columns_from_frame(result.frame, reference)
    return columns, {"file": Path(path).name, "units": len(columns), "rows_read": result.rows_read}, outcome


def columns_from_files(paths: list[Path]) -> tuple[UnitColumns, dict, ImportOutcome]:
    """A registry in several files, read and checked as one (core/unitfile/many.py): each file by the contract,
    national IDs repeated across files judged as within one; the units in file order."""
    reference = Reference.packaged()
    checks = check_files(paths, reference, location_tolerance_km=settings.KHOOSHEH_LOCATION_TOLERANCE_KM)
    outcome = ImportOutcome()
    for check in checks:
        outcome.rows_read += check.rows_read
        outcome.errors.extend(check.errors)
        outcome.warnings.extend(check.warnings)
    columns = columns_from_frame(pl.concat([with_file(c.frame, c.file) for c in checks]), reference)
    return columns, {"files": [c.file for c in checks], "units": len(columns), "rows_read": outcome.rows_read}, \
        outcome


def columns_from_db(units=None) -> tuple[UnitColumns, dict, np.ndarray]:
    """The registry as columns, with each row's unit id."""
    units = ProductionUnit.objects.all() if units is None else units
    seats = dict((c, (lat, lon)) for c, lat, lon in County.objects.values_list("code", "lat", "lon"))
    rows = list(units.order_by("pk").values_list("pk", "national_id", "activity_id", "province_id", "county_id",
                                                 "lat", "lon", "employees", "exporter", "status"))
    n = len(rows)
    pk, nid, activity, province, county, lat, lon, employees, exporter, status = (
        list(col) for col in zip(*rows, strict=True)) if rows else ([],) * 10
    to_float = lambda values: np.array([np.nan if v is None else float(v) for v in values])  # noqa: E731
    seat = np.array([seats[c] for c in county]).reshape(n, 2)
    columns = UnitColumns(
        key=np.array([n_ or f"unit:{p}" for p, n_ in zip(pk, nid, strict=True)], dtype=object),
        activity=np.array(activity, dtype=str), province=np.array(province, dtype=str),
        county=np.array(county, dtype=str), lat=to_float(lat), lon=to_float(lon),
        seat_lat=seat[:, 0], seat_lon=seat[:, 1], employees=to_float(employees),
        exporter=to_float(exporter), status=np.array(status, dtype=str),
    )
    return columns, {"database": "registry", "units": n}, np.array(pk, dtype=np.int64)
