"""Identify industrial clusters: significant local over-representation of one
activity against the distribution of all industrial units, each judged at the
scale that suits it.

The method (docs/methodology.md explains and justifies it) is Kulldorff's
Bernoulli spatial scan (cases = units of the activity, controls = all other
units) evaluated on a grid so that it stays linear in the number of units:

1. Project every unit to kilometres; units without coordinates stand at their
   county seat.  Count units per (activity, cell) on a fine grid
   (``FINEST_CELL_KM``) and, by merging cells two by two, on coarser ones.
2. Windows are discs of the radii ``RADII_KM`` (1 to 15 km, up to
   ``distance_km``) centred on the cells where the activity occurs; each radius
   uses the coarsest grid on which it still spans ``CELLS_PER_RADIUS`` cells, so
   a disc costs a fixed number of binary searches (grid.window_sums) whatever
   its size.  For each window: cases c (the activity's units) and units n (all
   activities).
3. Each window's Bernoulli log-likelihood ratio (Kulldorff 1997) against the
   null that labels are spread over the existing units at random, and the exact
   tail P(X >= c), X ~ Bin(n, C/N) — the relabelling test for that one window.
   The search over many centres and radii is paid for by Bonferroni over the
   whole fixed family of windows that could hold ``min_units`` units
   (conservative next to Monte Carlo ranking of the maximum LLR, which
   tests/analysis/test_scan.py checks); or, with ``significance="monte carlo"``,
   by relabelling on the same grid with a Gumbel tail (calibration.py).
4. Per activity, the significant windows in order of LLR, each kept when it does
   not overlap one kept before (Kulldorff's secondary clusters without
   geographical overlap).  Members: the activity's units inside its footprint,
   a disc around them whose radius best covers the window's excess.

Deterministic: nothing is random, so the same input and parameters give the
same clusters, in the same order, with the same ids.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np
from scipy.special import bdtrc, xlogy

from khoosheh.core.geo import haversine_km

from .calibration import RelabellingNull, build_levels
from .grid import disc_columns, project_km, window_sums
from .scoring import score_clusters

SMALL_UNIT_EMPLOYEES = 50  # ISIPO size classes: micro < 10, small < 50

# Window radii (km): from a workshop quarter to a district of towns, each twice the one before.  A
# finer ladder (1, 1.5, 2, 3, 4, 6, 8, 11, 15) found the same clusters on the tuning seeds (F1 0.758
# against 0.760) at twice the cost; a footprint's own radius is chosen on a finer ladder anyway.
RADII_KM = (1.0, 2.0, 4.0, 8.0, 15.0)
MAX_RADIUS_KM = 15.0  # the default largest window (``distance_km``)
FINEST_CELL_KM = 0.25  # units are counted on grids of 0.25, 0.5, 1, 2, 4 ... km
CELLS_PER_RADIUS = 3  # a window's radius spans at least this many cells of its grid
# Footprints (members): centre, radius and checks.  Each chosen on the tuning seeds only.
FOOTPRINT_STEP = 1.15  # a footprint's radius is chosen on a ladder 15% apart
FOOTPRINT_REACH = 2.0  # ... up to twice its window's radius (1.5-3 alike; unbounded merges neighbours)
FOOTPRINT_Z = 2.0  # its excess is counted this many standard deviations low (J 0.845, 0.848, 0.851 for 0-2)
HOLLOW_SHARE = 0.25  # a footprint whose inner half holds less of its excess is hollow, not reported
# Significance (docs/methodology.md, step 5): Monte Carlo relabelling on the grid with a Gumbel tail,
# run only for activities with a window that Bonferroni cannot settle.
REPLICATES = 29  # relabellings at each case count of the ladder
LADDER_RATIO = 2.0  # the ladder's case counts, each twice the one before, span the activities that need it
SINGLE_WINDOW_LLR = 2.7  # below this LLR not even one window tested alone is significant at 1% (chi-square)

_CELL_BITS = 21  # keys pack activity << 44 | column << 21 | row
_OFFSET = 1 << 20
_GROUP_SHIFT = 44
_CELL_MASK = (1 << _GROUP_SHIFT) - 1
_ROW_MASK = (1 << _CELL_BITS) - 1
_BOUND_LEVELS = 2  # candidate windows are pre-screened on the grid four times as coarse


@dataclass(frozen=True)
class IdentifyParams:
    """Thresholds of the method; docs/methodology.md gives each one's reason."""

    distance_km: float = MAX_RADIUS_KM  # the largest window radius
    min_units: int = 10
    min_employees: int = 0
    alpha: float = 0.01
    min_lq: float = 1.5
    # "bonferroni" (the window's tail times the family size) or "monte carlo" (relabelling on the grid,
    # Gumbel tail): Monte Carlo finds more plants but reports more that match none (methodology.md, step 5).
    significance: str = "bonferroni"
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
        if self.significance not in ("monte carlo", "bonferroni"):
            raise ValueError('significance must be "monte carlo" or "bonferroni"')
        if not self.radii_km or min(self.radii_km) <= 0:
            raise ValueError("radii_km must be positive")
        # Parameters come back from JSON (stored runs, queued jobs) with a list here.
        object.__setattr__(self, "radii_km", tuple(float(r) for r in self.radii_km))

    def radii(self) -> list[float]:
        """The radii searched: the ladder below distance_km, and distance_km itself."""
        return sorted({float(r) for r in self.radii_km if r < self.distance_km} | {float(self.distance_km)})


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
        for name, value in asdict(self).items():
            if len(value) != n:
                raise ValueError(f"column {name} has {len(value)} entries, not {n}")

    def __len__(self) -> int:
        return len(self.key)


