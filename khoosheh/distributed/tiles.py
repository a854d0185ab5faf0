"""The scan cut into spatial tiles, merged without seams.

A window's counts depend only on the cells within its radius, and its pre-screen (scan._block_bound) on the
coarse cells around it. So the windows centred in one tile can be found from the counts of the tile plus a
halo wide enough for the largest window and its coarse bound: each tile is a task holding a small part of a
heavy activity's counts. Tiles and halos are whole cells of the coarsest grid the scan aggregates to, so every
coarser cell a tile derives from its finest counts is complete; the registry's totals (all units, each
activity's national count) stay those of the whole registry; the Bonferroni family is counted once, on the
whole registry. The windows of all tiles, put back in the order the whole scan makes them, are exactly the
whole scan's windows (tests/distributed/test_tiles.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np

from khoosheh.analysis.counting import FINEST_CELL_KM, CellCounts, Pyramid, cell_km
from khoosheh.analysis.grid import key_column, key_row
from khoosheh.analysis.identify import IdentifyParams
from khoosheh.analysis.scan import BOUND_LEVELS, Windows, grid_level, scan_windows, window_family

TILE_KM = 256.0  # a tile's side: a province-sized square (Iran spans about 60 of them, most empty)


@dataclass(frozen=True)
class TileCounts(CellCounts):
    """A tile's share of the merged counts, with the whole registry's totals."""

    registry_units: int = 0
    registry_national: np.ndarray | None = None

    @property
    def n_units(self) -> int:
        return self.registry_units

    def national(self) -> np.ndarray:
        return self.registry_national


@dataclass(frozen=True)
class TilePlan:
    """Tiles of ``tile_cells`` finest cells a side, each read with ``halo_cells`` more around it."""

    tile_cells: int
    halo_cells: int
    tiles: list[tuple[int, int]]


def plan_tiles(counts: CellCounts, params: IdentifyParams, tile_km: float = TILE_KM) -> TilePlan:
    radii = params.radii()
    coarsest = max(grid_level(r) for r in radii) + BOUND_LEVELS  # the coarsest grid the scan aggregates to
    align = 2**coarsest  # finest cells in one of its cells
    whole = lambda km: max(1, math.ceil(km / FINEST_CELL_KM / align)) * align  # noqa: E731
    tile_cells = whole(tile_km)
    # The largest disc, plus the coarse bound's square around it (at most two coarse cells beyond the disc).
    halo_cells = whole(max(radii) + 2 * cell_km(coarsest))
    columns, rows = key_column(counts.cells) // tile_cells, key_row(counts.cells) // tile_cells
    tiles = sorted({(int(c), int(r)) for c, r in zip(columns, rows, strict=True)})
    return TilePlan(tile_cells, halo_cells, tiles)


def tile_counts(counts: CellCounts, tile: tuple[int, int], plan: TilePlan) -> TileCounts:
    """The counts of the cells within the tile and its halo."""
    def inside(keys):
        column, row = key_column(keys), key_row(keys)
        lo_c, lo_r = tile[0] * plan.tile_cells - plan.halo_cells, tile[1] * plan.tile_cells - plan.halo_cells
        span = plan.tile_cells + 2 * plan.halo_cells
        return (column >= lo_c) & (column < lo_c + span) & (row >= lo_r) & (row < lo_r + span)

    keep, keep_cells = inside(counts.keys), inside(counts.cells)
    return TileCounts(counts.keys[keep], counts.counts[keep], counts.cells[keep_cells], counts.cell_counts[keep_cells],
                      counts.n_activities, counts.n_units, counts.national())


def scan_tile(counts: CellCounts, tile: tuple[int, int], plan: TilePlan, params: IdentifyParams,
              family: int) -> Windows:
    """The windows centred in this tile, as the whole scan finds them."""
    windows = scan_windows(Pyramid(tile_counts(counts, tile, plan)), params.radii(), params.window_units, params.alpha,
                           family)
    column = np.floor(windows.x / FINEST_CELL_KM).astype(np.int64) // plan.tile_cells
    row = np.floor(windows.y / FINEST_CELL_KM).astype(np.int64) // plan.tile_cells
    return windows.take(np.flatnonzero((column == tile[0]) & (row == tile[1])))


def registry_family(counts: CellCounts, params: IdentifyParams) -> int:
    return window_family(Pyramid(counts), params.radii(), params.window_units)


def in_scan_order(parts: list[Windows], params: IdentifyParams) -> Windows:
    """The tiles' windows in the order the whole scan gives them: by radius, then by key (activity,
    column, row) — which matters where two windows have the same likelihood ratio."""
    values = {f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(Windows)
              if f.name not in ("family", "p_search")}
    radius_position = np.searchsorted(np.asarray(params.radii()), values["radius"])
    order = np.lexsort((values["y"], values["x"], values["activity"], radius_position))
    family = parts[0].family if parts else 1
    return Windows(**{name: value[order] for name, value in values.items()}, family=family)
