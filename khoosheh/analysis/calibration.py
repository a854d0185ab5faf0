"""How large a window's likelihood ratio must be to be significant after searching every window:
Monte Carlo relabelling on the grid, with a Gumbel tail (Abrams, Kleinman & Kulldorff 2010).

Under the null of the Bernoulli scan the activity's C labels are spread over the N existing units
at random.  So the null distribution of the largest window LLR depends on C and on where the units
are — not on which activity it is.  A replicate gives C random units the label, counts them on the
same nested grids as the scan and takes the largest LLR over the same window family (discs of
every radius centred on the cells the labelled units occupy, holding at least ``min_units`` of
them).  The maxima of ``replicates`` such draws are fitted by a Gumbel distribution (method of
moments), whose upper tail gives p-values far below 1 / replicates and a critical value that is
steadier than the empirical quantile of a few replicates.

Deterministic: the random generator is seeded from N, C and the grid's occupied cells, so the same
registry always gets the same critical values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .grid import column_offset, disc_columns, window_sums

EULER_GAMMA = 0.5772156649015329


@dataclass(frozen=True)
class Gumbel:
    """A Gumbel (type I extreme value) distribution fitted to replicate maxima."""

    location: float
    scale: float

    @classmethod
    def fit(cls, maxima: np.ndarray) -> Gumbel:
        maxima = np.asarray(maxima, float)
        scale = max(float(maxima.std(ddof=1)) * math.sqrt(6) / math.pi, 1e-9) if len(maxima) > 1 else 1e-9
        return cls(float(maxima.mean()) - EULER_GAMMA * scale, scale)

    def tail(self, x) -> np.ndarray:
        """P(max >= x)."""
        z = (np.asarray(x, float) - self.location) / self.scale
        return -np.expm1(-np.exp(-z))

    def critical(self, alpha: float) -> float:
        """The x whose tail is alpha."""
        return self.location - self.scale * math.log(-math.log1p(-alpha))


@dataclass(frozen=True)
class Ladder:
    """Gumbel fits of the null at a few case counts; between them location and scale are interpolated
    linearly in log(cases) (both vary slowly and smoothly with the count), outside them held."""

    cases: np.ndarray
    fits: list[Gumbel]

    def at(self, cases: float) -> Gumbel:
        if len(self.cases) == 1:
            return self.fits[0]
        where = np.log(self.cases)
        x = math.log(cases)
        return Gumbel(float(np.interp(x, where, [f.location for f in self.fits])),
                      float(np.interp(x, where, [f.scale for f in self.fits])))


class RelabellingNull:
    """The grid scan's largest-LLR statistic under random relabelling, for any number of cases.

    ``unit_cell``: each unit's position among the finest grid's occupied cells; ``levels``: for each
    window radius, (the cells of its grid as sorted keys, each finest cell's position among them,
    the disc's columns, the units of all activities in every cell's window)."""

    def __init__(self, unit_cell: np.ndarray, levels: list[tuple], min_units: int, llr):
        self.unit_cell, self.levels, self.min_units, self.llr = unit_cell, levels, min_units, llr
        self.n_total = len(unit_cell)
        self.n_fine = int(unit_cell.max()) + 1 if len(unit_cell) else 0
        self._drawn: dict[int, tuple[np.random.Generator, list[float]]] = {}

    def maxima(self, cases: int, replicates: int) -> np.ndarray:
        """The largest LLR of each of ``replicates`` relabellings with ``cases`` cases (the same draws
        for the same registry and count, whoever asks; more replicates extend the same stream)."""
        cases = int(cases)
        if cases not in self._drawn:
            seed = [self.n_total, cases, self.n_fine, int(self.unit_cell.sum() % (1 << 32))]
            self._drawn[cases] = (np.random.default_rng(seed), [])
        rng, drawn = self._drawn[cases]
        while len(drawn) < replicates:
            drawn.append(self._replicate(rng, cases))
        return np.array(drawn[:replicates])

    def ladder(self, lowest: float, highest: float, replicates: int, ratio: float) -> Ladder:
        """Gumbel fits of the null at case counts from ``lowest`` to ``highest``, each ``ratio`` times the
        one before (both ends included): the null of any count in between is interpolated."""
        steps = max(1, int(math.ceil(math.log(max(highest, lowest) / lowest) / math.log(ratio) - 1e-9)))
        counts = np.unique(np.rint(np.geomspace(lowest, highest, steps + 1)).astype(np.int64))
        return Ladder(counts, [Gumbel.fit(self.maxima(int(c), replicates)) for c in counts])

    def _replicate(self, rng, cases: int) -> float:
        chosen = rng.choice(self.n_total, size=cases, replace=False)
        fine = np.bincount(self.unit_cell[chosen], minlength=self.n_fine).astype(np.int32)
        top = 0.0
        for parent, lo, hi, window_units in self.levels:
            counts = fine if parent is None else np.bincount(parent, weights=fine, minlength=len(window_units))
            centres = np.flatnonzero(counts)
            cumulative = np.zeros(len(counts) + 1, np.int32)
            np.cumsum(counts, out=cumulative[1:])
            c = np.zeros(len(centres), np.int32)
            for column_lo, column_hi in zip(lo, hi, strict=True):
                c += cumulative[column_hi[centres]] - cumulative[column_lo[centres]]
            enough = c >= self.min_units
            if enough.any():
                value = self.llr(c[enough].astype(float), window_units[centres[enough]], cases, self.n_total)
                top = max(top, float(value.max()))
        return top


def build_levels(finest_keys, finest_counts, radii, level_of, cell_km_of, coarsen) -> list[tuple]:
    """The per-radius tables of :class:`RelabellingNull` from the finest grid of all units: each
    finest cell's position on the radius's grid, and for every cell of that grid and every column
    of its disc the run of sorted cells the column covers (the binary searches of grid.window_sums,
    done once here since the cells do not change between replicates — only their counts do), and
    the units of all activities in each cell's window.  ``coarsen(keys, levels_up)`` gives each
    key's parent key that many levels up."""
    levels = []
    for r in radii:
        level = level_of(r)
        parent_keys = coarsen(finest_keys, level) if level else finest_keys
        keys, parent = np.unique(parent_keys, return_inverse=True)
        counts = np.bincount(parent, weights=finest_counts, minlength=len(keys))
        disc = disc_columns(r / cell_km_of(level))
        lo = np.empty((len(disc), len(keys)), np.int32)
        hi = np.empty((len(disc), len(keys)), np.int32)
        for k, (dx, h) in enumerate(disc):
            base = keys + column_offset(dx)
            lo[k] = np.searchsorted(keys, base - h, side="left")
            hi[k] = np.searchsorted(keys, base + h, side="right")
        levels.append((parent if level else None, lo, hi, window_sums(keys, counts, keys, disc)))
    return levels