@dataclass
class Cluster:
    id: str
    isic: str
    province: str
    provinces: list[str]
    county: str
    counties: list[str]
    centroid: tuple[float, float]
    extent_km: float
    bbox: tuple[float, float, float, float]  # south, west, north, east
    n_units: int
    employees: int
    lq: float
    p_value: float
    share_small: float
    share_micro: float
    share_exporters: float
    share_idle: float
    located_by_county: int
    score: float = 0.0
    stars: int = 0
    star_reasons: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    member_index: np.ndarray = field(default=None, repr=False)  # positions in the input columns


class ClusterIdentifier:
    """``ClusterIdentifier(params).fit(columns)`` sets ``clusters_`` (list of
    Cluster) and ``labels_`` (cluster position for each unit, -1 for none)."""

    def __init__(self, params: IdentifyParams | None = None, *, progress: Callable[[str], None] | None = None):
        self.params = params or IdentifyParams()
        self.progress = progress or (lambda stage: None)

    def fit(self, units: UnitColumns) -> ClusterIdentifier:
        p = self.params
        n_total = len(units)
        self.labels_ = np.full(n_total, -1, dtype=np.int64)
        self.clusters_: list[Cluster] = []
        if n_total == 0:
            return self
        self.progress("grid")
        lat = np.where(np.isnan(units.lat), units.seat_lat, units.lat)
        lon = np.where(np.isnan(units.lon), units.seat_lon, units.lon)
        x, y = project_km(lat, lon)
        codes = np.array([a[: p.activity_level] for a in units.activity]) if p.activity_level < 4 else units.activity
        activities, activity_of = np.unique(codes, return_inverse=True)
        national = np.bincount(activity_of, minlength=len(activities)).astype(float)
        # The stage names are those the portal's job page knows (clusters.services.METHOD_STEPS).
        self.progress("local statistics")
        windows = scan_windows(x, y, activity_of, national, p.radii(), p.min_units, p.alpha)
        windows.p_search = search_p_values(windows, x, y, national, p)
        self.progress("grouping")
        for a, member_index, lq, p_value in select_clusters(windows, x, y, activity_of, p.radii(), p.alpha,
                                                            p.min_lq):
            if len(member_index) < p.min_units or np.nansum(units.employees[member_index]) < p.min_employees:
                continue
            self.clusters_.append(self._describe(units, lat, lon, member_index, activities[a], lq, p_value))
        self.progress("clusters")
        exporter_share = np.nanmean(units.exporter) if np.isfinite(units.exporter).any() else np.nan
        self._finish(units, exporter_share)
        return self

    def _describe(self, units, lat, lon, member_index, isic, lq, p_value) -> Cluster:
        located = ~np.isnan(units.lat[member_index])
        mlat, mlon = lat[member_index], lon[member_index]
        clat, clon = float(np.mean(mlat)), float(np.mean(mlon))
        distance = haversine_km(mlat, mlon, clat, clon)
        employees = units.employees[member_index]
        known = ~np.isnan(employees)
        exporters = units.exporter[member_index]
        provinces = [c for c, _ in Counter(units.province[member_index]).most_common()]
        counties = [c for c, _ in Counter(units.county[member_index]).most_common()]
        return Cluster(
            id="", isic=str(isic), province=provinces[0], provinces=provinces, county=counties[0], counties=counties,
            centroid=(round(clat, 5), round(clon, 5)),
            extent_km=round(float(np.percentile(distance, 90)), 2),
            bbox=(round(float(mlat.min()), 5), round(float(mlon.min()), 5), round(float(mlat.max()), 5),
                  round(float(mlon.max()), 5)),
            n_units=len(member_index), employees=int(np.nansum(employees)), lq=round(float(lq), 3),
            p_value=p_value,
            share_small=_share(employees[known] < SMALL_UNIT_EMPLOYEES),
            share_micro=_share(employees[known] < 10),
            share_exporters=_share(exporters[~np.isnan(exporters)] == 1),
            share_idle=_share(units.status[member_index] == "idle"),
            located_by_county=int((~located).sum()),
            members=[str(k) for k in units.key[member_index]],
            member_index=member_index,
        )

    def _finish(self, units, exporter_share) -> None:
        self.clusters_.sort(key=lambda c: (c.isic, c.county, -c.n_units, c.centroid))
        per_place: Counter = Counter()
        for position, cluster in enumerate(self.clusters_):
            per_place[(cluster.isic, cluster.county)] += 1
            cluster.id = f"{cluster.isic}-{cluster.county}-{per_place[(cluster.isic, cluster.county)]}"
            self.labels_[cluster.member_index] = position
        score_clusters(self.clusters_, national_exporter_share=exporter_share)


