"""Kulldorff's spatial scan statistic, Bernoulli model (as in SaTScan): the benchmark's peer.

For one activity, *cases* are its units and *controls* all other units.  A window is a disc
around a centre, of any radius up to ``max_radius_km`` that holds at least ``min_cases``
cases.  Its likelihood ratio against "one rate everywhere" is, for high rates only
(Kulldorff 1997, eq. for the Bernoulli model),

    LLR(c, n) = c ln(c/n) + (n-c) ln(1-c/n) + (C-c) ln((C-c)/(N-n)) + (N-n-C+c) ln(1-(C-c)/(N-n))
                - [C ln(C/N) + (N-C) ln(1-C/N)]        when c/n > (C-c)/(N-n), else 0,

with c cases among the n units inside, C cases among N units in all.  The most likely
cluster is the window of largest LLR; secondary clusters are the next windows, in falling
LLR, that share no unit with a cluster reported before them (SaTScan's default "no
geographical overlap"), each centre contributing its own most likely window.  The p-value
of a window is its rank among the maxima of ``replicates`` Monte Carlo data sets in which
the C case labels are given at random to C of the N locations (random relabelling):
p = (1 + #{replicate maxima >= LLR}) / (replicates + 1), the same null distribution for the
most likely and the secondary clusters, as in SaTScan.

Centres.  SaTScan centres circles on every data location.  Here, by default, the circles are
centred on the *cases* (``centres="cases"``), in the observed data and in every replicate
alike (each replicate's own cases), so the Monte Carlo test is exact for the statistic it
computes.  Why: a window's LLR can only peak at a radius that just reaches a case (between
two cases only controls join and the LLR falls), and a cluster's own cases are where its
best windows are centred; limiting centres to cases cuts them from N to C (about 50 times
fewer here) and lets a replicate be scanned through case-to-case distances only.  Windows
centred on a control are not searched; ``centres="all"`` does search them (SaTScan's
choice), at N times the cost, for small data sets and for checking.

The work per replicate is the case-to-case pairs within the maximum radius, each paired with
the window's population n read by binary search from every unit's sorted distances to the
units around it (computed once per registry and shared by all activities).  The kernels are
compiled with numba when it is installed (``pip install -e '.[bench]'``); without it they run
as plain Python, which is fine for the small data sets of the tests only.

Reference: Kulldorff M. (1997). A spatial scan statistic. Communications in Statistics -
Theory and Methods 26(6):1481-1496.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

try:  # numba makes the benchmark feasible; the tests also run without it
    from numba import njit, prange

    HAVE_NUMBA = True
except ImportError:  # pragma: no cover - depends on the environment
    HAVE_NUMBA = False
    prange = range

    def njit(*args, **kwargs):
        if args and callable(args[0]):
            return args[0]
        return lambda function: function


MAX_RADIUS_KM = 15.0
MIN_CASES = 10
REPLICATES = 999
ALPHA = 0.01
PILOT = 99  # replicates computed in full before the others are only computed above a floor


@dataclass
class ScanCluster:
    isic: str  # the activity (named like khoosheh's Cluster, so the benchmark scores both alike)
    centre: int  # index of the unit the disc is centred on
    radius_km: float
    n_cases: int  # c: the activity's units in the disc
    n_units: int  # n: all units in the disc
    llr: float
    p_value: float
    member_index: np.ndarray = field(repr=False)  # the cases in the disc (positions in the input)


# ----------------------------------------------------------------------------- the statistic


@njit(cache=True)
def _xlogx(x):
    return x * math.log(x) if x > 0 else 0.0


@njit(cache=True)
def _llr(c, n, big_c, big_n):
    """Bernoulli LLR of a window, high rates only (0 where the inside rate is not higher)."""
    if c * (big_n - n) <= (big_c - c) * n:
        return 0.0
    inside = _xlogx(c) + _xlogx(n - c) - _xlogx(n)
    outside = _xlogx(big_c - c) + _xlogx(big_n - n - big_c + c) - _xlogx(big_n - n)
    null = _xlogx(big_c) + _xlogx(big_n - big_c) - _xlogx(big_n)
    return inside + outside - null


def bernoulli_llr(c, n, big_c, big_n) -> float:
    """The Bernoulli log-likelihood ratio of a window with c of C cases among n of N units."""
    return float(_llr(float(c), float(n), float(big_c), float(big_n)))


# ----------------------------------------------------------------------------- geometry


@njit(cache=True)
def _distance(xy, i, j):
    # One formula, rounded to float32 the same way everywhere, so a radius read from one
    # computation compares exactly with the distances of another (ties stay ties).
    dx = xy[i, 0] - xy[j, 0]
    dy = xy[i, 1] - xy[j, 1]
    return np.float32(math.sqrt(dx * dx + dy * dy))


@dataclass
class _Grid:
    """Units bucketed in square cells of the maximum radius: a disc lies in 3 x 3 cells."""

    xy: np.ndarray
    radius: float
    cx: np.ndarray  # cell column and row of every unit (from 1, a border of empty cells around)
    cy: np.ndarray
    width: int
    height: int
    order: np.ndarray  # units sorted by cell
    start: np.ndarray  # order[start[k]:start[k+1]] are the units of cell k

    @classmethod
    def build(cls, xy: np.ndarray, radius: float) -> _Grid:
        cx = np.floor((xy[:, 0] - xy[:, 0].min()) / radius).astype(np.int64) + 1
        cy = np.floor((xy[:, 1] - xy[:, 1].min()) / radius).astype(np.int64) + 1
        width, height = int(cx.max()) + 2, int(cy.max()) + 2
        key = cy * width + cx
        order = np.argsort(key, kind="stable")
        start = np.searchsorted(key[order], np.arange(width * height + 1))
        return cls(xy, radius, cx, cy, width, height, order, start)


@njit(cache=True, parallel=True)
def _count_within(xy, cx, cy, width, order, start, radius):
    n = xy.shape[0]
    counts = np.zeros(n, np.int64)
    r32 = np.float32(radius)
    for i in prange(n):
        total = 0
        for gy in range(cy[i] - 1, cy[i] + 2):
            for gx in range(cx[i] - 1, cx[i] + 2):
                k = gy * width + gx
                for s in range(start[k], start[k + 1]):
                    if _distance(xy, i, order[s]) <= r32:
                        total += 1
        counts[i] = total
    return counts


@njit(cache=True, parallel=True)
def _fill_sorted_distances(xy, cx, cy, width, order, start, radius, pointer, out):
    n = xy.shape[0]
    r32 = np.float32(radius)
    for i in prange(n):
        lo, hi = pointer[i], pointer[i + 1]
        _gather(xy, cx, cy, width, order, start, i, r32, out[lo:hi])  # the same neighbour walk as the scan's
        out[lo:hi] = np.sort(out[lo:hi])


def _sorted_distances(grid: _Grid) -> tuple[np.ndarray, np.ndarray]:
    """Every unit's distances to all units within the radius (itself included), sorted: the
    population of any disc centred on a unit is a binary search away."""
    counts = _count_within(grid.xy, grid.cx, grid.cy, grid.width, grid.order, grid.start, grid.radius)
    pointer = np.zeros(len(counts) + 1, np.int64)
    np.cumsum(counts, out=pointer[1:])
    out = np.empty(pointer[-1], np.float32)
    _fill_sorted_distances(grid.xy, grid.cx, grid.cy, grid.width, grid.order, grid.start, grid.radius, pointer, out)
    return pointer, out


@njit(cache=True)
def _population(distances, lo, hi, d):
    """How many of distances[lo:hi] (sorted) are <= d."""
    first = lo
    while lo < hi:
        mid = (lo + hi) // 2
        if distances[mid] <= d:
            lo = mid + 1
        else:
            hi = mid
    return lo - first


# ----------------------------------------------------------------------------- the scan


@njit(cache=True)
def _bucket_cases(cx, cy, width, height, cases):
    """The cases bucketed by cell (a counting sort): bucket[cell_start[k]:cell_start[k+1]] lie in cell k."""
    cell_count = np.zeros(width * height + 1, np.int64)
    for i in cases:
        cell_count[cy[i] * width + cx[i] + 1] += 1
    cell_start = np.cumsum(cell_count)
    filled = cell_start[:-1].copy()
    bucket = np.empty(len(cases), np.int64)
    for i in cases:
        k = cy[i] * width + cx[i]
        bucket[filled[k]] = i
        filled[k] += 1
    return bucket, cell_start


@njit(cache=True)
def _gather(xy, cx, cy, width, bucket, cell_start, i, r32, near):
    """Distances from unit i to the cases within the radius, written to near; returns how many."""
    m = 0
    for gy in range(cy[i] - 1, cy[i] + 2):
        for gx in range(cx[i] - 1, cx[i] + 2):
            k = gy * width + gx
            for s in range(cell_start[k], cell_start[k + 1]):
                d = _distance(xy, i, bucket[s])
                if d <= r32:
                    near[m] = d
                    m += 1
    return m


@njit(cache=True)
def _best_windows(xy, cx, cy, width, height, radius, cases, centres, pointer, distances, n_all, min_cases):
    """Each centre's most likely window: (LLR, radius, c, n); LLR 0 where no window qualifies."""
    bucket, cell_start = _bucket_cases(cx, cy, width, height, cases)
    big_c = float(len(cases))
    r32 = np.float32(radius)
    best = np.zeros((len(centres), 4))
    near = np.empty(len(cases), np.float32)
    for position in range(len(centres)):
        i = centres[position]
        m = _gather(xy, cx, cy, width, bucket, cell_start, i, r32, near)
        if m < min_cases:
            continue
        ordered = near[:m]
        ordered.sort()
        for j in range(min_cases - 1, m):
            if j + 1 < m and ordered[j + 1] == ordered[j]:
                continue  # a disc holds every unit at its radius: evaluate after the last tie
            n = _population(distances, pointer[i], pointer[i + 1], ordered[j])
            value = _llr(float(j + 1), float(n), big_c, n_all)
            if value > best[position, 0]:
                best[position, 0] = value
                best[position, 1] = ordered[j]
                best[position, 2] = j + 1
                best[position, 3] = n
    return best


