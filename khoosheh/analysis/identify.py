"""Identify industrial clusters: significant local over-representation of one
activity against the distribution of all industrial units, grouped in space.

The method (docs/methodology.md explains and justifies it):

1. Project every unit to kilometres and put it in a grid cell of
   ``distance_km / 2``; units without coordinates stand at their county seat.
2. For each cell and activity, count the units of that activity (k) and of all
   activities (n) within ``distance_km``.  The counterfactual is the
   distribution of all units: were activity labels shuffled over the existing
   units (random relabelling), k would follow the hypergeometric distribution
   Hyp(N, N_a, n).  Its upper tail is the exact p-value of a Monte Carlo
   relabelling test with infinitely many permutations.  The local location
   quotient is LQ = (k / n) / (N_a / N).
3. A (cell, activity) is a *core* when, after the Benjamini–Hochberg correction
   over all tests, q <= ``alpha``; LQ >= ``min_lq``; and k >= ``min_core_units``.
   Being dense is not enough: Tehran is dense in everything, so its LQs are
   near 1 unless one activity really stands out there.  With ``fine_scale`` the
   same test also runs at half the distance on cells of half the size (one BH
   correction over both scales), and a cell holding a fine-scale core is a core:
   a compact cluster in a dense city is diluted within the full distance.
4. Core cells of one activity within ``distance_km`` of each other form one
   group (connected components); a group's members are the activity's units
   in its core cells and in the cells touching them.
5. A group is reported when it has >= ``min_units`` members, >= ``min_employees``
   employees, and its own footprint (its core cells taken together) passes the
   same test at ``alpha`` divided by the number of groups tested (Bonferroni).

Deterministic: nothing is random (the exact tail replaces simulation), so the
same input and parameters give the same clusters, in the same order, with the
same ids.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from scipy.special import bdtrc

from khoosheh.core.geo import haversine_km

from .grid import cell_ids, disk_offsets, neighbourhood_sums, neighbours_present, project_km
from .scoring import score_clusters
from .significance import benjamini_hochberg

SMALL_UNIT_EMPLOYEES = 50  # ISIPO size classes: micro < 10, small < 50


@dataclass(frozen=True)
class IdentifyParams:
    """Thresholds of the method; docs/methodology.md gives each one's reason."""

    distance_km: float = 4.0
    min_units: int = 10
    min_employees: int = 0
    alpha: float = 0.01
    min_lq: float = 1.5
    min_core_units: int = 5
    member_lq: float = 1.5  # cells near a core join the cluster where the activity's LQ reaches this
    member_reach_km: float = 2.6  # how far from a core cell such cells may lie (the edge neighbours)
    activity_level: int = 4  # 4: ISIC class; 3: group; 2: division ("related activities")
    fine_scale: bool = True  # also test at half the distance (compact concentrations in dense cities)

    def __post_init__(self):
        if self.distance_km <= 0:
            raise ValueError("distance_km must be positive")
        if not 0 < self.alpha < 1:
            raise ValueError("alpha must lie between 0 and 1")
        if self.min_units < 1 or self.min_core_units < 1:
            raise ValueError("min_units and min_core_units must be at least 1")
        if self.activity_level not in (2, 3, 4):
            raise ValueError("activity_level must be 2, 3 or 4")


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
        cell_km = p.distance_km / 2
        cells = cell_ids(*project_km(lat, lon), cell_km)
        offsets = disk_offsets(p.distance_km / cell_km)

        codes = np.array([a[: p.activity_level] for a in units.activity]) if p.activity_level < 4 else units.activity
        activities, activity_of = np.unique(codes, return_inverse=True)
        national = np.bincount(activity_of, minlength=len(activities)).astype(float)

        # Every unit counts in the background (n); per activity, the foreground (k).
        self.progress("local statistics")
        local = _local_tests(cells, activity_of, national, offsets)
        all_cells, all_counts = local.all_cells, local.all_counts
        pair_cell, pair_activity, pair_counts, unit_pair = (local.pair_cell, local.pair_activity, local.pair_counts,
                                                            local.unit_pair)
        share = national[pair_activity] / n_total
        tests = [local.p_value]
        if p.fine_scale:
            # The same test at half the distance, on cells of half the size: where units are dense (a big
            # city) a compact concentration is diluted within the full distance but stands out within half.
            fine = _local_tests(cell_ids(*project_km(lat, lon), cell_km / 2), activity_of, national, offsets)
            tests.append(fine.p_value)
        q_values = np.split(benjamini_hochberg(np.concatenate(tests)), [len(local.p_value)])
        core = (q_values[0] <= p.alpha) & (local.lq >= p.min_lq) & (local.k >= p.min_core_units)
        if p.fine_scale:
            fine_core = (q_values[1] <= p.alpha) & (fine.lq >= p.min_lq) & (fine.k >= p.min_core_units)
            # A cell is a core when a core of the fine scale lies in it.
            core[unit_pair[fine_core[fine.unit_pair]]] = True

        self.progress("grouping")
        groups = self._group_cores(pair_cell, pair_activity, core, offsets)
        reach = disk_offsets(p.member_reach_km / cell_km)
        # Membership looks at each cell's own mix: the neighbourhood LQ of a cell
        # next to a strong core is high merely because the core is in its reach.
        n_cell = all_counts[np.searchsorted(all_cells, pair_cell)]
        own_lq = (pair_counts / n_cell) / share
        members_of_pair = self._extend(pair_cell, pair_activity, groups, reach, own_lq >= p.member_lq)
        self.progress("clusters")
        self._build(units, lat, lon, all_cells, all_counts, pair_cell, pair_activity, pair_counts, unit_pair,
                    members_of_pair, groups, activities, national, n_total)
        return self

    @staticmethod
    def _group_cores(pair_cell, pair_activity, core, offsets) -> np.ndarray:
        """Component number of each core (cell, activity); -1 elsewhere."""
        core_index = np.nonzero(core)[0]
        groups = np.full(len(pair_cell), -1, dtype=np.int64)
        if len(core_index) == 0:
            return groups
        i, j = neighbours_present(pair_cell[core_index], offsets, pair_activity[core_index])
        graph = sparse.coo_matrix((np.ones(len(i)), (i, j)), shape=(len(core_index), len(core_index)))
        _, component = connected_components(graph, directed=False)
        groups[core_index] = component
        return groups

    @staticmethod
    def _extend(pair_cell, pair_activity, groups, offsets, over_represented) -> np.ndarray:
        """Group of each (cell, activity) after adding the cells within the
        distance of a core cell of the same activity where the activity is
        over-represented (local LQ >= member_lq); the nearest core wins."""
        extended = groups.copy()
        is_core = groups >= 0
        if not is_core.any():
            return extended
        core_keys = (pair_activity[is_core] << 44) | pair_cell[is_core]
        order = np.argsort(core_keys)
        core_sorted, core_groups = core_keys[order], groups[is_core][order]
        candidates = np.nonzero(~is_core & over_represented)[0]
        keys = (pair_activity[candidates] << 44) | pair_cell[candidates]
        for offset in offsets[1:]:  # nearest first; offset 0 is the cell itself
            undecided = extended[candidates] < 0
            wanted = keys[undecided] + offset
            position = np.searchsorted(core_sorted, wanted)
            position[position == len(core_sorted)] = 0
            hit = core_sorted[position] == wanted
            targets = candidates[undecided][hit]
            extended[targets] = core_groups[position[hit]]
        return extended

    def _build(self, units, lat, lon, all_cells, all_counts, pair_cell, pair_activity, pair_counts, unit_pair,
               members_of_pair, groups, activities, national, n_total) -> None:
        p = self.params
        unit_group = members_of_pair[unit_pair]
        in_group = np.nonzero(unit_group >= 0)[0]
        if len(in_group) == 0:
            return
        order = np.argsort(unit_group[in_group], kind="stable")
        sorted_units = in_group[order]
        boundaries = np.flatnonzero(np.diff(unit_group[sorted_units])) + 1
        candidates = []
        for member_index in np.split(sorted_units, boundaries):
            employees = np.nansum(units.employees[member_index])
            if len(member_index) >= p.min_units and employees >= p.min_employees:
                candidates.append(member_index)
        tests = max(len(candidates), 1)
        exporter_share = np.nanmean(units.exporter) if np.isfinite(units.exporter).any() else np.nan
        # Pairs are sorted by (activity, cell): each activity's pairs are one slice.
        activity_start = np.searchsorted(pair_activity, np.arange(len(activities) + 1))
        core_pairs = np.nonzero(groups >= 0)[0]
        core_by_group = np.split(core_pairs[np.argsort(groups[core_pairs], kind="stable")],
                                 np.flatnonzero(np.diff(np.sort(groups[core_pairs]))) + 1)
        for member_index in candidates:
            core_of_group = core_by_group[unit_group[member_index[0]]]  # components are numbered 0..C-1
            activity = int(pair_activity[core_of_group[0]])
            # The group's own footprint (its core cells) must pass the test at alpha / groups: the
            # cores were found cell by cell; this asks whether the group as a whole stands out.
            # (Its cores' whole neighbourhoods would dilute a compact cluster in a dense town.)
            lo, hi = activity_start[activity], activity_start[activity + 1]
            footprint = np.unique(pair_cell[core_of_group])
            n_foot = _sum_at(all_cells, all_counts, footprint)
            k_foot = _sum_at(pair_cell[lo:hi], pair_counts[lo:hi], footprint)
            p_value = float(upper_tail(k_foot, n_foot, national[activity] / n_total))
            if p_value > p.alpha / tests:
                continue
            lq = (k_foot / n_foot) / (national[activity] / n_total)
            self.clusters_.append(self._describe(units, lat, lon, member_index, activities[activity], lq, p_value))
        self._finish(units, exporter_share)

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
class _LocalTests:
    all_cells: np.ndarray  # occupied cells (sorted) and their unit counts
    all_counts: np.ndarray
    pair_cell: np.ndarray  # occupied (activity, cell) pairs, sorted by activity then cell
    pair_activity: np.ndarray
    pair_counts: np.ndarray
    unit_pair: np.ndarray  # each unit's pair
    k: np.ndarray  # units of the pair's activity within the distance
    lq: np.ndarray
    p_value: np.ndarray


