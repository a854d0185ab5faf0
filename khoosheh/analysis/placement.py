"""Stage 1 of identification: where each unit stands and what it does — per unit, so a distributed
engine can run it on each partition of the registry alone."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .columns import UnitColumns
from .grid import project_km


@dataclass(frozen=True)
class PlacedUnits:
    """The units as the scan sees them, in the order of the input columns.

    Attributes
    ----------
    lat, lon : ndarray of float
        Degrees: the unit's own coordinates, or its county seat's when it has none.
    x, y : ndarray of float
        The same point projected to kilometres (grid.project_km).
    activity : ndarray of str
        The activity code at the chosen level (the ISIC class cut to 2, 3 or 4 digits).
    located : ndarray of bool
        Whether the unit had coordinates of its own (False: it stands at its county seat).
    """

    lat: np.ndarray
    lon: np.ndarray
    x: np.ndarray
    y: np.ndarray
    activity: np.ndarray
    located: np.ndarray

    def __len__(self) -> int:
        return len(self.x)


def place_units(columns: UnitColumns, activity_level: int = 4) -> PlacedUnits:
    """Project every unit to kilometres, seating those without coordinates at their county seat,
    and cut its activity code to ``activity_level`` digits."""
    located = ~np.isnan(columns.lat)
    lat = np.where(located, columns.lat, columns.seat_lat)
    lon = np.where(located, columns.lon, columns.seat_lon)
    x, y = project_km(lat, lon)
    activity = (np.array([a[:activity_level] for a in columns.activity]) if activity_level < 4
                else columns.activity)
    return PlacedUnits(lat, lon, x, y, activity, located)


def activity_list(*parts: PlacedUnits) -> np.ndarray:
    """The sorted activity codes of the whole registry (the union over partitions): an activity's
    position in it is its group in the cell keys, so every partition must use the same list."""
    return np.unique(np.concatenate([np.unique(p.activity) for p in parts])) if parts else np.array([], str)


def activity_index(placed: PlacedUnits, activities: np.ndarray) -> np.ndarray:
    """Each unit's activity as its position in ``activities`` (from activity_list)."""
    return np.searchsorted(activities, placed.activity).astype(np.int64)