SHELL_GROWTH = 1.1  # population ratio between successive shells of the pruning bound
_MAX_SHELLS = 1024


@njit(cache=True)
def _scan_maximum(xy, cx, cy, width, height, radius, cases, centres, pointer, distances, n_all, min_cases, floor):
    """The largest LLR over all windows, exactly as ``_best_windows`` would give it, but skipping
    windows that cannot beat the largest found so far.  Around each centre the radii are cut into
    shells by population (each about 10% more units than the last, read off the sorted distances);
    a window in shell k holds at most the cases out to the shell's outer edge and at least the units
    out to its inner edge, and the LLR rises with cases and falls with units (high rates), so
    LLR(cases to the outer edge, units to the inner edge) bounds every window of the shell.  Only
    shells whose bound beats the running maximum are sorted and evaluated window by window.
    With ``floor`` > 0 the running maximum starts there, and -1 is returned when no window beats it."""
    bucket, cell_start = _bucket_cases(cx, cy, width, height, cases)
    big_c = float(len(cases))
    r32 = np.float32(radius)
    near = np.empty(len(cases), np.float32)
    shell_of = np.empty(len(cases), np.int64)
    grouped = np.empty(len(cases), np.float32)
    edge_r = np.empty(_MAX_SHELLS, np.float32)
    edge_n = np.empty(_MAX_SHELLS, np.int64)
    in_shell = np.zeros(_MAX_SHELLS + 1, np.int64)
    top = floor
    for position in range(len(centres)):
        i = centres[position]
        m = _gather(xy, cx, cy, width, bucket, cell_start, i, r32, near)
        if m < min_cases:
            continue
        lo, hi = pointer[i], pointer[i + 1]
        population = hi - lo
        shells = 0
        n_edge = min_cases
        while True:  # the last shell ends at the farthest unit within the radius: it holds every case
            if n_edge >= population or shells == _MAX_SHELLS - 1:
                edge_n[shells] = population
                edge_r[shells] = distances[hi - 1]
                shells += 1
                break
            edge_n[shells] = n_edge
            edge_r[shells] = distances[lo + n_edge - 1]
            shells += 1
            n_edge = max(n_edge + 1, int(n_edge * SHELL_GROWTH))
        in_shell[: shells + 1] = 0
        for s in range(m):  # first shell whose outer edge reaches the case (ties share a shell)
            a, b = 0, shells - 1
            while a < b:
                mid = (a + b) // 2
                if edge_r[mid] >= near[s]:
                    b = mid
                else:
                    a = mid + 1
            shell_of[s] = a
            in_shell[a + 1] += 1
        for k in range(shells):
            in_shell[k + 1] += in_shell[k]  # in_shell[k]: cases before shell k
        for s in range(m):
            grouped[in_shell[shell_of[s]]] = near[s]
            in_shell[shell_of[s]] += 1
        # in_shell[k] now ends shell k: shell k is grouped[in_shell[k-1]:in_shell[k]].
        for k in range(shells):
            first = in_shell[k - 1] if k > 0 else 0
            last = in_shell[k]
            if last < min_cases or last == first:
                continue
            inner = edge_n[k - 1] if k > 0 else 1
            bound = _llr(float(last), float(max(last, inner)), big_c, n_all)
            if bound <= top:
                continue
            ordered = grouped[first:last]
            ordered.sort()
            for j in range(last - first):
                c = first + j + 1
                if c < min_cases or (j + 1 < last - first and ordered[j + 1] == ordered[j]):
                    continue
                n = _population(distances, lo, hi, ordered[j])
                value = _llr(float(c), float(n), big_c, n_all)
                if value > top:
                    top = value
    return top if top > floor or floor == 0 else -1.0


