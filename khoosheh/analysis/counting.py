"""Stage 2 of identification: units counted per (activity, cell) and per cell on the finest grid —
a table that partitions of the registry compute alone and merge by summing — and the coarser grids
derived from the merged counts."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .grid import GROUP_SHIFT, cell_ids, key_group, parent_keys

FINEST_CELL_KM = 0.25  # units are counted on grids of 0.25, 0.5, 1, 2, 4 ... km


def cell_km(level: int) -> float:
    """The side of the cells of grid ``level`` (each twice the one before)."""
    return FINEST_CELL_KM * 2**level


def finest_cells(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Each point's cell key on the finest grid (group 0)."""
    return cell_ids(x, y, FINEST_CELL_KM)


@dataclass(frozen=True)
class CellCounts:
    """Units on the finest grid, as sorted keys and their counts.

    Attributes
    ----------
    keys, counts : ndarray of int64
        Every occupied (activity, cell), as grid.pack_keys(activity position, column, row), sorted,
        and its number of units.
    cells, cell_counts : ndarray of int64
        Every occupied cell (group 0), sorted, and its number of units of all activities.
    n_activities : int
        The length of the activity list the keys' groups refer to (placement.activity_list).
    """

    keys: np.ndarray
    counts: np.ndarray
    cells: np.ndarray
    cell_counts: np.ndarray
    n_activities: int

    @property
    def n_units(self) -> int:
        return int(self.cell_counts.sum())

    def national(self) -> np.ndarray:
        """Units of each activity in the whole registry (float, by activity position)."""
        return np.bincount(key_group(self.keys), weights=self.counts, minlength=self.n_activities).astype(float)


def count_units(x: np.ndarray, y: np.ndarray, activity: np.ndarray, n_activities: int) -> CellCounts:
    """The counts of one partition (or of the whole registry): ``activity`` is each unit's position
    in the registry's activity list."""
    cells = finest_cells(x, y)
    keys, counts = np.unique((np.asarray(activity, np.int64) << GROUP_SHIFT) | cells, return_counts=True)
    unique_cells, cell_counts = np.unique(cells, return_counts=True)
    return CellCounts(keys, counts.astype(np.int64), unique_cells, cell_counts.astype(np.int64), n_activities)


def merge_counts(*parts: CellCounts) -> CellCounts:
    """The counts of the union of partitions: keys united, counts summed (the order of the parts
    does not matter)."""
    if len({p.n_activities for p in parts}) != 1:
        raise ValueError("partitions must be counted against the same activity list")
    keys, counts, _ = _sum_by_key(np.concatenate([p.keys for p in parts]), np.concatenate([p.counts for p in parts]))
    cells, cell_counts, _ = _sum_by_key(np.concatenate([p.cells for p in parts]),
                                        np.concatenate([p.cell_counts for p in parts]))
    return CellCounts(keys, counts, cells, cell_counts, parts[0].n_activities)


@dataclass
class Pyramid:
    """The merged counts on the finest grid and, derived from them by merging cells two by two, on
    every coarser grid asked for (computed when first asked, then kept).  Counts are floats, as the
    sums over windows are."""

    finest: CellCounts
    _activity: dict = field(default_factory=dict, repr=False)
    _cells: dict = field(default_factory=dict, repr=False)
    # level -> each key's position among the keys of grid level + 1 (found while merging, kept for parents())
    _activity_up: dict = field(default_factory=dict, repr=False)
    _cells_up: dict = field(default_factory=dict, repr=False)

    def activity(self, level: int) -> tuple[np.ndarray, np.ndarray]:
        """(keys, counts) of every occupied (activity, cell) on grid ``level``."""
        return _grid(self._activity, self._activity_up, level, self.finest.keys, self.finest.counts)

    def cells(self, level: int) -> tuple[np.ndarray, np.ndarray]:
        """(keys, counts) of every occupied cell of grid ``level``, units of all activities."""
        return _grid(self._cells, self._cells_up, level, self.finest.cells, self.finest.cell_counts)

    def activity_parents(self, level: int, levels_up: int) -> np.ndarray:
        """For each key of ``activity(level)``, its position among the keys of ``activity(level + levels_up)``:
        the cell containing it, of the same activity (a lookup, where a search would cost a binary search
        per key)."""
        self.activity(level + levels_up)
        return _compose(self._activity_up, level, levels_up)

    def cell_parents(self, level: int, levels_up: int) -> np.ndarray:
        """As activity_parents, for the keys of ``cells(level)``."""
        self.cells(level + levels_up)
        return _compose(self._cells_up, level, levels_up)

    def only(self, activities) -> Pyramid:
        """The same counts for some activities only (positions), all-unit cell counts unchanged: what
        a scan of those activities alone needs."""
        keep = np.isin(key_group(self.finest.keys), np.asarray(activities, np.int64))
        finest = CellCounts(self.finest.keys[keep], self.finest.counts[keep], self.finest.cells,
                            self.finest.cell_counts, self.finest.n_activities)
        return Pyramid(finest, _cells=dict(self._cells), _cells_up=dict(self._cells_up))


def _grid(grids: dict, up: dict, level: int, finest_keys, finest_counts) -> tuple[np.ndarray, np.ndarray]:
    """Grid ``level`` of ``grids`` (level -> keys, counts), merged from the one below when first asked;
    each merge records where the finer keys went in ``up``."""
    if level not in grids:
        if level == 0:
            grids[0] = (finest_keys, finest_counts.astype(float))
        else:
            keys, counts = _grid(grids, up, level - 1, finest_keys, finest_counts)
            merged, totals, up[level - 1] = _sum_by_key(parent_keys(keys, 1), counts)
            grids[level] = (merged, totals)
    return grids[level]


def _compose(up: dict, level: int, levels_up: int) -> np.ndarray:
    """Each key's position ``levels_up`` grids up, from the one-level steps ``up`` recorded by _grid."""
    index = up[level]
    for above in range(level + 1, level + levels_up):
        index = up[above][index]
    return index


def _sum_by_key(keys, counts):
    """Keys united (sorted), their counts summed, and each input key's position among the united keys.
    A stable sort, because the keys come in sorted runs (the parts merged, or a sorted grid's keys
    coarsened: one run per column), which timsort merges in a third of the time np.unique's sort takes; and
    it keeps equal keys in input order, so the sums are those np.bincount gave."""
    order = np.argsort(keys, kind="stable")
    ordered, counts = np.asarray(keys)[order], np.asarray(counts)[order]
    new = np.concatenate([[True], ordered[1:] != ordered[:-1]]) if len(ordered) else np.zeros(0, bool)
    first = np.flatnonzero(new)
    position = np.empty(len(order), np.int64)
    position[order] = np.cumsum(new) - 1
    return ordered[first], (np.add.reduceat(counts, first) if len(first) else counts), position
