"""Stage 5 of identification: a cluster described from its members — where it is, how large, its
indicators — and the run's clusters finished: ordered, named, scored with stars."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from khoosheh.core.geo import haversine_km

from .columns import UnitColumns
from .placement import PlacedUnits
from .scoring import score_clusters

SMALL_UNIT_EMPLOYEES = 50  # ISIPO size classes: micro < 10, small < 50
MICRO_UNIT_EMPLOYEES = 10


@dataclass
class Cluster:
    """One identified cluster: a significant local concentration of one activity.

    Attributes
    ----------
    id : str
        ``{isic}-{county}-{n}``: the n-th cluster of the activity in its main county, in the run's
        order (stable for the same input and parameters).
    isic : str
        The activity code, at the level the run chose (4: ISIC class, 3: group, 2: division).
    province, county : str
        The province and county codes holding most members.
    provinces, counties : list of str
        Every province and county with members, most members first.
    centroid : tuple of float
        (lat, lon) mean of the members' positions, 5 decimals.
    extent_km : float
        90th percentile of the members' distances to the centroid.
    bbox : tuple of float
        (south, west, north, east) of the members, degrees.
    n_units : int
        Members.
    employees : int
        Members' employees, those of unknown size counted as 0.
    lq : float
        Location quotient of the footprint: the activity's share there over its national share.
    p_value : float
        The winning window's p-value for the whole search (Bonferroni or Monte Carlo).
    share_small, share_micro : float
        Shares of members of known size with fewer than 50 (small) or 10 (micro) employees; NaN if
        none has a known size.
    share_exporters : float
        Share of exporters among members whose export status is known; NaN if none.
    share_idle : float
        Share of members whose status is idle.
    located_by_county : int
        Members without coordinates, placed at their county seat.
    score : float
        Strength score 0-1 (scoring.score_clusters).
    stars : int
        0-3 stars (scoring.score_clusters).
    star_reasons : list of str
        The criteria the stars were given for.
    members : list of str
        Members' keys (national ID, or "row:N").
    member_index : ndarray of int
        Members' positions in the input columns.
    """

    id: str
    isic: str
    province: str
    provinces: list[str]
    county: str
    counties: list[str]
    centroid: tuple[float, float]
    extent_km: float
    bbox: tuple[float, float, float, float]
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
    member_index: np.ndarray = field(default=None, repr=False)


def describe_cluster(columns: UnitColumns, placed: PlacedUnits, members: np.ndarray, isic: str, lq: float,
                     p_value: float) -> Cluster:
    """A cluster's description from its members (positions in the input columns); id, score and
    stars are given when the run is finished."""
    mlat, mlon = placed.lat[members], placed.lon[members]
    clat, clon = float(np.mean(mlat)), float(np.mean(mlon))
    distance = haversine_km(mlat, mlon, clat, clon)
    employees = columns.employees[members]
    known = ~np.isnan(employees)
    exporters = columns.exporter[members]
    provinces = [c for c, _ in Counter(columns.province[members]).most_common()]
    counties = [c for c, _ in Counter(columns.county[members]).most_common()]
    return Cluster(
        id="", isic=str(isic), province=provinces[0], provinces=provinces, county=counties[0], counties=counties,
        centroid=(round(clat, 5), round(clon, 5)),
        extent_km=round(float(np.percentile(distance, 90)), 2),
        bbox=(round(float(mlat.min()), 5), round(float(mlon.min()), 5), round(float(mlat.max()), 5),
              round(float(mlon.max()), 5)),
        n_units=len(members), employees=int(np.nansum(employees)), lq=round(float(lq), 3),
        p_value=p_value,
        share_small=_share(employees[known] < SMALL_UNIT_EMPLOYEES),
        share_micro=_share(employees[known] < MICRO_UNIT_EMPLOYEES),
        share_exporters=_share(exporters[~np.isnan(exporters)] == 1),
        share_idle=_share(columns.status[members] == "idle"),
        located_by_county=int((~placed.located[members]).sum()),
        members=[str(k) for k in columns.key[members]],
        member_index=members,
    )


def finish_clusters(clusters: list[Cluster], columns: UnitColumns) -> np.ndarray:
    """Order the clusters (activity, county, size, centroid), give them ids, score them against each
    other; returns each unit's cluster position (-1 for none)."""
    known = np.isfinite(columns.exporter)
    name_and_score(clusters, exporters=float(np.nansum(columns.exporter)), known=int(known.sum()))
    labels = np.full(len(columns), -1, dtype=np.int64)
    for position, cluster in enumerate(clusters):
        labels[cluster.member_index] = position
    return labels


def name_and_score(clusters: list[Cluster], *, exporters: float, known: int) -> None:
    """Order the clusters (activity, county, size, centroid), give them ids and score them against each
    other; ``exporters`` of ``known`` units with a known exporter flag in the whole registry (sums, so a
    distributed engine adds them up over partitions)."""
    clusters.sort(key=lambda c: (c.isic, c.county, -c.n_units, c.centroid))
    per_place: Counter = Counter()
    for cluster in clusters:
        per_place[(cluster.isic, cluster.county)] += 1
        cluster.id = f"{cluster.isic}-{cluster.county}-{per_place[(cluster.isic, cluster.county)]}"
    score_clusters(clusters, national_exporter_share=exporters / known if known else np.nan)


def _share(mask: np.ndarray) -> float:
    return round(float(mask.mean()), 4) if len(mask) else float("nan")