@njit(cache=True, parallel=True)
def _replicate_maxima(xy, cx, cy, width, height, radius, relabelled, centre_all, pointer, distances, n_all,
                      min_cases, floor):
    """The scan statistic (the largest LLR) of each relabelled data set (one row of case indices each);
    -1 for a data set whose statistic does not exceed ``floor`` (when floor > 0)."""
    maxima = np.zeros(relabelled.shape[0])
    everyone = np.arange(xy.shape[0])
    for r in prange(relabelled.shape[0]):
        cases = relabelled[r]
        centres = everyone if centre_all else cases
        maxima[r] = _scan_maximum(xy, cx, cy, width, height, radius, cases, centres, pointer, distances, n_all,
                                  min_cases, floor)
    return maxima


@njit(cache=True)
def _disc(xy, cx, cy, width, order, start, centre, radius, out):
    """Units within radius of centre, written to out; returns how many."""
    m = 0
    for gy in range(cy[centre] - 1, cy[centre] + 2):
        for gx in range(cx[centre] - 1, cx[centre] + 2):
            k = gy * width + gx
            for s in range(start[k], start[k + 1]):
                if _distance(xy, centre, order[s]) <= radius:
                    out[m] = order[s]
                    m += 1
    return m


@njit(cache=True)
def _without_overlap(xy, cx, cy, width, order, start, centres, radii, limit):
    """Among windows in falling LLR, those sharing no unit with one taken before: the reported clusters."""
    taken = np.zeros(xy.shape[0], np.bool_)
    buffer = np.empty(xy.shape[0], np.int64)
    chosen = np.zeros(len(centres), np.bool_)
    for w in range(min(limit, len(centres))):
        m = _disc(xy, cx, cy, width, order, start, centres[w], np.float32(radii[w]), buffer)
        free = True
        for s in range(m):
            if taken[buffer[s]]:
                free = False
                break
        if free:
            chosen[w] = True
            for s in range(m):
                taken[buffer[s]] = True
    return chosen


