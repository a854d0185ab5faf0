"""The registry as the columns the analysis works on, and unit records of the file contract to them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

import numpy as np
import polars as pl

from khoosheh.core.reference import Reference
from khoosheh.core.unitfile import UnitRecord


@dataclass
class UnitColumns:
    """The registry as columns (one entry a unit).  ``lat``/``lon`` are NaN for a
    unit without coordinates, and ``seat_lat``/``seat_lon`` give its county seat."""

    key: np.ndarray  # national ID, or "row:N"
    activity: np.ndarray  # ISIC class codes (str)
    province: np.ndarray
    county: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    seat_lat: np.ndarray
    seat_lon: np.ndarray
    employees: np.ndarray  # float, NaN when unknown
    exporter: np.ndarray  # float: 1, 0, or NaN when unknown
    status: np.ndarray  # active / idle / half_finished / closed

    def __post_init__(self):
        n = len(self.key)
        for column in fields(self):  # not asdict(): that would deep-copy every column
            if len(getattr(self, column.name)) != n:
                raise ValueError(f"column {column.name} has {len(getattr(self, column.name))} entries, not {n}")

    def __len__(self) -> int:
        return len(self.key)

    def take(self, rows: np.ndarray) -> UnitColumns:
        """The units at positions ``rows``, in that order."""
        return UnitColumns(**{column.name: getattr(self, column.name)[rows] for column in fields(self)})

    @classmethod
    def concat(cls, parts: Sequence[UnitColumns]) -> UnitColumns:
        """The units of ``parts``, one after another."""
        return cls(**{column.name: np.concatenate([getattr(p, column.name) for p in parts]) for column in fields(cls)})


def columns_from_records(records: Sequence[UnitRecord], reference: Reference) -> UnitColumns:
    seats = {code: (c.lat, c.lon) for code, c in reference.counties.items()}
    n = len(records)
    lat, lon = np.full(n, np.nan), np.full(n, np.nan)
    seat_lat, seat_lon = np.empty(n), np.empty(n)
    employees, exporter = np.full(n, np.nan), np.full(n, np.nan)
    for i, r in enumerate(records):
        if r.lat is not None:
            lat[i], lon[i] = r.lat, r.lon
        seat_lat[i], seat_lon[i] = seats[r.county_code]
        if r.employees is not None:
            employees[i] = r.employees
        if r.exporter is not None:
            exporter[i] = 1.0 if r.exporter else 0.0
    return UnitColumns(
        key=np.array([r.key for r in records], dtype=object),
        activity=np.array([r.isic for r in records]),
        province=np.array([r.province_code for r in records]),
        county=np.array([r.county_code for r in records]),
        lat=lat, lon=lon, seat_lat=seat_lat, seat_lon=seat_lon, employees=employees, exporter=exporter,
        status=np.array([r.status for r in records]),
    )


def columns_from_frame(frame: pl.DataFrame, reference: Reference) -> UnitColumns:
    """The validated rows as analysis columns, without a Python object per unit (a file may hold a million)."""
    seat = lambda attr: frame["county_code"].replace_strict(  # noqa: E731
        {code: getattr(c, attr) for code, c in reference.counties.items()}, return_dtype=pl.Float64).to_numpy()
    number = lambda name: frame[name].cast(pl.Float64).fill_null(np.nan).to_numpy()  # noqa: E731
    text = lambda name: frame[name].to_numpy().astype(str)  # noqa: E731
    # Named as UnitRecord.key names a unit: its national ID, or its row (of its file, when there are several).
    row = pl.format("row:{}", pl.col("row")) if "file" not in frame.columns else \
        pl.format("row:{}@{}", pl.col("row"), pl.col("file"))
    key = frame.select(pl.when(pl.col("national_id") == "").then(row).otherwise(pl.col("national_id"))).to_series()
    return UnitColumns(
        key=np.array(key.to_list(), dtype=object), activity=text("isic"), province=text("province_code"),
        county=text("county_code"), lat=number("lat"), lon=number("lon"), seat_lat=seat("lat"),
        seat_lon=seat("lon"), employees=number("employees"), exporter=number("exporter"), status=text("status"),
    )
