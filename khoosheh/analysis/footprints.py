"""Stage 4 of identification: the footprint and members of each selected window, from the units of
its activity near it and the counts of all units around it.

Per activity, the candidates (significant windows, in decreasing LLR) are taken in turn; each is
kept when it overlaps neither a window nor a footprint kept before (Kulldorff's secondary clusters
without geographical overlap) and its footprint is not hollow.  Only the activity's units within
``gather_reach`` of a candidate matter, so a distributed engine need gather just those.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .counting import FINEST_CELL_KM
from .grid import column_start, key_column, key_row
from .scan import Windows

# Each chosen on the tuning seeds only.
FOOTPRINT_STEP = 1.15  # a footprint's radius is chosen on a ladder 15% apart
FOOTPRINT_REACH = 2.0  # ... up to twice its window's radius (1.5-3 alike; unbounded merges neighbours)
FOOTPRINT_Z = 2.0  # its excess is counted this many standard deviations low (J 0.845, 0.848, 0.851 for 0-2)
HOLLOW_SHARE = 0.25  # a footprint whose inner half holds less of its excess is hollow, not reported


@dataclass(frozen=True)
class Footprint:
    """A kept window's cluster before description.

    Attributes
    ----------
    activity : int
        The activity's position in the registry's activity list.
    members : ndarray of int
        Positions in the input columns of the activity's units inside the footprint (and in no
        footprint kept before).
    lq : float
        The footprint's location quotient: its share of the activity over the national share.
    p_value : float
        The winning window's p-value for the whole search.
    x, y, radius : float
        The footprint disc (projected km).
    """

    activity: int
    members: np.ndarray
    lq: float
    p_value: float
    x: float
    y: float
    radius: float


def gather_reach(windows: Windows) -> np.ndarray:
    """How far (km) from each window's centre the activity's units can affect its footprint: its
    units are averaged within the window's radius, and the footprint reaches FOOTPRINT_REACH radii
    from that mean."""
    return (1.0 + FOOTPRINT_REACH) * windows.radius


def footprint_radii(radii) -> np.ndarray:
    """The finer ladder a footprint's radius is chosen on: steps of FOOTPRINT_STEP from the smallest
    window radius to FOOTPRINT_REACH times the largest (exact distances make a fine ladder cheap here).

    It reaches past the largest window because a diffuse cluster does: a plant of 8 km spread holds
    only 83% of its members within 15 km, and its best disc is 18-27 km wide (issue 11's seventh round:
    the ladder stopping at 15 km cost mean Jaccard 0.01 and some matches; methodology.md)."""
    low, high = min(radii), FOOTPRINT_REACH * max(radii)
    steps = int(np.ceil(np.log(high / low) / np.log(FOOTPRINT_STEP)))
    return np.unique(np.concatenate([np.geomspace(low, high, steps + 1), radii]))


def activity_footprints(candidates: Windows, index: np.ndarray, x: np.ndarray, y: np.ndarray,
                        around: Surroundings) -> list[Footprint]:
    """The footprints of one activity's candidates (significant windows in decreasing LLR, all of one
    activity), from its units' input positions ``index`` and projected ``x``, ``y`` (at least those
    within gather_reach of a candidate, in increasing position)."""
    kept = []
    free = np.ones(len(index), bool)  # a unit belongs to one cluster at most
    share = float(candidates.share[0])
    remaining = np.arange(len(candidates))
    while len(remaining):
        best = remaining[0]
        wx, wy, wr = candidates.x[best], candidates.y[best], candidates.radius[best]
        inside = (x - wx) ** 2 + (y - wy) ** 2 <= wr**2
        # The footprint: centred on the activity's units in the winning window, with the radius
        # of the ladder at which the units in excess of the activity's share are best covered.
        fx, fy = (float(x[inside].mean()), float(y[inside].mean())) if inside.any() else (wx, wy)
        d2 = (x - fx) ** 2 + (y - fy) ** 2
        fr, footprint_lq = around.footprint(fx, fy, d2, share, FOOTPRINT_REACH * wr)
        if around.hollow(fx, fy, d2, fr, share):
            # Its inner half holds little of its excess: two groups with little between them (each
            # has windows of its own), or the rim of a cluster centred elsewhere.
            remaining = remaining[1:]
            continue
        inside = (d2 <= fr**2) & free
        free &= ~inside
        kept.append(Footprint(int(candidates.activity[best]), index[inside], footprint_lq,
                              float(candidates.p_search[best]), fx, fy, fr))
        rx, ry, rr = candidates.x[remaining], candidates.y[remaining], candidates.radius[remaining]
        apart = (np.hypot(rx - wx, ry - wy) >= rr + wr) & (np.hypot(rx - fx, ry - fy) >= rr + fr)
        remaining = remaining[apart]
    return kept


class Surroundings:
    """Counts of all units around a point, by ring of the radius ladder, from the finest grid's cells
    (sorted keys, group 0) and their counts."""

    def __init__(self, cells, counts, radii):
        self.cells, self.counts = cells, counts
        self.cx, self.cy = key_column(cells), key_row(cells)
        self.radii = np.asarray(sorted(radii), float)

    def units_within(self, x0, y0, radii=None) -> np.ndarray:
        """All units within each radius of (x0, y0) (cell centres, finest grid)."""
        radii = self.radii if radii is None else np.asarray(radii, float)
        reach = int(np.ceil(radii[-1] / FINEST_CELL_KM)) + 1
        column = int(np.floor(x0 / FINEST_CELL_KM))
        lo = np.searchsorted(self.cells, column_start(column - reach))
        hi = np.searchsorted(self.cells, column_start(column + reach + 1))
        dx = (self.cx[lo:hi] + 0.5) * FINEST_CELL_KM - x0
        dy = (self.cy[lo:hi] + 0.5) * FINEST_CELL_KM - y0
        return _within(dx**2 + dy**2, self.counts[lo:hi], radii)

    def units_in(self, x0, y0, radius) -> float:
        return float(self.units_within(x0, y0, [radius])[0])

    def hollow(self, x0, y0, case_d2, radius, share) -> bool:
        """Whether the disc of half the radius holds less than HOLLOW_SHARE of the disc's excess."""
        def excess(r):
            c = float((case_d2 <= r**2).sum())
            return c - max(self.units_in(x0, y0, r) - c, 0) * share / (1 - share)
        return excess(radius / 2) < HOLLOW_SHARE * excess(radius)

    def footprint(self, x0, y0, case_d2, share, largest) -> tuple[float, float]:
        """The radius whose disc best covers the activity's excess around (x0, y0),
        and the disc's LQ.  Excess = cases − the cases that the disc's other units
        imply at the national share; of a plant of T excess units (the largest
        excess over the ladder), a disc with excess E and B ordinary cases
        overlaps it at Jaccard E / (T + B): the radius maximising that."""
        n = self.units_within(x0, y0)
        c = _within(case_d2, np.ones(len(case_d2)), self.radii)
        ordinary = np.maximum(n - c, 0) * share / (1 - share)
        excess = c - ordinary - FOOTPRINT_Z * np.sqrt(ordinary)
        allowed = self.radii <= largest + 1e-9
        jaccard = np.where(allowed, excess / (max(excess[allowed].max(), 1e-9) + ordinary), -np.inf)
        best = int(np.argmax(jaccard))
        return float(self.radii[best]), float(c[best] / max(n[best], c[best], 1) / share)


def _within(d2, weights, radii) -> np.ndarray:
    ring = np.searchsorted(radii**2, d2, side="left")
    return np.cumsum(np.bincount(ring, weights=weights, minlength=len(radii) + 1)[: len(radii)])
