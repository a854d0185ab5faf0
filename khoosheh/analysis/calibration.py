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

from .grid import disc_columns, window_sums

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

    def maxima(self, cases: int, replicates: int, *, beat: float | None = None, stop_after: int = 0) -> np.ndarray:
        """The largest LLR of each of ``replicates`` relabellings with ``cases`` cases (the same draws
        for the same registry and count, whoever asks).  With ``beat`` and ``stop_after``: sequential
        Monte Carlo (Besag & Clifford 1991) — stop as soon as ``stop_after`` maxima reach ``beat``, since
        a window of that LLR then has a p-value of at least stop_after / replicates."""
        cases = int(cases)
        if cases not in self._drawn:
            seed = [self.n_total, cases, self.n_fine, int(self.unit_cell.sum() % (1 << 32))]
            self._drawn[cases] = (np.random.default_rng(seed), [])
        rng, drawn = self._drawn[cases]
        exceeding = 0
        for k in range(replicates):
            if k == len(drawn):
                drawn.append(self._replicate(rng, cases))
            if beat is not None and drawn[k] >= beat:
                exceeding += 1
                if stop_after and exceeding >= stop_after:
                    return np.array(drawn[: k + 1])
        return np.array(drawn[:replicates])

    def _replicate(self, rng, cases: int) -> float:
        chosen = rng.choice(self.n_total, size=cases, replace=False)
        fine = np.bincount(self.unit_cell[chosen], minlength=self.n_fine)
        top = 0.0
        for keys, parent, disc, window_units in self.levels:
            counts = fine if parent is None else np.bincount(parent, weights=fine, minlength=len(keys))
            centres = np.flatnonzero(counts)
            c = window_sums(keys, counts.astype(float), keys[centres], disc)
            enough = c >= self.min_units
            if enough.any():
                value = self.llr(c[enough], window_units[centres[enough]], cases, self.n_total)
                top = max(top, float(value.max()))
        return top


def build_levels(finest_keys, finest_counts, radii, level_of, cell_km_of, coarsen) -> list[tuple]:
    """The per-radius tables of :class:`RelabellingNull` from the finest grid of all units.
    ``coarsen(keys, levels_up)`` gives each key's parent key that many levels up."""
    levels = []
    for r in radii:
        level = level_of(r)
        parent_keys = coarsen(finest_keys, level) if level else finest_keys
        keys, parent = np.unique(parent_keys, return_inverse=True)
        counts = np.bincount(parent, weights=finest_counts, minlength=len(keys))
        disc = disc_columns(r / cell_km_of(level))
        levels.append((keys, parent if level else None, disc, window_sums(keys, counts, keys, disc)))
    return levels
