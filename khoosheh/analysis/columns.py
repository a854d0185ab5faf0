"""The registry as the columns the analysis works on, built in one place (build_columns) from a frame of units."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields

import numpy as np
import polars as pl

from khoosheh.core.reference import Reference


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


# What build_columns reads: one row a unit, as the file contract names its columns, and the unit's key.
UNIT_FRAME = {"key": pl.String, "isic": pl.String, "province_code": pl.String, "county_code": pl.String,
              "lat": pl.Float64, "lon": pl.Float64, "employees": pl.Float64, "exporter": pl.Float64,
              "status": pl.String}


def build_columns(frame: pl.DataFrame, seats: Mapping[str, tuple[float, float]]) -> UnitColumns:
    """The one place units become analysis columns, whatever they were read from (a file's validated rows,
    the registry's table): ``frame`` has UNIT_FRAME's columns (others are ignored), ``seats`` each county's
    seat (latitude, longitude).  A missing coordinate, head count or exporter flag is NaN; texts are str."""
    seat = lambda at: frame["county_code"].replace_strict(  # noqa: E731
        {code: point[at] for code, point in seats.items()}, return_dtype=pl.Float64).to_numpy()
    number = lambda name: frame[name].cast(pl.Float64).fill_null(np.nan).to_numpy()  # noqa: E731
    text = lambda name: frame[name].to_numpy().astype(str)  # noqa: E731
    return UnitColumns(
        key=np.array(frame["key"].to_list(), dtype=object), activity=text("isic"), province=text("province_code"),
        county=text("county_code"), lat=number("lat"), lon=number("lon"), seat_lat=seat(0), seat_lon=seat(1),
        employees=number("employees"), exporter=number("exporter"), status=text("status"),
    )


def no_columns() -> UnitColumns:
    """No unit at all (a file that could not be read)."""
    return build_columns(pl.DataFrame(schema=UNIT_FRAME), {})


def columns_from_frame(frame: pl.DataFrame, reference: Reference) -> UnitColumns:
    """A file's validated rows as analysis columns, without a Python object per unit (a file may hold a million)."""
    # Named as UnitRecord.key names a unit: its national ID, or its row (of its file, when there are several).
    row = pl.format("row:{}", pl.col("row")) if "file" not in frame.columns else \
        pl.format("row:{}@{}", pl.col("row"), pl.col("file"))
    keyed = frame.with_columns(key=pl.when(pl.col("national_id") == "").then(row).otherwise(pl.col("national_id")))
    return build_columns(keyed, {code: (c.lat, c.lon) for code, c in reference.counties.items()})
