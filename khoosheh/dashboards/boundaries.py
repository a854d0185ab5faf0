"""Load real province or county boundaries from a GeoJSON file or an ESRI shapefile (the census's county
polygons, say), matching each feature to a province or county by official code or by normalised name.

Features of one area are merged (a province loaded from a file of counties is their union), and every
polygon is simplified to about 200 m and rounded, so the maps stay light."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from django.db import transaction

from khoosheh.core.reference import Reference
from khoosheh.core.text import clean

from .models import Boundary

NAME_KEYS = ("name:fa", "name_fa", "name", "NAME_1", "NAME_2", "name:en", "name_en", "NAME", "shapeName")
CODE_KEYS = ("code", "CODE", "ISO3166-2", "iso_3166_2", "prvnc_c", "cnty_cd", "county_code", "province_code")
# A county's record also carries its province's code (the census: prvnc_c 3, cnty_cd 321): read only the
# codes of the level being loaded, or province 3 would be taken for county 0003.
_OTHER_LEVEL_CODES = {"county": {"prvnc_c", "province_code"}, "province": {"cnty_cd", "county_code"}}
SIMPLIFY_DEG = 0.002
_PREFIXES = re.compile(r"^(استان|شهرستان)\s+|\s+(Province|County|Ostan|Shahrestan)$", re.IGNORECASE)


@dataclass
class LoadResult:
    level: str
    matched: dict[str, str] = field(default_factory=dict)  # code -> name in file
    unmatched: list[str] = field(default_factory=list)
    skipped: int = 0  # features without a polygon (OSM node points, say)


def _properties(feature: dict) -> dict:
    props = dict(feature.get("properties") or {})
    props.update(props.pop("tags", None) or {})  # OpenStreetMap exports nest names in "tags"
    return props


def _candidates(props: dict, level: str = "") -> list[str]:
    keys = [k for k in (*CODE_KEYS, *NAME_KEYS) if k not in _OTHER_LEVEL_CODES.get(level, ())]
    names = [clean(props[k]) for k in keys if props.get(k) not in (None, "")]
    return [*names, *(_PREFIXES.sub("", n) for n in names)]


def _round(geometry: dict, digits: int = 3) -> dict:
    def ring(points):
        out = []
        for x, y in points:
            p = [round(x, digits), round(y, digits)]
            if not out or out[-1] != p:
                out.append(p)
        return out

    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return {"type": "MultiPolygon", "coordinates": [[ring(r) for r in polygon] for polygon in polygons]}


def _merged(geometries: list[dict]) -> dict:
    """One area's polygons as one simplified, rounded MultiPolygon."""
    shapes = [shapely.make_valid(shapely.geometry.shape(g)) for g in geometries]
    union = shapes[0] if len(shapes) == 1 else shapely.union_all(shapes)
    polygons = [p for p in shapely.get_parts(union) if isinstance(p, shapely.Polygon)]  # no stray lines
    simple = shapely.simplify(shapely.MultiPolygon(polygons), SIMPLIFY_DEG, preserve_topology=True)
    return _round(shapely.geometry.mapping(simple))


def read_features(path: str | Path) -> list[dict]:
    """GeoJSON features from a .geojson / .json file or a shapefile (.shp, with its .dbf beside it)."""
    path = Path(path)
    if path.suffix.lower() != ".shp":
        data = json.loads(path.read_text(encoding="utf-8"))
        return data.get("features", []) if data.get("type") == "FeatureCollection" else [data]
    try:
        import shapefile  # pyshp
    except ImportError:  # pragma: no cover - a dependency of khoosheh
        raise ValueError("reading a shapefile needs the pyshp package (pip install pyshp)") from None
    with shapefile.Reader(str(path)) as reader:
        return [{"type": "Feature", "properties": dict(record.as_dict()), "geometry": shape.__geo_interface__}
                for shape, record in zip(reader.shapes(), reader.records(), strict=True)]


def match_feature(props: dict, level: str, ref: Reference) -> str | None:
    for text in _candidates(props, level):
        if level == "province":
            province = ref.find_province(text)
            if province:
                return province.code
        else:
            found = ref.county_anywhere(text)
            if len(found) == 1:
                return found[0].code
            if text.isdigit():
                code = text.zfill(4)
                if code in ref.counties:
                    return code
    return None


def load_boundaries(path: str | Path, level: str, reference: Reference | None = None) -> LoadResult:
    if level not in Boundary.Level.values:
        raise ValueError("level must be province or county")
    ref = reference or Reference.packaged()
    features = read_features(path)
    result = LoadResult(level)
    geometries: dict[str, list[dict]] = {}
    for feature in features:
        geometry = feature.get("geometry") or {}
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            result.skipped += 1
            continue
        props = _properties(feature)
        code = match_feature(props, level, ref)
        label = next(iter(_candidates(props, level)), "?")
        if code is None:
            result.unmatched.append(label)
            continue
        result.matched.setdefault(code, label)
        geometries.setdefault(code, []).append(geometry)
    with transaction.atomic():
        for code, parts in geometries.items():
            Boundary.objects.update_or_create(level=level, code=code, defaults={
                "geometry": _merged(parts), "name_in_file": result.matched[code][:200], "source": Path(path).name})
    return result
