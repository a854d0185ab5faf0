"""Identify industrial clusters: significant local over-representation of one
activity against the distribution of all industrial units, each judged at the
scale that suits it.

The method (docs/methodology.md explains and justifies it) is Kulldorff's
Bernoulli spatial scan (cases = units of the activity, controls = all other
units) evaluated on a grid so that it stays linear in the number of units.  It
runs in five pure stages, each in its own module and passing plain data, so that
a distributed engine can run the per-unit stages per partition and the rest per
activity and get the same clusters:

1. placement.place_units — project every unit to kilometres (units without
   coordinates stand at their county seat) and cut its activity code.  Per unit.
2. counting.count_units / merge_counts — units per (activity, cell) and per cell
   on a fine grid (``FINEST_CELL_KM``), as sorted keys and counts that
   partitions merge by summing; counting.Pyramid derives the coarser grids by
   merging cells two by two.
3. scan — windows are discs of the radii ``RADII_KM`` (1 to 15 km, up to
   ``distance_km``) centred on the cells where the activity occurs; each radius
   uses the coarsest grid on which it still spans ``CELLS_PER_RADIUS`` cells, so
   a disc costs a fixed number of binary searches (grid.window_sums) whatever
   its size.  Each window's Bernoulli log-likelihood ratio (Kulldorff 1997) and
   its exact tail P(X >= c), X ~ Bin(n, C/N).  The search over many centres and
   radii is paid for by relabelling on the same grid with a Gumbel tail
   (calibration.py; windows from 0.6 x ``min_units`` units, scan.WINDOW_SHARE) up
   to MONTE_CARLO_UNITS units, and above by Bonferroni over the whole fixed
   family of windows that could hold ``min_units`` units (conservative next to
   Monte Carlo ranking of the maximum LLR, which tests/analysis/test_scan.py
   checks); ``significance`` asks for either.  Independent per activity.
4. footprints — per activity, the significant windows in order of LLR, each kept
   when it does not overlap one kept before (Kulldorff's secondary clusters
   without geographical overlap).  Members: the activity's units inside its
   footprint, a disc around them whose radius best covers the window's excess.
5. describe — indicators of each cluster from its members; ids, scores, stars.

Deterministic: nothing is random (the Monte Carlo option seeds its generator
from the registry), so the same input and parameters give the same clusters, in
the same order, with the same ids.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from khoosheh.core.progress import ProgressCallback, no_progress

from .columns import UnitColumns
from .counting import CellCounts, Pyramid, count_units, finest_cells
from .describe import Cluster, describe_cluster, finish_clusters
from .footprints import Footprint, Surroundings, activity_footprints, footprint_radii
from .placement import PlacedUnits, activity_index, activity_list, place_units
from .scan import (
    MAX_RADIUS_KM,
    RADII_KM,
    Windows,
    relabelling_null,
    scan_windows,
    search_p_values,
    significant_by_activity,
    window_family,
    window_floor,
)

__all__ = ["Cluster", "ClusterIdentifier", "IdentifyParams", "UnitColumns", "identify_clusters"]

SIGNIFICANCE = ("auto", "monte carlo", "bonferroni")
# "auto" pays for the search by Monte Carlo up to this many units and by Bonferroni above: relabelling finds
# the weak clusters that Bonferroni's strictness misses (methodology.md, step 5) and costs about a second at
# 100,000 units, but several at a national registry, where Bonferroni keeps the analysis within 3 s.
MONTE_CARLO_UNITS = 200_000


@dataclass(frozen=True)
class IdentifyParams:
    """Thresholds of the method; docs/methodology.md gives each one's reason."""

    distance_km: float = MAX_RADIUS_KM  # the largest window radius
    min_units: int = 10
    min_employees: int = 0
    alpha: float = 0.01
    min_lq: float = 1.5
    # "monte carlo" (relabelling on the grid, Gumbel tail), "bonferroni" (the window's tail times the family
    # size: strict, and fast at any size) or "auto": Monte Carlo up to MONTE_CARLO_UNITS units (methodology.md,
    # step 5).
    significance: str = "auto"
    activity_level: int = 4  # 4: ISIC class; 3: group; 2: division ("related activities")
    radii_km: tuple[float, ...] = RADII_KM  # the ladder, cut at distance_km

    def __post_init__(self):
        if self.distance_km <= 0:
            raise ValueError("distance_km must be positive")
        if not 0 < self.alpha < 1:
            raise ValueError("alpha must lie between 0 and 1")
        if self.min_units < 1:
            raise ValueError("min_units must be at least 1")
        if self.activity_level not in (2, 3, 4):
            raise ValueError("activity_level must be 2, 3 or 4")
        if self.significance not in SIGNIFICANCE:
            raise ValueError('significance must be "auto", "monte carlo" or "bonferroni"')
        if not self.radii_km or min(self.radii_km) <= 0:
            raise ValueError("radii_km must be positive")
        # Parameters come back from JSON (stored runs, queued jobs) with a list here.
        object.__setattr__(self, "radii_km", tuple(float(r) for r in self.radii_km))

    def for_registry(self, n_units: int) -> IdentifyParams:
        """These parameters with "auto" significance settled for a registry of ``n_units`` units."""
        if self.significance != "auto":
            return self
        return dataclasses.replace(self, significance="monte carlo" if n_units <= MONTE_CARLO_UNITS else "bonferroni")

    @property
    def window_units(self) -> int:
        """The fewest units of its activity a window must hold to be searched: fewer than a cluster needs
        under Monte Carlo (scan.window_floor); ``min_units`` under Bonferroni, whose bar every window searched
        raises and which found nothing more with the smaller windows (methodology.md, step 3)."""
        return self.min_units if self.significance == "bonferroni" else window_floor(self.min_units)

    def radii(self) -> list[float]:
        """The radii searched: the ladder below distance_km, and distance_km itself."""
        return sorted({float(r) for r in self.radii_km if r < self.distance_km} | {float(self.distance_km)})


