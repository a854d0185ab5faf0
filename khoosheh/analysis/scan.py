"""Stage 3 of identification: the grid scan — candidate windows of each activity on the merged
counts, their Bernoulli likelihood ratio, and their significance for the whole search.

Each activity's windows depend only on its own counts and on the counts of all units, so the scan
of an activity is independent of every other's (``Pyramid.only`` gives an activity's share of the
work); only the family size (the Bonferroni factor) and the Monte Carlo null are registry-wide, and
both depend on where units are, not on their labels.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields

import numpy as np
from scipy.special import bdtrc, xlogy

from .calibration import RelabellingNull, build_levels
from .counting import FINEST_CELL_KM, Pyramid, cell_km
from .grid import disc_columns, key_cell, key_column, key_group, key_row, parent_keys, window_sums

# Window radii (km): from a workshop quarter to a district of towns, each twice the one before.  A
# finer ladder (1, 1.5, 2, 3, 4, 6, 8, 11, 15) found the same clusters on the tuning seeds (F1 0.758
# against 0.760) at twice the cost; a footprint's own radius is chosen on a finer ladder anyway.
RADII_KM = (1.0, 2.0, 4.0, 8.0, 15.0)
MAX_RADIUS_KM = 15.0  # the default largest window (``distance_km``)
CELLS_PER_RADIUS = 3  # a window's radius spans at least this many cells of its grid
BOUND_LEVELS = 2  # candidate windows are pre-screened on the grid four times as coarse
# Significance (docs/methodology.md, step 5): Monte Carlo relabelling on the grid with a Gumbel tail,
# run only for activities with a window that Bonferroni cannot settle.
REPLICATES = 29  # relabellings at each case count of the ladder
LADDER_RATIO = 2.0  # the ladder's case counts, each twice the one before, span the activities that need it
SINGLE_WINDOW_LLR = 2.7  # below this LLR not even one window tested alone is significant at 1% (chi-square)
# A window may hold fewer of its activity's units than a cluster must (min_units): a cluster's most likely
# window is often its dense core, whose footprint then takes the members; and a compact group below
# min_units is judged as what it is, a group too small, instead of being made a cluster by a wider window
# that adds a few ordinary units (docs/methodology.md, step 3).  Tuning: 0.6 and 0.8 alike, 1 worse.
WINDOW_SHARE = 0.6


def window_floor(min_units: int) -> int:
    """The fewest units of its activity a window must hold to be searched, for clusters of ``min_units``."""
    return max(1, int(np.ceil(WINDOW_SHARE * min_units - 1e-9)))


@dataclass
class Windows:
    """Candidate windows: discs holding at least the window floor of their activity's units
    (window_floor) and more than its national share (one entry a window).

    Attributes
    ----------
    activity : ndarray of int
        The activity's position in the registry's activity list.
    x, y, radius : ndarray of float
        The disc: centre (projected km, a cell centre of its grid) and radius (km).
    cases, units : ndarray of float
        The activity's units in the disc, and the units of all activities there.
    llr : ndarray of float
        Kulldorff's Bernoulli log-likelihood ratio of the window.
    p_window : ndarray of float
        The exact tail P(X >= cases), X ~ Bin(units, share): the test of this one window (1 where it
        cannot pass and was not computed).
    share : ndarray of float
        The activity's national share (its units / all units).
    family : int
        Windows searched per activity (the Bonferroni factor).
    p_search : ndarray of float or None
        The p-value for the whole search over centres and radii (search_p_values).
    """

    activity: np.ndarray
    x: np.ndarray
    y: np.ndarray
    radius: np.ndarray
    cases: np.ndarray
    units: np.ndarray
    llr: np.ndarray
    p_window: np.ndarray
    share: np.ndarray
    family: int
    p_search: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.cases)

    @property
    def lq(self) -> np.ndarray:
        return self.cases / self.units / self.share

    def take(self, index) -> Windows:
        """The windows at these positions, in this order."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return Windows(**{name: (value if name == "family" or value is None else value[index])
                          for name, value in values.items()})


def grid_level(radius_km: float) -> int:
    """Which grid a radius is counted on: the coarsest (cells of 0.25·2^k km)
    on which the radius still spans CELLS_PER_RADIUS cells."""
    return max(0, int(np.floor(np.log2(radius_km / CELLS_PER_RADIUS / FINEST_CELL_KM) + 1e-9)))


