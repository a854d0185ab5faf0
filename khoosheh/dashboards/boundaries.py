"""Load real province or county boundaries from a GeoJSON file, matching each
feature to a province or county by official code or by normalised name."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from khoosheh.core.reference import Reference
from khoosheh.core.text import clean

from .models import Boundary

NAME_KEYS = ("name:fa", "name_fa", "name", "NAME_1", "NAME_2", "name:en", "name_en", "NAME", "shapeName")
CODE_KEYS = ("code", "CODE", "ISO3166-2", "iso_3166_2", "prvnc_c", "cnty_cd", "county_code", "province_code")
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


def _candidates(props: dict) -> list[str]:
    names = [clean(props[k]) for k in (*CODE_KEYS, *NAME_KEYS) if props.get(k) not in (None, "")]
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


def match_feature(props: dict, level: str, ref: Reference) -> str | None:
    for text in _candidates(props):
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
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    features = data.get("features", []) if data.get("type") == "FeatureCollection" else [data]
    result = LoadResult(level)
    geometries: dict[str, dict] = {}
    for feature in features:
        geometry = feature.get("geometry") or {}
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            result.skipped += 1
            continue
        props = _properties(feature)
        code = match_feature(props, level, ref)
        label = next(iter(_candidates(props)), "?")
        if code is None:
            result.unmatched.append(label)
            continue
        result.matched[code] = label
        geometries[code] = _round(geometry)
    with transaction.atomic():
        for code, geometry in geometries.items():
            Boundary.objects.update_or_create(level=level, code=code, defaults={
                "geometry": geometry, "name_in_file": result.matched[code], "source": Path(path).name})
    return result