@dataclass
class Windows:
    """The candidate windows of a scan: those holding at least ``min_units`` of
    their activity's units and more than its national share."""

    activity: np.ndarray
    x: np.ndarray  # centre, projected km
    y: np.ndarray
    radius: np.ndarray
    cases: np.ndarray  # units of the activity in the window
    units: np.ndarray  # units of all activities in the window
    llr: np.ndarray
    p_window: np.ndarray  # the exact tail for this one window
    share: np.ndarray  # the activity's national share
    family: int  # windows searched per activity (the Bonferroni factor)
    cells: np.ndarray  # the finest grid's occupied cells (sorted) and their unit counts
    cell_counts: np.ndarray
    p_search: np.ndarray = None  # the p-value for the whole search (search_p_values)


def grid_level(radius_km: float) -> int:
    """Which grid a radius is counted on: the coarsest (cells of 0.25·2^k km)
    on which the radius still spans CELLS_PER_RADIUS cells."""
    return max(0, int(np.floor(np.log2(radius_km / CELLS_PER_RADIUS / FINEST_CELL_KM) + 1e-9)))


def scan_windows(x, y, activity_of, national, radii, min_units, alpha=None) -> Windows:
    """Cases, units, LLR and tail of every candidate window (steps 2-3 of the method)."""
    n_total = len(x)
    level_of = {r: grid_level(r) for r in radii}
    cx = np.floor(x / FINEST_CELL_KM).astype(np.int64) + _OFFSET
    cy = np.floor(y / FINEST_CELL_KM).astype(np.int64) + _OFFSET
    keys, counts = np.unique((activity_of.astype(np.int64) << _GROUP_SHIFT) | (cx << _CELL_BITS) | cy,
                             return_counts=True)
    grids = {0: (keys, counts.astype(float))}
    for level in range(1, max(level_of.values()) + _BOUND_LEVELS + 1):
        grids[level] = _coarsen(*grids[level - 1])
    cells_of = {}
    parts = []
    family = 0
    bounds = {}

    def bound(name, keys, coarse, radius_cells):
        reach = int(np.ceil(radius_cells / 2**_BOUND_LEVELS))
        if (name, reach) not in bounds:
            bounds[(name, reach)] = _block_bound(keys, *coarse, reach)
        return bounds[(name, reach)]

    for r in radii:
        level = level_of[r]
        for lv in (level, level + _BOUND_LEVELS, 0):
            if lv not in cells_of:
                cells_of[lv] = _merge(grids[lv][0] & _CELL_MASK, grids[lv][1])
        cells, cell_counts = cells_of[level]
        cell_km = FINEST_CELL_KM * 2**level
        disc = disc_columns(r / cell_km)
        # The family is fixed by where units are, not by labels: every occupied cell's window that
        # could hold min_units units (a window with fewer can never be reported, so costs nothing).
        # Whether it could is bounded from the grid four times as coarse, by the square of its cells
        # that covers the disc: counting a few windows too many keeps Bonferroni conservative.
        family += int((bound(("cells", level), cells, cells_of[level + _BOUND_LEVELS], r / cell_km)
                       >= min_units).sum())
        # Likewise only the windows whose activity can reach min_units there are counted exactly.
        keys, counts = grids[level]
        live = np.nonzero(bound(("keys", level), keys, grids[level + _BOUND_LEVELS], r / cell_km) >= min_units)[0]
        c = window_sums(keys, counts, keys[live], disc)
        live, c = live[c >= min_units], c[c >= min_units]
        key = keys[live]
        live_cells, at = np.unique(key & _CELL_MASK, return_inverse=True)
        n = window_sums(cells, cell_counts, live_cells, disc)[at]
        activity = key >> _GROUP_SHIFT
        expected = n * national[activity] / n_total
        # Less than two standard deviations above expectation: the exact tail is above 0.02, never
        # significant, and skipping it saves computing a million logarithms on a national registry.
        keep = c - expected > 2 * np.sqrt(expected)
        key = key[keep]
        parts.append((activity[keep], (((key >> _CELL_BITS) & _ROW_MASK) - _OFFSET + 0.5) * cell_km,
                      ((key & _ROW_MASK) - _OFFSET + 0.5) * cell_km, np.full(len(key), r), c[keep], n[keep]))
    activity, wx, wy, radius, c, n = (np.concatenate(column) for column in zip(*parts, strict=True))
    total_cases = national[activity]
    share = total_cases / n_total
    llr = bernoulli_llr(c, n, total_cases, n_total)
    family = max(family, 1)
    tail = np.ones(len(c))
    # The exact tail only where it might pass: P(X >= c) >= exp(-LLR) / sqrt(8c) (the LLR bounds the
    # binomial's Chernoff exponent from above; Ash 1990, lemma 4.7.2), so below that LLR it cannot.
    worth = llr >= np.log(family / (alpha or 1.0)) - 0.5 * np.log(8 * c) if alpha else np.ones(len(c), bool)
    tail[worth] = upper_tail(c[worth], n[worth], share[worth])
    return Windows(activity, wx, wy, radius, c, n, llr, tail, share, family, *cells_of[0])


