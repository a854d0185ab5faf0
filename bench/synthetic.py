"""Synthetic registries with planted clusters, for measuring identification.

Background units sit around real county seats (weighted by seat population)
with one national activity mix everywhere, so the background itself has no
clusters: any activity is only as common in a place as everywhere else.
Planted clusters are dense groups of one activity of various sizes and
spreads, some inside the largest cities, some as pairs of one activity in
nearby towns; below-threshold groups are planted too (they must not be
reported); 3% of all units have no coordinates.  Every plant stands out from
its own activity's background where it lies (MIN_DENSITY_RATIO), so that a
planted cluster is a cluster by the definition the method is asked to meet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from khoosheh.analysis import UnitColumns
from khoosheh.core.geo import haversine_km, in_iran
from khoosheh.core.reference import read_reference_csv

ACTIVITY_MIX = {
    "1010": 2, "1030": 3, "1050": 3, "1061": 2, "1071": 3, "1073": 3, "1079": 4, "1080": 2, "1104": 1,
    "1312": 3, "1393": 2, "1410": 4, "1520": 2, "1622": 2, "1702": 2, "1811": 2, "2022": 2, "2023": 3,
    "2029": 2, "2100": 1, "2219": 2, "2220": 7, "2310": 1, "2392": 3, "2393": 2, "2394": 1, "2395": 4,
    "2396": 3, "2410": 1, "2431": 2, "2511": 5, "2592": 4, "2593": 2, "2599": 4, "2610": 1, "2710": 1,
    "2732": 1, "2750": 2, "2813": 2, "2819": 2, "2821": 1, "2829": 2, "2930": 3, "3100": 4, "3211": 1,
    "3290": 2,
}
SIZES = (15, 30, 60, 120, 250)
# A group of 15 spread over kilometres of Tehran is no cluster by any definition: it
# is indistinguishable from the city's own mix.  Inside the big cities plant 60+.
CITY_SIZES = (60, 120, 250)
# Likewise 15 units scattered with a 5 km standard deviation are about 0.1 units per
# km², thinner than any town's own industry: small groups are planted compact.
MAX_SPREAD_KM = {15: 2.0, 30: 3.5}
SPREADS_KM = (1.0, 2.0, 3.5, 5.0)
# And a plant must stand out from its own activity's ordinary units where it lies: within one
# spread of its centre it must be at least this many times as dense as that background.  Below
# about 2.2 not even an oracle that knows the plant's centre and spread can pick a set of units
# that overlaps the plant at Jaccard 0.5 (the activity's ordinary units inside the plant's area
# cannot be told from its own), so such a plant would measure the metric, not the method.
MIN_DENSITY_RATIO = 3.0
_WITHIN_ONE_SPREAD = 1 - np.exp(-0.5)  # share of a 2-D normal plant within one standard deviation
_BACKGROUND_SPREADS_KM = np.linspace(3, 15, 13)  # background units scatter 3-15 km around their seat


@dataclass
class Planted:
    activity: str
    county: str
    size: int
    spread_km: float
    kind: str  # "town", "big city", "pair", "below threshold"
    members: np.ndarray = field(repr=False, default=None)


@dataclass
class SyntheticRegistry:
    columns: UnitColumns
    planted: list[Planted]

    @property
    def truth(self) -> list[Planted]:
        return [p for p in self.planted if p.kind != "below threshold"]


def _seats():
    rows = read_reference_csv("counties.csv")
    code = np.array([r["code"] for r in rows])
    province = np.array([r["province_code"] for r in rows])
    lat = np.array([float(r["lat"]) for r in rows])
    lon = np.array([float(r["lon"]) for r in rows])
    population = np.array([float(r["seat_population"] or 5000) for r in rows])
    return code, province, lat, lon, np.maximum(population, 5000) ** 0.9


def _scatter(rng, lat, lon, spread_km, n):
    return (lat + rng.normal(0, spread_km / 111.0, n),
            lon + rng.normal(0, spread_km / (111.0 * np.cos(np.radians(lat))), n))


def make_registry(n_units: int, seed: int, *, n_clusters: int = 40, n_pairs: int = 3, n_small: int = 10,
                  missing_share: float = 0.03, min_density_ratio: float = MIN_DENSITY_RATIO) -> SyntheticRegistry:
    rng = np.random.default_rng(seed)
    code, province, seat_lat, seat_lon, weight = _seats()
    activities = np.array(list(ACTIVITY_MIX))
    mix = np.array(list(ACTIVITY_MIX.values()), float)
    mix /= mix.sum()
    big = np.argsort(-weight)[:5]  # the five largest seats: Tehran, Mashhad, Isfahan, Karaj, Shiraz

    parts_lat, parts_lon, parts_act, parts_seat = [], [], [], []
    planted: list[Planted] = []
    count = 0

    def add(seat_index, lat, lon, acts):
        nonlocal count
        parts_lat.append(lat)
        parts_lon.append(lon)
        parts_act.append(acts)
        parts_seat.append(np.broadcast_to(seat_index, len(lat)))
        start, count = count, count + len(lat)
        return np.arange(start, count)

    centres: list[tuple[str, float, float]] = []
    share_of = dict(zip(activities, mix, strict=True))

    def background_density(c_lat, c_lon, activity) -> float:
        """Expected units per km² of the activity's ordinary (background) units at a point."""
        d = haversine_km(c_lat, c_lon, seat_lat, seat_lon)[:, None]
        s2 = _BACKGROUND_SPREADS_KM[None, :] ** 2
        per_seat = (np.exp(-d**2 / (2 * s2)) / (2 * np.pi * s2)).mean(axis=1)
        return n_units * share_of[activity] * float((weight / weight.sum() * per_seat).sum())

    def stands_out(c_lat, c_lon, activity, size, spread) -> bool:
        ordinary = background_density(c_lat, c_lon, activity) * np.pi * spread**2
        return _WITHIN_ONE_SPREAD * size >= min_density_ratio * ordinary

    def plant(seat_index, activity, size, spread, kind, offset_km=None) -> bool:
        offset = rng.uniform(0, 8) if offset_km is None else offset_km
        angle = rng.uniform(0, 2 * np.pi)
        c_lat = seat_lat[seat_index] + offset * np.sin(angle) / 111.0
        c_lon = seat_lon[seat_index] + offset * np.cos(angle) / (111.0 * np.cos(np.radians(seat_lat[seat_index])))
        # Two plants of one activity that overlap are one cluster, not two: keep them 20 km
        # apart; where every activity is taken already (Tehran at a million units), plant nothing.
        taken = {a for a, la, lo in centres if haversine_km(c_lat, c_lon, la, lo) < 20}
        if activity in taken:
            free = [a for a in activities if a not in taken]
            if not free:
                return False
            activity = rng.choice(free)
        if kind != "below threshold":
            # Tighter where the activity's own background is dense; if even 1 km is not enough, not here.
            fitting = [s for s in SPREADS_KM if s <= spread and stands_out(c_lat, c_lon, activity, size, s)]
            if not fitting:
                return False
            spread = fitting[-1]
        centres.append((activity, c_lat, c_lon))
        lat, lon = _scatter(rng, c_lat, c_lon, spread, size)
        members = add(seat_index, lat, lon, np.full(size, activity))
        planted.append(Planted(activity, code[seat_index], size, spread, kind, members))
        return True

    # Planted clusters: a quarter inside the big cities, the rest in towns with population; a plant
    # that cannot stand out where it was drawn is drawn again elsewhere (a few tries).
    for i in range(n_clusters):
        in_big_city = i % 4 == 0
        size = int(rng.choice(CITY_SIZES if in_big_city else SIZES))
        spreads = [s for s in SPREADS_KM if s <= MAX_SPREAD_KM.get(size, 99)]
        activity, spread = rng.choice(activities, p=mix), float(rng.choice(spreads))
        for _ in range(20):
            seat_index = big[rng.integers(len(big))] if in_big_city else rng.choice(len(code), p=weight / weight.sum())
            if plant(seat_index, activity, size, spread, "big city" if in_big_city else "town"):
                break
    # Pairs: one activity in two towns 25-60 km apart.
    for _ in range(n_pairs):
        activity, size, spread = rng.choice(activities, p=mix), int(rng.choice(SIZES[1:4])), 2.0
        for _ in range(20):
            first, second = _nearby_towns(rng, seat_lat, seat_lon, weight)
            if plant(first, activity, size, spread, "pair", offset_km=1):
                if not plant(second, activity, size, spread, "pair", offset_km=1):
                    planted[-1].kind = "town"  # its partner could not stand out there: a single plant
                break
    # Below the threshold of 10 units: must not be reported.
    for _ in range(n_small):
        plant(rng.choice(len(code), p=weight / weight.sum()), rng.choice(activities, p=mix), int(rng.integers(4, 8)),
              1.0, "below threshold")

    background = max(n_units - count, 0)
    seat_index = rng.choice(len(code), size=background, p=weight / weight.sum())
    spread = rng.uniform(3, 15, background)
    lat = seat_lat[seat_index] + rng.normal(0, 1, background) * spread / 111.0
    km_per_degree_lon = 111.0 * np.cos(np.radians(seat_lat[seat_index]))
    lon = seat_lon[seat_index] + rng.normal(0, 1, background) * spread / km_per_degree_lon
    add(seat_index, lat, lon, rng.choice(activities, size=background, p=mix))

    # Rounded as a file stores them (5 decimals, about a metre) before the Iran check.
    lat, lon = np.concatenate(parts_lat).round(5), np.concatenate(parts_lon).round(5)
    seat = np.concatenate(parts_seat)
    outside = ~in_iran(lat, lon, tolerance_km=0)  # strictly on land: no warnings on import
    lat[outside], lon[outside] = seat_lat[seat[outside]], seat_lon[seat[outside]]
    n = len(lat)
    missing = rng.random(n) < missing_share
    lat[missing], lon[missing] = np.nan, np.nan
    employees = np.minimum(3000, np.maximum(1, rng.lognormal(2.4, 1.05, n))).round()
    exporter = np.where(rng.random(n) < 0.3, np.nan, (rng.random(n) < 0.15).astype(float))
    status = rng.choice(["active", "idle", "half_finished", "closed"], size=n, p=[0.78, 0.12, 0.06, 0.04])
    columns = UnitColumns(
        key=np.array([f"row:{i + 2}" for i in range(n)]), activity=np.concatenate(parts_act).astype(str),
        province=province[seat], county=code[seat], lat=lat, lon=lon, seat_lat=seat_lat[seat],
        seat_lon=seat_lon[seat], employees=employees, exporter=exporter, status=status,
    )
    return SyntheticRegistry(columns, planted)


def _nearby_towns(rng, seat_lat, seat_lon, weight):
    while True:
        first = rng.choice(len(seat_lat), p=weight / weight.sum())
        distance = haversine_km(seat_lat[first], seat_lon[first], seat_lat, seat_lon)
        options = np.nonzero((distance > 25) & (distance < 60))[0]
        if len(options):
            return first, rng.choice(options)


def evaluate(clusters, registry: SyntheticRegistry, *, jaccard: float = 0.5) -> dict:
    """Recall, precision and F1: a planted cluster is found when a reported
    cluster of the same activity shares members with it at Jaccard >= 0.5."""
    truth = registry.truth
    reported = [(c.isic, set(map(int, c.member_index))) for c in clusters]
    matched_reports: set[int] = set()
    found = 0
    for p in truth:
        members = set(map(int, p.members))
        hits = [i for i, (activity, m) in enumerate(reported)
                if activity == p.activity and len(m & members) / len(m | members) >= jaccard]
        if hits:
            found += 1
            matched_reports.update(hits)
    recall = found / len(truth) if truth else 1.0
    precision = len(matched_reports) / len(reported) if reported else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"recall": recall, "precision": precision, "f1": f1, "planted": len(truth), "reported": len(reported)}