class BernoulliScan:
    """``BernoulliScan(...).fit(xy, is_case)`` on projected coordinates in km.

    Sets ``clusters_`` (the clusters with p <= ``alpha``, most likely first), ``most_likely_``
    (the best window, significant or not; None when no window has 10 cases), ``maxima_`` (the
    replicates' scan statistics) and ``floor_``.  Unless ``exact``, replicates past the first 99 are
    computed only where they exceed ``floor_`` (-1 in ``maxima_`` otherwise): p-values <= alpha are
    exact, and a p-value of a window below the floor is a lower bound (always > alpha)."""

    def __init__(self, *, max_radius_km: float = MAX_RADIUS_KM, min_cases: int = MIN_CASES,
                 replicates: int = REPLICATES, alpha: float = ALPHA, centres: str = "cases", seed: int = 0,
                 exact: bool = False, pilot: int = PILOT):
        if max_radius_km <= 0:
            raise ValueError("max_radius_km must be positive")
        if min_cases < 1 or replicates < 1:
            raise ValueError("min_cases and replicates must be at least 1")
        if centres not in ("cases", "all"):
            raise ValueError('centres must be "cases" or "all"')
        self.max_radius_km, self.min_cases, self.replicates = max_radius_km, min_cases, replicates
        self.alpha, self.centres, self.seed, self.exact, self.pilot = alpha, centres, seed, exact, pilot

    def fit(self, xy: np.ndarray, is_case: np.ndarray, *, prepared: tuple | None = None,
            activity: str = "") -> BernoulliScan:
        xy = np.ascontiguousarray(xy, dtype=np.float64)
        grid, pointer, distances = prepared or prepare(xy, self.max_radius_km)
        cases = np.flatnonzero(is_case).astype(np.int64)
        self.clusters_: list[ScanCluster] = []
        self.most_likely_: ScanCluster | None = None
        self.maxima_, self.floor_ = np.zeros(0), 0.0
        if len(cases) < self.min_cases:
            return self
        n_all = float(len(xy))
        centre_all = self.centres == "all"
        centres = np.arange(len(xy)) if centre_all else cases
        args = (grid.xy, grid.cx, grid.cy, grid.width, grid.height, grid.radius)
        best = _best_windows(*args, cases, centres, pointer, distances, n_all, self.min_cases)
        rng = np.random.default_rng(self.seed)
        relabelled = np.stack([rng.choice(len(xy), len(cases), replace=False) for _ in range(self.replicates)])
        self.maxima_, self.floor_ = self._monte_carlo(args, relabelled, centre_all, pointer, distances, n_all)
        sorted_maxima = np.sort(self.maxima_)

        def p_value(llr):
            exceeding = len(sorted_maxima) - np.searchsorted(sorted_maxima, llr, side="left")  # maxima >= llr
            return (1 + exceeding) / (self.replicates + 1)

        candidates = np.flatnonzero(best[:, 0] > 0)
        if len(candidates) == 0:
            return self
        # Falling LLR; ties broken by centre index, so the result does not depend on sort internals.
        candidates = candidates[np.lexsort((centres[candidates], -best[candidates, 0]))]
        significant = int((p_value(best[candidates, 0]) <= self.alpha).sum())
        chosen = _without_overlap(grid.xy, grid.cx, grid.cy, grid.width, grid.order, grid.start,
                                  centres[candidates], best[candidates, 1], max(significant, 1))
        case_mask = np.zeros(len(xy), bool)
        case_mask[cases] = True
        for w in np.flatnonzero(chosen):
            row = best[candidates[w]]
            cluster = self._cluster(grid, activity, int(centres[candidates[w]]), row, p_value(row[0]), case_mask)
            if self.most_likely_ is None:
                self.most_likely_ = cluster
            if cluster.p_value <= self.alpha:
                self.clusters_.append(cluster)
        return self

    def _monte_carlo(self, args, relabelled, centre_all, pointer, distances, n_all):
        """The replicates' statistics.  The first ``pilot`` are computed in full; the others only
        where they exceed the pilot's median (-1 otherwise), which is all a p-value <= alpha needs:
        when at least alpha (R + 1) replicates exceed that floor, a window below it has p > alpha
        whatever the others are, and a window above it is counted exactly.  Where that check fails
        the rest are computed in full."""
        pilot = self.pilot
        first = _replicate_maxima(*args, relabelled[:pilot], centre_all, pointer, distances, n_all,
                                  self.min_cases, 0.0)
        if len(relabelled) <= pilot or self.exact:
            return (np.concatenate([first, _replicate_maxima(*args, relabelled[pilot:], centre_all, pointer, distances,
                                                             n_all, self.min_cases, 0.0)]), 0.0)
        floor = float(np.median(first))
        rest = _replicate_maxima(*args, relabelled[pilot:], centre_all, pointer, distances, n_all, self.min_cases,
                                 floor)
        maxima = np.concatenate([first, rest])
        if 1 + (maxima >= floor).sum() <= self.alpha * (len(relabelled) + 1):
            rest = _replicate_maxima(*args, relabelled[pilot:], centre_all, pointer, distances, n_all,
                                     self.min_cases, 0.0)
            return np.concatenate([first, rest]), 0.0
        return maxima, floor

    @staticmethod
    def _cluster(grid, activity, centre, row, p, case_mask) -> ScanCluster:
        buffer = np.empty(len(grid.xy), np.int64)
        m = _disc(grid.xy, grid.cx, grid.cy, grid.width, grid.order, grid.start, centre, np.float32(row[1]), buffer)
        inside = np.sort(buffer[:m])
        return ScanCluster(isic=activity, centre=centre, radius_km=float(row[1]), n_cases=int(row[2]),
                           n_units=int(row[3]), llr=float(row[0]), p_value=float(p),
                           member_index=inside[case_mask[inside]])


