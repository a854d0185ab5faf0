"""Where identification reads units from: a unit file, or the registry."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
from django.conf import settings

from khoosheh.analysis import UnitColumns
from khoosheh.analysis.columns import build_columns, columns_from_frame, no_columns
from khoosheh.core.reference import Reference
from khoosheh.core.unitfile import FileProblem, RowError, read_rows, validate_rows
from khoosheh.core.unitfile.many import check_files, with_file
from khoosheh.registry.importing import ImportOutcome
from khoosheh.registry.models import County, ProductionUnit


def columns_from_file(path: str | Path, *, progress=None,
                      mapping: dict[str, str] | None = None) -> tuple[UnitColumns, dict, ImportOutcome]:
    """Read and validate exactly as the import does (``mapping``: contract column → the file's header, for
    headers no alias names, as the import takes it); the outcome carries its report."""
    outcome = ImportOutcome()
    reference = Reference.packaged()
    try:
        result = validate_rows(read_rows(path), reference, progress=progress, mapping=mapping,
                               location_tolerance_km=settings.KHOOSHEH_LOCATION_TOLERANCE_KM)
    except FileProblem as exc:
        outcome.errors.append(RowError(0, "", "", str(exc)))
        return no_columns(), {"file": str(path), "units": 0}, outcome
    outcome.rows_read, outcome.errors, outcome.warnings = result.rows_read, result.errors, result.warnings
    columns = columns_from_frame(result.frame, reference)
    return columns, {"file": Path(path).name, "units": len(columns), "rows_read": result.rows_read}, outcome


def columns_from_files(paths: list[Path], *, mappings: list[dict[str, str] | None] | None = None) \
        -> tuple[UnitColumns, dict, ImportOutcome]:
    """A registry in several files, read and checked as one (core/unitfile/many.py): each file by the contract
    (with its own entry of ``mappings``, if given), national IDs repeated across files judged as within one;
    the units in file order."""
    reference = Reference.packaged()
    checks = check_files(paths, reference, mappings=mappings,
                         location_tolerance_km=settings.KHOOSHEH_LOCATION_TOLERANCE_KM)
    outcome = ImportOutcome()
    for check in checks:
        outcome.rows_read += check.rows_read
        outcome.errors.extend(check.errors)
        outcome.warnings.extend(check.warnings)
    columns = columns_from_frame(pl.concat([with_file(c.frame, c.file) for c in checks]), reference)
    return columns, {"files": [c.file for c in checks], "units": len(columns), "rows_read": outcome.rows_read}, \
        outcome


# The registry's table as build_columns reads it, with each unit's id and national ID to key it by.
_REGISTRY_ROWS = {"pk": pl.Int64, "national_id": pl.String, "isic": pl.String, "province_code": pl.String,
                  "county_code": pl.String, "lat": pl.Float64, "lon": pl.Float64, "employees": pl.Int64,
                  "exporter": pl.Boolean, "status": pl.String}


def columns_from_db(units=None) -> tuple[UnitColumns, dict, np.ndarray]:
    """The registry as columns, with each row's unit id; a unit without a national ID is keyed by its id."""
    units = ProductionUnit.objects.all() if units is None else units
    seats = {code: (lat, lon) for code, lat, lon in County.objects.values_list("code", "lat", "lon")}
    rows = units.order_by("pk").values_list("pk", "national_id", "activity_id", "province_id", "county_id", "lat",
                                            "lon", "employees", "exporter", "status")
    frame = pl.DataFrame(list(rows), schema=_REGISTRY_ROWS, orient="row")
    key = pl.when(pl.col("national_id") == "").then(pl.format("unit:{}", pl.col("pk"))).otherwise("national_id")
    columns = build_columns(frame.with_columns(key=key), seats)
    return columns, {"database": "registry", "units": len(columns)}, frame["pk"].to_numpy()
