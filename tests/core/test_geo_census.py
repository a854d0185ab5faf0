"""Real land is accepted and the sea and the neighbours are refused, checked against the 2016 census
county polygons in ../shared/data/iran_admin (429 counties; not shipped, skipped where absent).

The census polygons are an independent source but a coarse one: their origin is undocumented and in a
few places their edge strays 5-11 km from where both OpenStreetMap (our outline) and Natural Earth (the
outline the maps draw, public domain) put the border.  Points there are the census polygons' error, not
ours; ``census_error`` names that rule, and each test counts what it excuses and keeps it small.
"""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest
import shapely

from khoosheh.core import geo

KM_PER_DEGREE_LAT = 111.32


@pytest.fixture(scope="module")
def counties(shared_data) -> np.ndarray:
    shapefile = pytest.importorskip("shapefile")  # pyshp, a test dependency
    reader = shapefile.Reader(str(shared_data / "iran_admin" / "census2016_counties_shp" / "iran2016census"))
    shapes = np.array([shapely.geometry.shape(s.__geo_interface__) for s in reader.shapes()])
    invalid = ~shapely.is_valid(shapes)
    shapes[invalid] = shapely.make_valid(shapes[invalid])
    return shapes


@pytest.fixture(scope="module")
def nation(counties):
    """Iran by the census: the union of its counties, lakes (Urmia) filled as ours are."""
    union = shapely.union_all(counties)
    shells = [shapely.Polygon(p.exterior) for p in shapely.get_parts(union) if p.geom_type == "Polygon"]
    nation = shapely.union_all(shells)
    shapely.prepare(nation)
    return nation


@pytest.fixture(scope="module")
def natural_earth():
    with resources.files("khoosheh.core.data").joinpath("iran_outline.geojson").open() as f:
        outline = shapely.geometry.shape(json.load(f)["geometry"])
    shapely.prepare(outline)
    return outline


def offset(lat, lon, km, bearing):
    """Points ``km`` away in direction ``bearing`` (radians), flat-earth: exact enough under 50 km."""
    dlat = km * np.cos(bearing) / KM_PER_DEGREE_LAT
    dlon = km * np.sin(bearing) / (KM_PER_DEGREE_LAT * np.cos(np.radians(lat)))
    return lat + dlat, lon + dlon


def beyond_km(geometry, lat, lon, km):
    """True where a point is surely more than ``km`` from the geometry (a degree of longitude is the
    shorter one, so measuring every degree as one of longitude errs on the near side)."""
    degrees = km / (KM_PER_DEGREE_LAT * np.cos(np.radians(np.abs(lat) + 0.5)))
    return ~shapely.dwithin(geometry, shapely.points(lon, lat), degrees)


def boundary_points(nation, every_degrees=0.05):
    """Points along the census national outline (coast and land borders), about every 5 km."""
    xy = shapely.get_coordinates(shapely.segmentize(nation.boundary, every_degrees))
    return xy[:, 1], xy[:, 0]


def census_error(lat, lon, natural_earth) -> np.ndarray:
    """Where the census polygons' own edge is off, so a point on their land need not be on Iran's."""
    # The census edge strays where OpenStreetMap and Natural Earth agree the point is outside (the Iraq
    # border at Mehran and in the Hawizeh marshes, the Shatt al-Arab and Bahmanshir mouths)...
    natural_earth_says_outside = ~shapely.contains_xy(natural_earth, lon, lat)
    # ...and on two tidal wetlands that the census and Natural Earth draw as land and OpenStreetMap as
    # water, 5.0-5.5 km from its shore: the Hara mangroves in the Khuran strait north of Qeshm, and the
    # Gomishan wetland at the mouth of the Atrek.
    tidal = ((lat > 26.80) & (lat < 26.90) & (lon > 55.50) & (lon < 55.65)) | \
            ((lat > 37.15) & (lat < 37.35) & (lon > 53.85) & (lon < 54.00))
    return natural_earth_says_outside | tidal