def window_family(pyramid: Pyramid, radii, floor: int) -> int:
    """How many windows are searched per activity: every occupied cell's window, at every radius, that
    could hold ``floor`` units of an activity (the window floor, window_floor; a window with fewer is never
    searched, so costs nothing).

    Fixed by where units are, not by labels.  Whether a window could is bounded from the grid four
    times as coarse, by the square of its cells that covers the disc: counting a few windows too many
    keeps Bonferroni conservative."""
    family, bounds = 0, {}
    for r in radii:
        level = grid_level(r)
        reach = _reach(r / cell_km(level))
        if (level, reach) not in bounds:
            bounds[(level, reach)] = _block_bound(*pyramid.cells(level + BOUND_LEVELS), reach,
                                                  pyramid.cell_parents(level, BOUND_LEVELS))
        family += int((bounds[(level, reach)] >= floor).sum())
    return max(family, 1)


def scan_windows(pyramid: Pyramid, radii, floor: int, alpha: float | None, family: int) -> Windows:
    """Cases, units, LLR and tail of every candidate window of the pyramid's activities (steps 2-3
    of the method) holding at least ``floor`` of its activity's units (the window floor, window_floor)."""
    n_total = pyramid.finest.n_units
    national = pyramid.finest.national()
    parts, bounds = [], {}
    for r in radii:
        level = grid_level(r)
        size = cell_km(level)
        disc = disc_columns(r / size)
        cells, cell_counts = pyramid.cells(level)
        keys, counts = pyramid.activity(level)
        # Only the windows whose activity can reach the floor there are counted exactly.
        reach = _reach(r / size)
        if (level, reach) not in bounds:
            bounds[(level, reach)] = _block_bound(*pyramid.activity(level + BOUND_LEVELS), reach,
                                                  pyramid.activity_parents(level, BOUND_LEVELS))
        live = np.nonzero(bounds[(level, reach)] >= floor)[0]
        c = window_sums(keys, counts, keys[live], disc)
        live, c = live[c >= floor], c[c >= floor]
        key = keys[live]
        live_cells, at = np.unique(key_cell(key), return_inverse=True)
        n = window_sums(cells, cell_counts, live_cells, disc)[at]
        activity = key_group(key)
        expected = n * national[activity] / n_total
        # Less than two standard deviations above expectation: the exact tail is above 0.02, never
        # significant, and skipping it saves computing a million logarithms on a national registry.
        keep = c - expected > 2 * np.sqrt(expected)
        key = key[keep]
        parts.append((activity[keep], (key_column(key) + 0.5) * size, (key_row(key) + 0.5) * size,
                      np.full(len(key), r), c[keep], n[keep]))
    activity, wx, wy, radius, c, n = (np.concatenate(column) for column in zip(*parts, strict=True))
    total_cases = national[activity]
    share = total_cases / n_total
    llr = bernoulli_llr(c, n, total_cases, n_total)
    tail = np.ones(len(c))
    # The exact tail only where it might pass: P(X >= c) >= exp(-LLR) / sqrt(8c) (the LLR bounds the
    # binomial's Chernoff exponent from above; Ash 1990, lemma 4.7.2), so below that LLR it cannot.
    worth = llr >= np.log(family / (alpha or 1.0)) - 0.5 * np.log(8 * c) if alpha else np.ones(len(c), bool)
    tail[worth] = upper_tail(c[worth], n[worth], share[worth])
    return Windows(activity, wx, wy, radius, c, n, llr, tail, share, family)