def search_p_values(windows: Windows, x, y, national, params: IdentifyParams) -> np.ndarray:
    """Each window's p-value for the whole search over centres and radii (step 5 of the method).

    Bonferroni — the window's exact tail times the family size — is valid but strict.  Where it leaves
    a window open (not significant by Bonferroni, yet with LQ >= min_lq and an LLR that a single
    window could reach at the level), the activity's windows get the Monte Carlo p-value instead: the
    Gumbel tail at their LLR of the largest-LLR statistic under relabelling (RelabellingNull), taken
    when smaller than Bonferroni's.  The null depends on the activity only through its count, so it
    is computed once per registry on a ladder of counts spanning the activities that need it, and
    interpolated (calibration.Ladder)."""
    bonferroni = np.minimum(1.0, windows.p_window * windows.family)
    if params.significance == "bonferroni" or not len(bonferroni):
        return bonferroni
    lq = windows.cases / windows.units / windows.share
    open_window = (bonferroni > params.alpha) & (lq >= params.min_lq) & (windows.llr >= SINGLE_WINDOW_LLR)
    needing = np.unique(windows.activity[open_window])
    if not len(needing):
        return bonferroni
    null = relabelling_null(windows, x, y, params)
    ladder = null.ladder(national[needing].min(), national[needing].max(), REPLICATES, LADDER_RATIO)
    p_search = bonferroni.copy()
    for a in needing:
        own = windows.activity == a
        p_search[own] = np.minimum(bonferroni[own], ladder.at(national[a]).tail(windows.llr[own]))
    return p_search