def test_points_anywhere_in_every_county_are_accepted(counties, natural_earth):
    lat, lon = sample_in_each(counties, 8, np.random.default_rng(2016))
    refused = geo.judge_locations(lat, lon).refused
    assert lat.shape == (8 * 429,)
    unexplained = refused & ~census_error(lat, lon, natural_earth)
    assert unexplained.sum() == 0, np.column_stack([lat, lon])[unexplained]
    assert refused.sum() <= 0.002 * lat.size


def sample_in_each(polygons: np.ndarray, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``n`` uniform points inside each polygon (rejection sampling in its bounding box, all polygons at once)."""
    shapely.prepare(polygons)
    bounds = shapely.bounds(polygons)
    found = [np.empty((0, 2))] * len(polygons)
    todo = np.arange(len(polygons))
    while todo.size:
        which = np.repeat(todo, 64)
        west, south, east, north = bounds[which].T
        x, y = rng.uniform(west, east), rng.uniform(south, north)
        inside = shapely.contains_xy(polygons[which], x, y)
        for i in todo:
            hits = inside & (which == i)
            found[i] = np.vstack([found[i], np.column_stack([y[hits], x[hits]])])[:n]
        todo = np.array([i for i in todo if len(found[i]) < n], dtype=int)
    points = np.vstack(found)
    return points[:, 0], points[:, 1]


def test_points_within_1_5_km_of_the_coast_or_a_land_border_are_accepted(nation, natural_earth):
    rng = np.random.default_rng(1395)
    lat, lon = boundary_points(nation)
    lat, lon = offset(lat, lon, rng.uniform(0, 1.5, lat.size), rng.uniform(0, 2 * np.pi, lat.size))
    on_land = shapely.contains_xy(nation, lon, lat)  # the land side of the census outline
    lat, lon = lat[on_land], lon[on_land]
    refused = geo.judge_locations(lat, lon).refused
    assert lat.size > 10_000
    unexplained = refused & ~census_error(lat, lon, natural_earth)
    assert unexplained.sum() == 0, np.column_stack([lat, lon])[unexplained]
    assert refused.sum() < 0.005 * lat.size  # what is excused stays a small share of the belt


def test_points_10_km_or_more_outside_iran_are_refused(nation, natural_earth):
    rng = np.random.default_rng(1979)
    lat, lon = boundary_points(nation)
    lat, lon = offset(lat, lon, rng.uniform(10, 40, lat.size), rng.uniform(0, 2 * np.pi, lat.size))
    # Outside by both independent outlines: 10 km or more from the census land (the sea, the
    # neighbours) and from Natural Earth's; and from every island, whichever source maps it (the census
    # and Natural Earth lack, for one, the islets in the Khor Musa estuary).
    islands = sorted(shapely.get_parts(geo._outline().land), key=lambda p: p.area)[:-1]
    outside = beyond_km(nation, lat, lon, 10) & beyond_km(natural_earth, lat, lon, 10)
    outside &= beyond_km(shapely.MultiPolygon(islands), lat, lon, 10)
    lat, lon = lat[outside], lon[outside]
    judgement = geo.judge_locations(lat, lon)
    assert lat.size > 4000
    assert judgement.refused.all(), np.column_stack([lat, lon])[~judgement.refused]


def test_the_cities_of_iran_are_accepted(shared_data):
    """1,562 cities and county seats with coordinates (post.ir, via ../shared/data/iran_places)."""
    cities = json.loads((shared_data / "iran_places" / "cities_sorted.json").read_text())
    located = [c for c in cities.values() if c["lat"] and c["lon"]]
    # The source puts the county of Tangestan 14 km out in the Persian Gulf (its seat, Ahram, is on land).
    located = [c for c in located if not (c["en_name"] == "Tangestan" and c["is_county"])]
    judgement = geo.judge_locations([float(c["lat"]) for c in located], [float(c["lon"]) for c in located])
    assert len(located) > 1500
    assert [c["en_name"] for c, bad in zip(located, judgement.refused, strict=True) if bad] == []
