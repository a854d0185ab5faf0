"""Great-circle distance, and where a point lies against Iran's land outline, in kilometres.

The outline (data/iran_land.geojson, 106 polygons: the mainland and its islands, lakes counted as land) is
OpenStreetMap's political boundary of Iran clipped at the sea coast, from the npm package
@geo-maps/countries-coastline-10m (ODbL, © OpenStreetMap contributors), about 10 m accurate;
tools/build_iran_outline.py rebuilds it, docs/reference-data.md says how.  Every function here takes
whole columns (NumPy arrays, lists, Polars or pandas Series) and returns arrays in the same order, so a
columnar validator calls each once per file:

>>> judgement = judge_locations([35.69, 27.14, 33.31], [51.39, 56.27, 44.36])  # Tehran, off Bandar Abbas, Baghdad
>>> judgement.inside.tolist(), judgement.near.tolist(), judgement.refused.tolist()
([True, False, False], [False, True, False], [False, False, True])
>>> [near_border_warning(km) for km in judgement.km_outside[judgement.near]]  # doctest: +ELLIPSIS
['این نقطه ۳٫۰ کیلومتر بیرون از مرز ایران است؛ ...']

A point a little outside the outline (a factory on the shore, a coordinate rounded to 2 decimals, the
outline's own error) is accepted with a warning up to ``LOCATION_TOLERANCE_KM``; farther, it is refused.

Distances outside the outline are measured in a conformal (Lambert conic) projection of Iran and
divided by the projection's scale at the point, which makes them true to within 1% (under 50 m at
5 km) against the spherical great-circle distance.  NaN coordinates (a row without a location) give
NaN and are neither accepted nor refused.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources

import numpy as np
import scipy.ndimage
import shapely

from .text import to_persian_digits

__all__ = [
    "EARTH_RADIUS_KM", "LOCATION_TOLERANCE_KM", "MEASURED_UP_TO_KM", "LocationJudgement", "haversine_km",
    "in_iran", "judge_locations", "km_outside_iran", "near_border_warning", "outside_iran_error",
    "outline_for_maps",
]

EARTH_RADIUS_KM = 6371.0088
# A point this far outside the outline is still accepted (with a warning): the default of the
# KHOOSHEH_LOCATION_TOLERANCE_KM setting.
LOCATION_TOLERANCE_KM = 5.0
# km_outside_iran measures distances up to this far out at most; beyond, a point is just "far" (inf).
# The nearest-edge search costs more the farther it looks, so judge_locations looks only as far as its
# tolerance.  (It must stay under the grid's margin, about 160 km.)
MEASURED_UP_TO_KM = 100.0
# A grid of cells this size (degrees) over Iran and a margin around it answers most points by array
# lookup, without the polygon test: a cell wholly inside the outline is land (about 92% of Iran's area,
# so most points of a real file), and a cell known to lie more than d km from land is "far" for any
# tolerance under d.
_GRID_STEP = 0.1
_GRID_MARGIN = 2.0
# A degree spans at least this many km anywhere on the grid (a degree of longitude at 42.5° N, less 5%
# for the flat-degree approximation): it turns a distance in degrees into a lower bound in km.
_MIN_KM_PER_DEGREE = 111.3 * np.cos(np.radians(42.5)) * 0.95

# Lambert conformal conic for Iran: standard parallels 30° and 36° N, central meridian 54° E.
_PHI1, _PHI2, _LAMBDA0, _PHI0 = np.radians([30.0, 36.0, 54.0, 32.5])
_N = np.log(np.cos(_PHI1) / np.cos(_PHI2)) / np.log(np.tan(np.pi / 4 + _PHI2 / 2) / np.tan(np.pi / 4 + _PHI1 / 2))
_F = np.cos(_PHI1) * np.tan(np.pi / 4 + _PHI1 / 2) ** _N / _N
_RHO0 = EARTH_RADIUS_KM * _F / np.tan(np.pi / 4 + _PHI0 / 2) ** _N


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km; works on scalars and NumPy arrays alike."""
    lat1, lon1, lat2, lon2 = (np.radians(np.asarray(a, dtype=float)) for a in (lat1, lon1, lat2, lon2))
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(h))