def prepare(xy: np.ndarray, max_radius_km: float = MAX_RADIUS_KM) -> tuple:
    """The grid and sorted neighbour distances of a registry, shared by the scans of all its activities."""
    grid = _Grid.build(np.ascontiguousarray(xy, dtype=np.float64), max_radius_km)
    return (grid, *_sorted_distances(grid))


def scan_registry(columns, *, seed: int = 0, timings: dict | None = None, maxima: dict | None = None,
                  **params) -> list[ScanCluster]:
    """The Bernoulli scan for every activity of a registry (``UnitColumns``): significant clusters.

    Units without coordinates stand at their county seat, as in khoosheh and the DBSCAN baselines.
    Each activity's replicates are drawn from ``seed`` and the activity's position, so a run repeats.
    With ``maxima`` (a dict), each activity's replicate statistics are stored there (its Monte Carlo null,
    which the benchmark's detectability bound reuses)."""
    from khoosheh.analysis.grid import project_km

    lat = np.where(np.isnan(columns.lat), columns.seat_lat, columns.lat)
    lon = np.where(np.isnan(columns.lon), columns.seat_lon, columns.lon)
    xy = np.column_stack(project_km(lat, lon))
    started = time.perf_counter()
    prepared = prepare(xy, params.get("max_radius_km", MAX_RADIUS_KM))
    prepared_at = time.perf_counter()
    clusters = []
    for position, activity in enumerate(np.unique(columns.activity)):
        scan = BernoulliScan(seed=seed * 1000 + position, **params)
        clusters += scan.fit(xy, columns.activity == activity, prepared=prepared, activity=str(activity)).clusters_
        if maxima is not None:
            maxima[str(activity)] = (scan.maxima_, scan.floor_)
    if timings is not None:
        timings.update(prepare=prepared_at - started, scan=time.perf_counter() - prepared_at)
    return clusters