def relabelling_null(windows: Windows, x, y, params: IdentifyParams) -> RelabellingNull:
    """The null of the grid scan's statistic for this registry: the window family of scan_windows."""
    cx = np.floor(x / FINEST_CELL_KM).astype(np.int64) + _OFFSET
    cy = np.floor(y / FINEST_CELL_KM).astype(np.int64) + _OFFSET
    unit_cell = np.searchsorted(windows.cells, (cx << _CELL_BITS) | cy)
    levels = build_levels(windows.cells, windows.cell_counts, params.radii(), grid_level,
                          lambda level: FINEST_CELL_KM * 2**level, _parent)
    return RelabellingNull(unit_cell, levels, params.min_units, bernoulli_llr)


def _block_bound(keys, coarse_keys, coarse_counts, reach) -> np.ndarray:
    """For each key, the sum over the square of coarse cells (_BOUND_LEVELS up) that covers its disc:
    ``reach`` coarse cells each way."""
    square = [(dx, reach) for dx in range(-reach, reach + 1)]
    block = window_sums(coarse_keys, coarse_counts, coarse_keys, square)
    return block[np.searchsorted(coarse_keys, _parent(keys, _BOUND_LEVELS))]


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


def select_clusters(windows: Windows, x, y, activity_of, radii, alpha: float, min_lq: float):
    """Per activity, the significant windows in decreasing LLR, each kept when it
    overlaps neither a window nor a footprint kept before (Kulldorff's secondary
    clusters without geographical overlap).  Yields (activity, member positions,
    footprint LQ, the window's p-value for the whole search) for each."""
    lq = windows.cases / windows.units / windows.share
    p_search = windows.p_search if windows.p_search is not None else np.minimum(1, windows.p_window * windows.family)
    significant = np.nonzero((p_search <= alpha) & (lq >= min_lq))[0]
    order = significant[np.lexsort((-windows.llr[significant], windows.activity[significant]))]
    bounds = np.flatnonzero(np.diff(windows.activity[order])) + 1
    by_activity = np.argsort(activity_of, kind="stable")
    starts = np.searchsorted(activity_of[by_activity], np.arange(activity_of.max() + 2))
    around = _Surroundings(windows.cells, windows.cell_counts, footprint_radii(radii))
    for remaining in np.split(order, bounds) if len(order) else []:
        a = int(windows.activity[remaining[0]])
        own = by_activity[starts[a]:starts[a + 1]]
        ox, oy = x[own], y[own]
        free = np.ones(len(own), bool)  # a unit belongs to one cluster at most
        share = float(windows.share[remaining[0]])
        while len(remaining):
            best = remaining[0]
            wx, wy, wr = windows.x[best], windows.y[best], windows.radius[best]
            inside = (ox - wx) ** 2 + (oy - wy) ** 2 <= wr**2
            # The footprint: centred on the activity's units in the winning window, with the radius
            # of the ladder at which the units in excess of the activity's share are best covered.
            fx, fy = (float(ox[inside].mean()), float(oy[inside].mean())) if inside.any() else (wx, wy)
            d2 = (ox - fx) ** 2 + (oy - fy) ** 2
            fr, footprint_lq = around.footprint(fx, fy, d2, share, FOOTPRINT_REACH * wr)
            if around.hollow(fx, fy, d2, fr, share):
                # Its inner half holds little of its excess: two groups with little between them (each
                # has windows of its own), or the rim of a cluster centred elsewhere.
                remaining = remaining[1:]
                continue
            inside = (d2 <= fr**2) & free
            free &= ~inside
            yield a, own[inside], footprint_lq, float(p_search[best])
            rx, ry, rr = windows.x[remaining], windows.y[remaining], windows.radius[remaining]
            apart = (np.hypot(rx - wx, ry - wy) >= rr + wr) & (np.hypot(rx - fx, ry - fy) >= rr + fr)
            remaining = remaining[apart]