# The method's steps, as progress reports them (and the portal's job page names them).
METHOD_STEPS = ("grid", "local statistics", "grouping", "clusters")


class ClusterIdentifier:
    """``ClusterIdentifier(params).fit(columns)`` sets ``clusters_`` (list of
    Cluster), ``labels_`` (cluster position for each unit, -1 for none) and ``params_``
    (the parameters as the fit used them: "auto" significance settled for the registry)."""

    def __init__(self, params: IdentifyParams | None = None, *, progress: ProgressCallback | None = None):
        self.params = params or IdentifyParams()
        self._progress = progress or no_progress

    def progress(self, stage: str) -> None:
        """The one progress protocol (core/progress.py): step i of the method's METHOD_STEPS."""
        self._progress(stage, METHOD_STEPS.index(stage), len(METHOD_STEPS))

    def fit(self, units: UnitColumns) -> ClusterIdentifier:
        self.labels_ = np.full(len(units), -1, dtype=np.int64)
        self.clusters_: list[Cluster] = []
        self.params_ = params = self.params.for_registry(len(units))
        if len(units) == 0:
            return self
        self.progress("grid")
        placed, activities, codes, counts = count_registry(units, params.activity_level)
        self.progress("local statistics")
        candidates = scan(counts, placed, params)
        self.progress("grouping")
        for footprint in footprints(candidates, counts, placed, codes, params):
            if not reportable(footprint, units.employees[footprint.members], params):
                continue
            self.clusters_.append(describe_cluster(units, placed, footprint.members, activities[footprint.activity],
                                                   footprint.lq, footprint.p_value))
        self.progress("clusters")
        self.labels_ = finish_clusters(self.clusters_, units)
        return self


def reportable(footprint: Footprint, member_employees: np.ndarray, params: IdentifyParams) -> bool:
    """Whether a footprint is reported as a cluster: ``min_units`` members with ``min_employees`` employees.
    One that is not still keeps the windows it overlaps out (footprints.py), though its window was searched
    (scan.WINDOW_SHARE): a group below the minimum is not made a cluster by a wider window round it."""
    return len(footprint.members) >= params.min_units and np.nansum(member_employees) >= params.min_employees


def count_registry(units: UnitColumns, activity_level: int = 4):
    """Stages 1-2 on one machine: (placed units, activity list, each unit's activity position, counts)."""
    placed = place_units(units, activity_level)
    activities = activity_list(placed)
    codes = activity_index(placed, activities)
    return placed, activities, codes, count_units(placed.x, placed.y, codes, len(activities))


def registry_windows(counts: CellCounts, params: IdentifyParams) -> tuple[Pyramid, Windows]:
    """The scan's candidate windows of every activity (p_search not yet set), and the pyramid."""
    pyramid = Pyramid(counts)
    family = window_family(pyramid, params.radii(), params.window_units)
    return pyramid, scan_windows(pyramid, params.radii(), params.window_units, params.alpha, family)


def scan(counts: CellCounts, placed: PlacedUnits, params: IdentifyParams) -> list[Windows]:
    """Stage 3 on the merged counts: each activity's significant windows, in decreasing LLR (``params``
    settled for the registry: IdentifyParams.for_registry)."""
    radii = params.radii()
    pyramid, windows = registry_windows(counts, params)
    windows.p_search = search_p_values(
        windows, counts.national(), significance=params.significance, alpha=params.alpha, min_lq=params.min_lq,
        null=lambda: relabelling_null(pyramid, finest_cells(placed.x, placed.y), radii, params.window_units))
    return significant_by_activity(windows, params.alpha, params.min_lq)


def footprints(candidates, counts: CellCounts, placed: PlacedUnits, codes: np.ndarray, params: IdentifyParams):
    """Stage 4: the footprints of every activity's candidates, activity by activity."""
    around = Surroundings(counts.cells, counts.cell_counts.astype(float), footprint_radii(params.radii()))
    by_activity = np.argsort(codes, kind="stable")
    starts = np.searchsorted(codes[by_activity], np.arange(counts.n_activities + 1))
    for own_windows in candidates:
        a = int(own_windows.activity[0])
        own = by_activity[starts[a]:starts[a + 1]]
        yield from activity_footprints(own_windows, own, placed.x[own], placed.y[own], around)


def identify_clusters(units: UnitColumns, params: IdentifyParams | None = None, **kwargs) -> list[Cluster]:
    """Function form of :class:`ClusterIdentifier`."""
    return ClusterIdentifier(params, **kwargs).fit(units).clusters_
