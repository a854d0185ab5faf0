"""A square grid in kilometres over geographic points, and sums over
neighbourhoods of grid cells.

Points are projected with the sinusoidal (equal-area) projection centred on
Iran's middle meridian, accurate to a few per cent at the scale of a
neighbourhood (kilometres), and cut into square cells.  A window (a disc)
is every cell whose centre lies within the radius of a cell's centre.
Counting per cell and then summing over a disc's cells makes window counts
O(N + cells), where a pairwise neighbour search would cost O(N x neighbours) —
millions of pairs in a dense city.
"""

from __future__ import annotations

import numpy as np

EARTH_RADIUS_KM = 6371.0088
CENTRAL_MERIDIAN = 53.7  # Iran spans about 44°E to 63.3°E

# Cell keys: one int64 per (group, column, row) — a group (an activity, or 0 for all units) in the
# high bits, then the column and the row, each shifted to be non-negative.  Sorted keys put the cells
# of one group and one column in a contiguous run (what window_sums relies on).  The one place that
# knows the layout: everything else packs and unpacks through the functions below.
CELL_BITS = 21  # bits of the row field (and the column's shift)
GROUP_SHIFT = 44  # bits below the group: column and row
OFFSET = 1 << 20  # added to column and row indices, so that ±1,048,576 cells fit
ROW_MASK = (1 << CELL_BITS) - 1
CELL_MASK = (1 << GROUP_SHIFT) - 1  # a key without its group: the cell alone


def pack_keys(group, column, row) -> np.ndarray:
    """Keys of cells (signed column and row indices) of a group."""
    group = np.asarray(group, dtype=np.int64)
    column, row = np.asarray(column, dtype=np.int64), np.asarray(row, dtype=np.int64)
    return (group << GROUP_SHIFT) | ((column + OFFSET) << CELL_BITS) | (row + OFFSET)


def key_group(keys: np.ndarray) -> np.ndarray:
    return keys >> GROUP_SHIFT


def key_column(keys: np.ndarray) -> np.ndarray:
    return ((keys >> CELL_BITS) & ROW_MASK) - OFFSET


def key_row(keys: np.ndarray) -> np.ndarray:
    return (keys & ROW_MASK) - OFFSET


def key_cell(keys: np.ndarray) -> np.ndarray:
    """The cell of each key, without its group (group 0)."""
    return keys & CELL_MASK


def parent_keys(keys: np.ndarray, levels_up: int) -> np.ndarray:
    """The keys of the cells containing these on the grid 2**levels_up times as coarse (same group)."""
    return pack_keys(key_group(keys), key_column(keys) >> levels_up, key_row(keys) >> levels_up)


def column_start(column: int) -> int:
    """The smallest key of a column (group 0): where its run of sorted cells begins."""
    return int(pack_keys(0, column, -OFFSET))


def column_offset(dx: int) -> int:
    """What adding dx columns adds to a key."""
    return dx << CELL_BITS


def project_km(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    phi = np.radians(lat)
    x = EARTH_RADIUS_KM * np.radians(lon - CENTRAL_MERIDIAN) * np.cos(phi)
    y = EARTH_RADIUS_KM * phi
    return x, y


def cell_ids(x: np.ndarray, y: np.ndarray, cell_km: float) -> np.ndarray:
    """One int64 per point naming its cell (column and row packed together)."""
    return pack_keys(0, np.floor(x / cell_km).astype(np.int64), np.floor(y / cell_km).astype(np.int64))


def cell_centre(cells: np.ndarray, cell_km: float) -> tuple[np.ndarray, np.ndarray]:
    """Centres (km) of the cells of these keys, on the grid of cells of ``cell_km``."""
    return (key_column(cells) + 0.5) * cell_km, (key_row(cells) + 0.5) * cell_km


def disc_columns(radius_cells: float) -> list[tuple[int, int]]:
    """The disc of cells whose centres lie within the radius, as columns:
    (dx, h) for each column offset dx, covering rows -h..h of that column."""
    r = int(np.floor(radius_cells + 1e-9))
    return [(dx, int(np.floor(np.sqrt(radius_cells**2 - dx**2) + 1e-9))) for dx in range(-r, r + 1)]


def window_sums(sorted_keys: np.ndarray, values: np.ndarray, queries: np.ndarray,
                columns: list[tuple[int, int]]) -> np.ndarray:
    """For each query key, the sum of ``values`` over the keys in the disc
    ``columns`` (from :func:`disc_columns`) around it.

    Keys pack (group, column, row) as :func:`pack_keys` does, so the cells of one column of
    a disc are one contiguous run of the sorted keys: each column costs two
    binary searches on a cumulative sum, and a disc of radius R cells costs
    2(2R + 1) searches instead of the πR² of a cell-by-cell lookup.  Runs never
    cross groups or columns because the row field has room to spare.
    """
    cumulative = np.concatenate([[0.0], np.cumsum(values, dtype=float)])
    totals = np.zeros(len(queries), dtype=float)
    for dx, h in columns:
        base = queries + column_offset(dx)
        hi = np.searchsorted(sorted_keys, base + h, side="right")
        lo = np.searchsorted(sorted_keys, base - h, side="left")
        totals += cumulative[hi] - cumulative[lo]
    return totals