def search_p_values(windows: Windows, national: np.ndarray, *, significance: str, alpha: float, min_lq: float,
                    null: Callable[[], RelabellingNull]) -> np.ndarray:
    """Each window's p-value for the whole search over centres and radii (step 5 of the method).

    Bonferroni — the window's exact tail times the family size — is valid but strict.  With
    ``significance="monte carlo"``, where it leaves a window open (not significant by Bonferroni, yet
    with LQ >= min_lq and an LLR that a single window could reach at the level), the activity's
    windows get the Monte Carlo p-value instead: the Gumbel tail at their LLR of the largest-LLR
    statistic under relabelling (RelabellingNull, built by ``null()`` only then), taken when smaller
    than Bonferroni's.  The null depends on the activity only through its count, so it is computed
    once per registry on a ladder of counts spanning the activities that need it, and interpolated
    (calibration.Ladder)."""
    bonferroni = np.minimum(1.0, windows.p_window * windows.family)
    if significance == "bonferroni" or not len(bonferroni):
        return bonferroni
    open_window = (bonferroni > alpha) & (windows.lq >= min_lq) & (windows.llr >= SINGLE_WINDOW_LLR)
    needing = np.unique(windows.activity[open_window])
    if not len(needing):
        return bonferroni
    ladder = null().ladder(national[needing].min(), national[needing].max(), REPLICATES, LADDER_RATIO)
    p_search = bonferroni.copy()
    for a in needing:
        own = windows.activity == a
        p_search[own] = np.minimum(bonferroni[own], ladder.at(national[a]).tail(windows.llr[own]))
    return p_search


def relabelling_null(pyramid: Pyramid, unit_cells: np.ndarray, radii, floor: int) -> RelabellingNull:
    """The null of the grid scan's statistic for this registry, over the window family of scan_windows.
    ``unit_cells``: every unit's finest cell key (counting.finest_cells), in the input order."""
    cells, cell_counts = pyramid.cells(0)
    levels = build_levels(cells, cell_counts, radii, grid_level, cell_km, parent_keys)
    return RelabellingNull(np.searchsorted(cells, unit_cells), levels, floor, bernoulli_llr)


def significant_by_activity(windows: Windows, alpha: float, min_lq: float) -> list[Windows]:
    """The windows significant for the whole search with LQ >= min_lq, one Windows per activity, each
    in decreasing LLR (ties in the scan's order): the candidates of the non-overlapping selection."""
    significant = np.nonzero((windows.p_search <= alpha) & (windows.lq >= min_lq))[0]
    order = significant[np.lexsort((-windows.llr[significant], windows.activity[significant]))]
    bounds = np.flatnonzero(np.diff(windows.activity[order])) + 1
    return [windows.take(part) for part in np.split(order, bounds)] if len(order) else []


def bernoulli_llr(c, n, total_cases, n_total):
    """Kulldorff's Bernoulli log-likelihood ratio of a window with c cases among
    n units, when the whole map has ``total_cases`` among ``n_total``; 0 where
    the window's rate is not above the rate outside it (Kulldorff 1997)."""
    c, n = np.asarray(c, float), np.asarray(n, float)
    big_c, big_n = np.asarray(total_cases, float), float(n_total)
    out_n = np.maximum(big_n - n, 1e-300)
    out_c = big_c - c
    value = (xlogy(c, c / n) + xlogy(n - c, (n - c) / n) + xlogy(out_c, out_c / out_n)
             + xlogy(out_n - out_c, (out_n - out_c) / out_n)
             - xlogy(big_c, big_c / big_n) - xlogy(big_n - big_c, (big_n - big_c) / big_n))
    return np.where(c / n > out_c / out_n, np.maximum(value, 0.0), 0.0)


def upper_tail(k, n, p):
    """P(X >= k) for X ~ Binomial(n, p).

    Random relabelling draws the n labels of a neighbourhood from the national
    pool without replacement, so k is hypergeometric; with n far below the
    national total the binomial is a close and slightly conservative stand-in
    (its tail is the heavier), and it is computed in C for a million tests at once.
    """
    k, n = np.rint(k).astype(np.int64), np.rint(n).astype(np.int64)
    return np.where(k <= 0, 1.0, bdtrc(np.maximum(k - 1, 0), n, p))


def _reach(radius_cells: float) -> int:
    """Coarse cells each way (BOUND_LEVELS up) that cover a disc of this radius in cells."""
    return int(np.ceil(radius_cells / 2**BOUND_LEVELS))


def _block_bound(coarse_keys, coarse_counts, reach, parents) -> np.ndarray:
    """For each key of a grid, the sum over the square of coarse cells (BOUND_LEVELS up) that covers its
    disc: ``reach`` coarse cells each way around its parent (``parents``: each key's position among the
    coarse keys)."""
    square = [(dx, reach) for dx in range(-reach, reach + 1)]
    return window_sums(coarse_keys, coarse_counts, coarse_keys, square)[parents]