def _lambert(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Projected x, y (km) and the projection's scale factor at each point."""
    phi, lam = np.radians(lat), np.radians(lon)
    rho = EARTH_RADIUS_KM * _F / np.tan(np.pi / 4 + phi / 2) ** _N
    theta = _N * (lam - _LAMBDA0)
    scale = _N * rho / (EARTH_RADIUS_KM * np.cos(phi))
    return rho * np.sin(theta), _RHO0 - rho * np.cos(theta), scale


@dataclass(frozen=True)
class _Grid:
    west: float
    south: float
    interior: np.ndarray  # [row, col]: the cell lies wholly inside the outline
    clear_km: np.ndarray  # [row, col]: every point of the cell is at least this far from land

    def cells(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each point's cell: (wholly inside, km clear of land); off the grid the margin is clear."""
        col = np.floor((lon - self.west) / _GRID_STEP)
        row = np.floor((lat - self.south) / _GRID_STEP)
        rows, cols = self.interior.shape
        on = (row >= 0) & (row < rows) & (col >= 0) & (col < cols)  # False for NaN too
        row, col = row[on].astype(np.intp), col[on].astype(np.intp)
        interior = np.zeros(lon.shape, dtype=bool)
        clear_km = np.full(lon.shape, _GRID_MARGIN * _MIN_KM_PER_DEGREE)
        interior[on], clear_km[on] = self.interior[row, col], self.clear_km[row, col]
        return interior, clear_km


@dataclass(frozen=True)
class _Outline:
    land: shapely.MultiPolygon  # lon/lat degrees, prepared for contains_xy
    grid: _Grid
    edges: shapely.STRtree  # the boundary's segments, projected (km), for nearest-edge queries


@functools.cache
def outline_for_maps(tolerance_deg: float = 0.003) -> dict:
    """The land outline simplified for drawing, as a GeoJSON Feature: about 6,000 points (125 kB) instead of
    the 10 m outline's 40,000, still true to a few hundred metres at a cluster's scale (for drawing only:
    rounding may let a ring touch itself, which a map does not mind)."""
    with resources.files("khoosheh.core.data").joinpath("iran_land.geojson").open() as f:
        land = shapely.geometry.shape(json.load(f)["geometry"])
    simple = shapely.transform(shapely.simplify(land, tolerance_deg, preserve_topology=True),
                               lambda xy: np.round(xy, 4))  # ~10 m: more digits only weigh
    return {"type": "Feature", "properties": {"source": "© OpenStreetMap contributors (ODbL)"},
            "geometry": json.loads(shapely.to_geojson(simple))}


@functools.cache
def _outline() -> _Outline:
    with resources.files("khoosheh.core.data").joinpath("iran_land.geojson").open() as f:
        land = shapely.geometry.shape(json.load(f)["geometry"])
    shapely.prepare(land)
    segments = []  # (n, 2 ends, lon/lat)
    for ring in shapely.get_rings(shapely.get_parts(land)):
        xy = shapely.get_coordinates(ring)
        segments.append(np.stack([xy[:-1], xy[1:]], axis=1))
    segments = np.concatenate(segments)
    x, y, _ = _lambert(segments[..., 0], segments[..., 1])
    projected = shapely.STRtree(shapely.linestrings(np.stack([x, y], axis=-1)))
    return _Outline(land, _grid(land, shapely.linestrings(segments)), projected)


def _grid(land: shapely.MultiPolygon, segments: np.ndarray) -> _Grid:
    west, south, east, north = land.bounds
    west, south = west - _GRID_MARGIN, south - _GRID_MARGIN
    cols = int(np.ceil((east + _GRID_MARGIN - west) / _GRID_STEP))
    rows = int(np.ceil((north + _GRID_MARGIN - south) / _GRID_STEP))
    x, y = np.meshgrid(west + _GRID_STEP * np.arange(cols), south + _GRID_STEP * np.arange(rows))
    cells = shapely.box(x, y, x + _GRID_STEP, y + _GRID_STEP).ravel()
    crossed = np.zeros(cells.size, dtype=bool)
    crossed[shapely.STRtree(segments).query(cells, predicate="intersects")[0]] = True
    crossed = crossed.reshape(x.shape)
    # A cell no edge touches lies wholly on one side of the outline: its centre says which.
    centre_on_land = shapely.contains_xy(land, x + _GRID_STEP / 2, y + _GRID_STEP / 2)
    interior = ~crossed & centre_on_land
    # Any point of a cell whose centre is d cells from the nearest crossed cell's centre is at least
    # d - √2 cells from any edge.
    cells_away = scipy.ndimage.distance_transform_edt(~crossed)
    clear_km = np.maximum(cells_away - np.sqrt(2), 0) * _GRID_STEP * _MIN_KM_PER_DEGREE
    clear_km[interior] = 0.0
    return _Grid(west, south, interior, clear_km)


def km_outside_iran(lat, lon, *, up_to_km: float = MEASURED_UP_TO_KM) -> np.ndarray:
    """Kilometres from each point to Iran's land: 0 on land, the distance to the outline for points
    outside (up to ``up_to_km``; inf beyond), NaN where a coordinate is NaN."""
    if not 0 <= up_to_km <= MEASURED_UP_TO_KM:
        raise ValueError(f"up_to_km must be between 0 and {MEASURED_UP_TO_KM}")
    lat = np.atleast_1d(np.asarray(lat, dtype=float))
    lon = np.atleast_1d(np.asarray(lon, dtype=float))
    outline = _outline()
    km = np.full(lat.shape, np.inf)
    km[np.isnan(lat) | np.isnan(lon)] = np.nan
    # The grid answers most points; only those near the outline reach the polygon test.
    interior, clear_km = outline.grid.cells(lon, lat)
    km[interior] = 0.0
    candidates = np.flatnonzero(~interior & (clear_km <= up_to_km) & ~np.isnan(km))
    inside = shapely.contains_xy(outline.land, lon[candidates], lat[candidates])
    km[candidates[inside]] = 0.0
    outside = candidates[~inside]
    if outside.size:
        km[outside] = _km_to_outline(outline, lon[outside], lat[outside], up_to_km)
    return km


def _km_to_outline(outline: _Outline, lon: np.ndarray, lat: np.ndarray, up_to_km: float) -> np.ndarray:
    x, y, scale = _lambert(lon, lat)
    search = max(up_to_km, 1e-3) * scale.max()  # projected km; GEOS wants a positive distance
    found, projected_km = outline.edges.query_nearest(
        shapely.points(x, y), max_distance=search, return_distance=True, all_matches=False)
    km = np.full(lon.shape, np.inf)
    point = found[0]
    # A conformal projection stretches every direction alike, by `scale`, near the point.
    km[point] = projected_km / scale[point]
    km[km > up_to_km] = np.inf
    return km


@dataclass(frozen=True)
class LocationJudgement:
    """Where each point of a column lies against Iran's outline.

    Attributes
    ----------
    km_outside : ndarray of float
        0 on land; km outside the outline (inf beyond the tolerance); NaN without coordinates.
    tolerance_km : float
        How far outside a point is still accepted.
    """

    km_outside: np.ndarray
    tolerance_km: float

    @property
    def inside(self) -> np.ndarray:
        return self.km_outside == 0

    @property
    def near(self) -> np.ndarray:
        """Outside the outline but within the tolerance: accepted, with a warning."""
        return (self.km_outside > 0) & (self.km_outside <= self.tolerance_km)

    @property
    def refused(self) -> np.ndarray:
        return self.km_outside > self.tolerance_km


def judge_locations(lat, lon, *, tolerance_km: float = LOCATION_TOLERANCE_KM) -> LocationJudgement:
    """Judge whole columns of coordinates (degrees WGS84) against Iran's outline."""
    return LocationJudgement(km_outside_iran(lat, lon, up_to_km=tolerance_km), float(tolerance_km))


def in_iran(lat, lon, *, tolerance_km: float = LOCATION_TOLERANCE_KM) -> np.ndarray:
    """Boolean array: which (lat, lon) pairs lie in Iran (islands included) or within the tolerance."""
    return km_outside_iran(lat, lon, up_to_km=tolerance_km) <= tolerance_km


def _persian_km(km: float) -> str:
    return to_persian_digits(f"{km:.1f}").replace(".", "٫")  # ٫ is the Persian decimal separator


def near_border_warning(km: float) -> str:
    """For a point accepted just outside the outline, e.g. «… ۳٫۲ کیلومتر بیرون از مرز ایران است …»."""
    return (f"این نقطه {_persian_km(max(km, 0.1))} کیلومتر بیرون از مرز ایران است؛ "
            "پذیرفته شد، ولی مختصات را بررسی کنید")


def outside_iran_error(tolerance_km: float) -> str:
    """For a point refused: farther than the tolerance from Iran's land."""
    tolerance = to_persian_digits(f"{tolerance_km:g}").replace(".", "٫")
    return f"این نقطه بیرون از ایران است (بیش از {tolerance} کیلومتر از مرز)"
