"""Great-circle distance and the "is this point in Iran?" test.

Iran's outline is Natural Earth's 1:10m admin-0 polygon (public domain,
islands included), shipped in data/iran_outline.geojson.  The outline is
about a kilometre accurate, so a point counts as inside when it, or a point
``COAST_TOLERANCE_DEG`` away in any of the four directions, falls inside —
a factory on the Persian Gulf shore must not be refused for a coarse coastline.
"""

from __future__ import annotations

import functools
import json
from importlib import resources

import numpy as np

EARTH_RADIUS_KM = 6371.0088
COAST_TOLERANCE_DEG = 0.03  # about 3 km


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km; works on scalars and NumPy arrays alike."""
    lat1, lon1, lat2, lon2 = (np.radians(np.asarray(a, dtype=float)) for a in (lat1, lon1, lat2, lon2))
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(h))


@functools.cache
def _iran_edges() -> np.ndarray:
    """All outline edges as rows (x1, y1, x2, y2), sorted by their lower y."""
    with resources.files("khoosheh.core.data").joinpath("iran_outline.geojson").open() as f:
        polygons = json.load(f)["geometry"]["coordinates"]
    edges = []
    for polygon in polygons:
        for ring in polygon:
            ring = np.asarray(ring, dtype=float)
            edges.append(np.column_stack([ring[:-1], ring[1:]]))
    edges = np.vstack(edges)
    edges = edges[edges[:, 1] != edges[:, 3]]  # horizontal edges never cross a ray
    return edges


def _inside(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Even-odd ray casting, edge by edge over only the points in its y-span:
    each edge is short, so the work is about N times the crossings per row."""
    order = np.argsort(lat, kind="stable")
    ys, xs = lat[order], lon[order]
    crossings = np.zeros(len(ys), dtype=bool)
    for x1, y1, x2, y2 in _iran_edges():
        lo, hi = (y1, y2) if y1 < y2 else (y2, y1)
        start, stop = np.searchsorted(ys, lo, "left"), np.searchsorted(ys, hi, "left")
        if start == stop:
            continue
        y, x = ys[start:stop], xs[start:stop]
        x_at_y = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
        crossings[start:stop] ^= x < x_at_y
    inside = np.empty_like(crossings)
    inside[order] = crossings
    return inside


def in_iran(lat, lon) -> np.ndarray:
    """Boolean array: which (lat, lon) pairs lie in Iran, islands included."""
    lat = np.atleast_1d(np.asarray(lat, dtype=float))
    lon = np.atleast_1d(np.asarray(lon, dtype=float))
    result = _inside(lon, lat)
    t = COAST_TOLERANCE_DEG
    for dlat, dlon in ((t, 0), (-t, 0), (0, t), (0, -t)):
        todo = ~result
        if not todo.any():
            break
        result[todo] = _inside(lon[todo] + dlon, lat[todo] + dlat)
    return result