def _local_tests(cells, activity_of, national, offsets) -> _LocalTests:
    """For every occupied (activity, cell): k and n within the neighbourhood, LQ, and the p-value of
    the relabelling test (step 2 of the method)."""
    n_total = len(cells)
    all_cells, all_counts = np.unique(cells, return_counts=True)
    n_local_cell = neighbourhood_sums(all_cells, all_counts.astype(float), offsets)
    pair = activity_of.astype(np.int64) << 44 | cells
    pairs, unit_pair, pair_counts = np.unique(pair, return_inverse=True, return_counts=True)
    pair_activity = pairs >> 44
    pair_cell = pairs & ((1 << 44) - 1)
    k_local = neighbourhood_sums(pair_cell, pair_counts.astype(float), offsets, group=pair_activity)
    n_local = n_local_cell[np.searchsorted(all_cells, pair_cell)]
    share = national[pair_activity] / n_total
    lq = (k_local / n_local) / share
    return _LocalTests(all_cells, all_counts, pair_cell, pair_activity, pair_counts, unit_pair, k_local, lq,
                       upper_tail(k_local, n_local, share))


def upper_tail(k, n, p):
    """P(X >= k) for X ~ Binomial(n, p).

    Random relabelling draws the n labels of a neighbourhood from the national
    pool without replacement, so k is hypergeometric; with n far below the
    national total the binomial is a close and slightly conservative stand-in
    (its tail is the heavier), and it is computed in C for a million tests at once.
    """
    k, n = np.rint(k).astype(np.int64), np.rint(n).astype(np.int64)
    return np.where(k <= 0, 1.0, bdtrc(np.maximum(k - 1, 0), n, p))


def _sum_at(sorted_keys: np.ndarray, values: np.ndarray, wanted: np.ndarray) -> float:
    """Sum of values at the keys (sorted, unique) that are among the wanted ones."""
    position = np.searchsorted(sorted_keys, wanted)
    position[position == len(sorted_keys)] = 0
    hit = sorted_keys[position] == wanted
    return float(values[position[hit]].sum())


def _share(mask: np.ndarray) -> float:
    return round(float(mask.mean()), 4) if len(mask) else float("nan")


def identify_clusters(units: UnitColumns, params: IdentifyParams | None = None, **kwargs) -> list[Cluster]:
    """Function form of :class:`ClusterIdentifier`."""
    return ClusterIdentifier(params, **kwargs).fit(units).clusters_
