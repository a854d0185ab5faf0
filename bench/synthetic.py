"""Synthetic registries with planted clusters, for measuring identification.

Background units sit around real county seats (the shipped reference table, weighted by seat
population) with one national activity mix everywhere, so the background itself has no
clusters: an activity is only as common in a place as everywhere else.  Planted clusters are
groups of one activity drawn from a 2-D normal around a point near a seat:

- sizes 10-150 and spreads (standard deviation) 1-8 km, drawn independently for every plant,
  with no rule tying spread to size or to the density around it;
- a quarter inside the five largest cities, a third in the five most common activities;
- pairs of one activity in towns 25-60 km apart;
- decoys that must not be reported: groups below the 10-unit threshold, and extra units that only
  follow the general density — scattered around a big city like its background and drawn from the
  national activity mix, so the city grows denser while no activity's share changes anywhere;
- 3% of all units without coordinates (they stand at their county seat).

The only rule on where plants go keeps two plants of one activity 30 km apart (overlapping
plants would be one cluster, not two).  A plant that no method could tell from its activity's
own background where it lies is not removed by a generator rule: each plant gets an *oracle
bound* — the best Jaccard that an oracle knowing its true centre can reach with any disc
around that centre (the k nearest units of its activity, best k) — and the benchmark excludes
plants whose bound is below the matching threshold, and reports how many, per stratum.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from khoosheh.analysis import UnitColumns
from khoosheh.analysis.grid import project_km
from khoosheh.analysis.scan import bernoulli_llr
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
# The five most common activities (ties broken by code): plants there sit on the thickest background.
TOP_ACTIVITIES = tuple(sorted(ACTIVITY_MIX, key=lambda a: (-ACTIVITY_MIX[a], a))[:5])
SIZE_STRATA = ((10, 15), (16, 40), (41, 150))  # drawn with equal chance, then uniformly within
SPREAD_KM = (1.0, 8.0)
SEPARATION_KM = 30.0  # two plants of one activity are kept this far apart
MATCH_JACCARD = 0.5  # a reported cluster matches a plant at this Jaccard (the benchmark's rule)
KINDS_OF_DECOY = ("below threshold", "follows density")
DENSITY_DECOYS = ("national mix", "one activity")


@dataclass
class Planted:
    activity: str
    county: str
    size: int
    spread_km: float
    kind: str  # "town", "big city", "pair", or a decoy: "below threshold", "follows density"
    members: np.ndarray = field(repr=False, default=None)
    centre: tuple[float, float] = (0.0, 0.0)  # lat, lon
    in_big_city: bool = False
    top_activity: bool = False
    oracle_jaccard: float = float("nan")  # best Jaccard of a disc around the true centre (set for truth)
    oracle_llr: float = float("nan")  # best Bernoulli LLR of such a disc reaching Jaccard MATCH_JACCARD
    detectable: bool | None = None  # oracle_llr above the reference test's critical value (set by the benchmark)

    @property
    def is_decoy(self) -> bool:
        return self.kind in KINDS_OF_DECOY

    @property
    def separable(self) -> bool:
        return self.oracle_jaccard >= MATCH_JACCARD


@dataclass
class SyntheticRegistry:
    columns: UnitColumns
    planted: list[Planted]

    @property
    def truth(self) -> list[Planted]:
        """The plants a method should find: not decoys, and separable by the oracle bound."""
        return [p for p in self.planted if not p.is_decoy and p.separable]

    @property
    def excluded(self) -> list[Planted]:
        return [p for p in self.planted if not p.is_decoy and not p.separable]


def _seats():
    rows = read_reference_csv("counties.csv")
    code = np.array([r["code"] for r in rows])
    province = np.array([r["province_code"] for r in rows])
    lat = np.array([float(r["lat"]) for r in rows])
    lon = np.array([float(r["lon"]) for r in rows])
    population = np.array([float(r["seat_population"] or 5000) for r in rows])
    return code, province, lat, lon, np.maximum(population, 5000) ** 0.9


def big_city_counties() -> list[str]:
    """The counties of the five largest seats (where "big city" plants go)."""
    code, _, _, _, weight = _seats()
    return [str(c) for c in code[np.argsort(-weight)[:5]]]


def _scatter(rng, lat, lon, spread_km, n):
    return (lat + rng.normal(0, spread_km / 111.0, n),
            lon + rng.normal(0, spread_km / (111.0 * np.cos(np.radians(lat))), n))


def make_registry(n_units: int, seed: int, *, n_clusters: int = 40, n_pairs: int = 3, n_small: int = 10,
                  n_diffuse: int = 3, missing_share: float = 0.03,
                  density_decoy: str = "national mix") -> SyntheticRegistry:
    """A registry of about ``n_units`` units.  ``density_decoy``: how the "follows density" decoys are
    drawn — "national mix" (the default: units in the national activity mix, so no share changes) or
    "one activity" (the benchmark's decoy before issue 11's last round: every unit of one activity,
    which is a genuine local excess; kept only to reproduce the earlier figures)."""
    if density_decoy not in DENSITY_DECOYS:
        raise ValueError(f"density_decoy must be one of {DENSITY_DECOYS}")
    rng = np.random.default_rng(seed)
    code, province, seat_lat, seat_lon, weight = _seats()
    seat_p = weight / weight.sum()
    activities = np.array(list(ACTIVITY_MIX))
    mix = np.array(list(ACTIVITY_MIX.values()), float)
    mix /= mix.sum()
    big = np.argsort(-weight)[:5]  # the five largest seats: Tehran, Mashhad, Isfahan, Karaj, Shiraz

    parts_lat, parts_lon, parts_act, parts_seat = [], [], [], []
    planted: list[Planted] = []
    centres: list[tuple[str, float, float]] = []
    count = 0

    def add(seat_index, lat, lon, acts):
        nonlocal count
        parts_lat.append(lat)
        parts_lon.append(lon)
        parts_act.append(acts)
        parts_seat.append(np.broadcast_to(seat_index, len(lat)))
        start, count = count, count + len(lat)
        return np.arange(start, count)

    def plant(seat_index, activity, size, spread, kind, offset_km=None) -> bool:
        offset = rng.uniform(0, 8) if offset_km is None else offset_km
        angle = rng.uniform(0, 2 * np.pi)
        c_lat = seat_lat[seat_index] + offset * np.sin(angle) / 111.0
        c_lon = seat_lon[seat_index] + offset * np.cos(angle) / (111.0 * np.cos(np.radians(seat_lat[seat_index])))
        # Two plants of one activity that overlap are one cluster, not two: keep them apart; where every
        # activity is taken already, plant nothing here.
        taken = {a for a, la, lo in centres if haversine_km(c_lat, c_lon, la, lo) < SEPARATION_KM}
        if activity in taken:
            free = [a for a in activities if a not in taken]
            if not free:
                return False
            activity = str(rng.choice(free))
        centres.append((activity, c_lat, c_lon))
        lat, lon = _scatter(rng, c_lat, c_lon, spread, size)
        members = add(seat_index, lat, lon, np.full(size, activity))
        planted.append(Planted(activity, code[seat_index], size, round(float(spread), 2), kind, members,
                               (float(c_lat), float(c_lon)), bool(seat_index in big), activity in TOP_ACTIVITIES))
        return True

    def draw_size():
        low, high = SIZE_STRATA[rng.integers(len(SIZE_STRATA))]
        return int(rng.integers(low, high + 1))

    for i in range(n_clusters):
        in_big_city = i % 4 == 0
        activity = str(rng.choice(TOP_ACTIVITIES) if i % 3 == 1 else rng.choice(activities, p=mix))
        size, spread = draw_size(), rng.uniform(*SPREAD_KM)
        seat_index = big[rng.integers(len(big))] if in_big_city else rng.choice(len(code), p=seat_p)
        plant(seat_index, activity, size, spread, "big city" if in_big_city else "town")
    for _ in range(n_pairs):  # one activity in two towns 25-60 km apart
        activity, size, spread = str(rng.choice(activities, p=mix)), draw_size(), rng.uniform(*SPREAD_KM)
        first, second = _nearby_towns(rng, seat_lat, seat_lon, weight)
        if plant(first, activity, size, spread, "pair", offset_km=1):
            plant(second, planted[-1].activity, size, spread, "pair", offset_km=1)
    for _ in range(n_small):  # below the 10-unit threshold
        plant(rng.choice(len(code), p=seat_p), str(rng.choice(activities, p=mix)), int(rng.integers(4, 10)), 1.0,
              "below threshold")
    for k in range(n_diffuse):  # extra units that only follow the general density of a big city
        seat_index = big[rng.integers(len(big))]
        n = int(rng.integers(30, 80))
        spread = rng.uniform(3, 15, n)
        lat = seat_lat[seat_index] + rng.normal(0, 1, n) * spread / 111.0
        lon = seat_lon[seat_index] + rng.normal(0, 1, n) * spread / (111.0 * np.cos(np.radians(seat_lat[seat_index])))
        # The draw of the one activity that the decoy had before is kept, so that every other unit of
        # the registry stays where it was and the two decoys can be compared on the same registries.
        activity = str(rng.choice(activities, p=mix))
        if density_decoy == "one activity":  # before: a genuine local excess of that activity
            acts = np.full(n, activity)
        else:  # the city grows denser in the national mix: no activity's share changes anywhere
            activity = "national mix"
            acts = np.random.default_rng([seed, 1_000 + k]).choice(activities, size=n, p=mix)
        members = add(seat_index, lat, lon, acts)
        planted.append(Planted(activity, code[seat_index], n, 9.0, "follows density", members,
                               (float(seat_lat[seat_index]), float(seat_lon[seat_index])), True,
                               activity in TOP_ACTIVITIES))

    background = max(n_units - count, 0)
    seat_index = rng.choice(len(code), size=background, p=seat_p)
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
    lat = np.where(np.isnan(columns.lat), columns.seat_lat, columns.lat)
    lon = np.where(np.isnan(columns.lon), columns.seat_lon, columns.lon)
    xy = project_km(lat, lon)
    for p in planted:
        if not p.is_decoy:
            p.oracle_jaccard, p.oracle_llr = oracle_bound(columns, p, xy)
    return SyntheticRegistry(columns, planted)


def oracle_discs(columns: UnitColumns, plant: Planted, xy=None) -> tuple[np.ndarray, np.ndarray]:
    """The discs around the plant's true centre that an oracle knowing it would try: for each k, the
    disc holding the k units of the plant's activity nearest the centre.  Returns each disc's Jaccard
    with the plant's members and its Bernoulli LLR (Kulldorff 1997) — k cases among all the units
    within that distance, against the activity's national count.  Units without coordinates stand at
    their county seat, as every method places them."""
    if xy is None:
        lat = np.where(np.isnan(columns.lat), columns.seat_lat, columns.lat)
        lon = np.where(np.isnan(columns.lon), columns.seat_lon, columns.lon)
        xy = project_km(lat, lon)
    x, y = xy
    cx, cy = project_km(np.array([plant.centre[0]]), np.array([plant.centre[1]]))
    distance = np.hypot(x - cx[0], y - cy[0])
    same = np.flatnonzero(columns.activity == plant.activity)
    order = np.argsort(distance[same], kind="stable")
    is_member = np.isin(same[order], plant.members)
    shared = np.cumsum(is_member)
    taken = np.arange(1, len(order) + 1)
    jaccard = shared / (taken + len(plant.members) - shared)
    units = np.searchsorted(np.sort(distance), distance[same][order], side="right")  # all units in each disc
    return jaccard, bernoulli_llr(taken, units, len(same), len(distance))


def oracle_bound(columns: UnitColumns, plant: Planted, xy=None) -> tuple[float, float]:
    """(best Jaccard of an oracle disc, best LLR among the oracle discs reaching MATCH_JACCARD).

    A plant whose Jaccard bound is below 0.5 cannot be matched even by a disc that knows where it
    is, so it measures the metric rather than a method.  The LLR bound says how strong the best
    matchable disc is: when it is below the critical value of the field's reference test for the
    whole search (the Bernoulli scan's Monte Carlo null, see ``mark_detectable``), no method testing
    at that level can report the plant without also reporting noise that strong."""
    jaccard, llr = oracle_discs(columns, plant, xy)
    matchable = jaccard >= MATCH_JACCARD
    return float(jaccard.max()), float(llr[matchable].max()) if matchable.any() else 0.0


def mark_detectable(registry: SyntheticRegistry, critical: dict[str, float]) -> None:
    """Set each plant's ``detectable``: its oracle LLR bound reaches ``critical[activity]``, the
    critical LLR of the reference test for that activity (the same for every method)."""
    for p in registry.planted:
        if not p.is_decoy and p.activity in critical:
            p.detectable = bool(p.oracle_llr >= critical[p.activity])


def _nearby_towns(rng, seat_lat, seat_lon, weight):
    while True:
        first = rng.choice(len(seat_lat), p=weight / weight.sum())
        distance = haversine_km(seat_lat[first], seat_lon[first], seat_lat, seat_lon)
        options = np.nonzero((distance > 25) & (distance < 60))[0]
        if len(options):
            return first, rng.choice(options)


def match(clusters, registry: SyntheticRegistry, *, jaccard: float = MATCH_JACCARD) -> dict:
    """One-to-one matching of reported clusters to plants of the same activity at Jaccard >= 0.5,
    best pairs first.  Returns {"plant": {plant position: (report position, Jaccard)},
    "ignored": report positions that match an excluded (inseparable) plant, counted neither way,
    "report_plant": {report position: the plant it matches, excluded or not}}."""
    reported = [(str(c.isic), set(map(int, c.member_index))) for c in clusters]
    pairs = []
    for position, p in enumerate(registry.planted):
        if p.is_decoy:
            continue
        members = set(map(int, p.members))
        for r, (activity, m) in enumerate(reported):
            if activity == p.activity and m & members:
                value = len(m & members) / len(m | members)
                if value >= jaccard:
                    pairs.append((value, position, r))
    plant_match: dict[int, tuple[int, float]] = {}
    used: set[int] = set()
    for value, position, r in sorted(pairs, key=lambda t: (-t[0], t[1], t[2])):
        if position not in plant_match and r not in used:
            plant_match[position] = (r, value)
            used.add(r)
    ignored = {r for position, (r, _) in plant_match.items() if not registry.planted[position].separable}
    return {"plant": {k: v for k, v in plant_match.items() if registry.planted[k].separable}, "ignored": ignored,
            "report_plant": {r: position for position, (r, _) in plant_match.items()},
            "covers": covered_plants(reported, registry)}


def covered_plants(reported: list[tuple[str, set]], registry: SyntheticRegistry) -> dict[int, int]:
    """{report position: plant position} for the reports that are *on* a plant without necessarily
    matching it: the plant of the report's activity sharing most members with it, when the report
    holds at least half of that plant's members and the plant makes at least a quarter of the report
    (so that a report of a whole city does not pass for a report of the plant inside it).  A
    benchmark uses it for the plants it excludes: a plant no disc can match at Jaccard 0.5 is still
    a real excess of its activity, and a report holding most of it is a report of it, not a false
    one (methodology.md, "Which plants a benchmark may count")."""
    plants = [(position, p.activity, set(map(int, p.members))) for position, p in enumerate(registry.planted)
              if not p.is_decoy]
    covers = {}
    for r, (activity, members) in enumerate(reported):
        shared, position, size = max(((len(members & m), position, len(m)) for position, a, m in plants
                                      if a == activity), default=(0, -1, 0))
        if shared and 2 * shared >= size and 4 * shared >= len(members):
            covers[r] = position
    return covers


def evaluate(clusters, registry: SyntheticRegistry, *, jaccard: float = MATCH_JACCARD) -> dict:
    """Recall, precision, F1 and mean Jaccard of matched pairs (one-to-one, Jaccard >= 0.5, same
    activity) over the separable plants; reports matching an excluded plant count neither way."""
    matched = match(clusters, registry, jaccard=jaccard)
    truth = registry.truth
    found = len(matched["plant"])
    considered = len(clusters) - len(matched["ignored"])
    recall = found / len(truth) if truth else 1.0
    precision = found / considered if considered else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    mean_jaccard = float(np.mean([v for _, v in matched["plant"].values()])) if found else float("nan")
    return {"recall": recall, "precision": precision, "f1": f1, "jaccard": mean_jaccard, "planted": len(truth),
            "excluded": len(registry.excluded), "reported": len(clusters)}