def footprint_radii(radii) -> np.ndarray:
    """The finer ladder a footprint's radius is chosen on: steps of FOOTPRINT_STEP from the smallest
    window radius to the largest (exact distances make a fine ladder cheap here)."""
    low, high = min(radii), max(radii)
    steps = int(np.ceil(np.log(high / low) / np.log(FOOTPRINT_STEP)))
    return np.unique(np.concatenate([np.geomspace(low, high, steps + 1), radii]))


class _Surroundings:
    """Counts of all units around a point, by ring of the radius ladder, from the finest grid."""

    def __init__(self, cells, counts, radii):
        self.cells, self.counts = cells, counts
        self.cx = ((cells >> _CELL_BITS) & ((1 << _CELL_BITS) - 1)) - _OFFSET
        self.cy = (cells & ((1 << _CELL_BITS) - 1)) - _OFFSET
        self.radii = np.asarray(sorted(radii), float)

    def units_within(self, x0, y0, radii=None) -> np.ndarray:
        """All units within each radius of (x0, y0) (cell centres, finest grid)."""
        radii = self.radii if radii is None else np.asarray(radii, float)
        reach = int(np.ceil(radii[-1] / FINEST_CELL_KM)) + 1
        column = int(np.floor(x0 / FINEST_CELL_KM))
        lo = np.searchsorted(self.cells, (column - reach + _OFFSET) << _CELL_BITS)
        hi = np.searchsorted(self.cells, (column + reach + 1 + _OFFSET) << _CELL_BITS)
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


def _parent(keys, levels_up: int) -> np.ndarray:
    """The keys of the cells containing these on the grid 2**levels_up times as coarse."""
    group = keys >> _GROUP_SHIFT
    cx = ((keys >> _CELL_BITS) & _ROW_MASK) - _OFFSET
    cy = (keys & _ROW_MASK) - _OFFSET
    return (group << _GROUP_SHIFT) | (((cx >> levels_up) + _OFFSET) << _CELL_BITS) | ((cy >> levels_up) + _OFFSET)


def _coarsen(keys, counts):
    """The same counts on the grid of cells twice as large."""
    return _merge(_parent(keys, 1), counts)


def _merge(keys, counts):
    unique, inverse = np.unique(keys, return_inverse=True)
    return unique, np.bincount(inverse, weights=counts, minlength=len(unique))


def upper_tail(k, n, p):
    """P(X >= k) for X ~ Binomial(n, p).

    Random relabelling draws the n labels of a neighbourhood from the national
    pool without replacement, so k is hypergeometric; with n far below the
    national total the binomial is a close and slightly conservative stand-in
    (its tail is the heavier), and it is computed in C for a million tests at once.
    """
    k, n = np.rint(k).astype(np.int64), np.rint(n).astype(np.int64)
    return np.where(k <= 0, 1.0, bdtrc(np.maximum(k - 1, 0), n, p))


def _share(mask: np.ndarray) -> float:
    return round(float(mask.mean()), 4) if len(mask) else float("nan")


def identify_clusters(units: UnitColumns, params: IdentifyParams | None = None, **kwargs) -> list[Cluster]:
    """Function form of :class:`ClusterIdentifier`."""
    return ClusterIdentifier(params, **kwargs).fit(units).clusters_
