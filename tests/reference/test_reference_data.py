"""The reference tables that ship with khoosheh are complete and consistent."""

import json
import math

import pytest

from khoosheh.core import reference
from khoosheh.core.geo import in_iran
from khoosheh.core.text import match_key


def test_all_31_provinces_with_official_codes_and_both_names():
    provinces = reference.provinces()
    assert len(provinces) == 31
    assert sorted(p.code for p in provinces) == [f"{i:02d}" for i in range(31)]
    assert all(p.name_fa and p.name_en for p in provinces)
    assert {p.code: p.name_en for p in provinces}["23"] == "Tehran"


def test_every_county_belongs_to_a_province_and_lies_in_iran():
    counties = reference.counties()
    assert len(counties) == 448
    province_codes = {p.code for p in reference.provinces()}
    assert all(c.province_code in province_codes for c in counties)
    assert all(c.code[:2] == c.province_code for c in counties)  # official county codes start with the province's
    # Every seat lies on land, not merely within the tolerance.
    assert in_iran([c.lat for c in counties], [c.lon for c in counties], tolerance_km=0).all()
    assert all(c.name_en for c in counties)


def test_county_names_are_unique_within_a_province():
    keys = [(c.province_code, match_key(c.name_fa)) for c in reference.counties()]
    assert len(keys) == len(set(keys))


def test_isic_rev4_is_complete():
    activities = reference.activities()
    levels = [a.level for a in activities]
    assert (levels.count("section"), levels.count("division"), levels.count("group"), levels.count("class")) == \
        (21, 88, 238, 419)


def test_every_manufacturing_class_and_division_has_a_persian_title():
    in_c = [a for a in reference.activities() if a.level in ("division", "class") and "10" <= a.code[:2] <= "33"]
    assert len(in_c) == 24 + 137
    assert [a.code for a in in_c if not a.title_fa] == []


def test_county_seats_lie_inside_their_province_polygon(shared_data):
    """Checked against OpenStreetMap province boundaries (not shipped)."""
    features = json.loads((shared_data / "iran_admin" / "provinces.min.geojson").read_text())["features"]
    by_name = {match_key(f["properties"]["name:fa"]): f["geometry"] for f in features}
    provinces = {p.code: p for p in reference.provinces()}
    outside = []
    for county in reference.counties():
        geometry = by_name.get(match_key(provinces[county.province_code].name_fa))
        if geometry is None:
            continue
        inside = any(_inside(county.lon, county.lat, poly[0]) for poly in _polygons(geometry))
        if not inside and _distance_to_polygons_km(county, geometry) > 15:
            outside.append(county.name_fa)
    assert outside == []


def _polygons(geometry):
    return geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]


def _inside(x, y, ring):
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _distance_to_polygons_km(county, geometry):
    best = math.inf
    for poly in _polygons(geometry):
        for x, y in poly[0]:
            best = min(best, math.hypot((x - county.lon) * 111 * math.cos(math.radians(y)), (y - county.lat) * 111))
    return best


@pytest.mark.parametrize("name", ["provinces.csv", "counties.csv", "isic4.csv", "isic4_fa.csv"])
def test_reference_files_are_utf8_and_normalised(name):
    from khoosheh.core.text import clean

    for row in reference.read_reference_csv(name):
        for value in row.values():
            assert value == clean(value), (name, value)


def test_a_provinces_centre_is_its_capital():
    # Tehran (23), Isfahan (10), Razavi Khorasan: Mashhad (09), Fars: Shiraz (07).
    from khoosheh.core.geo import haversine_km

    for code, (lat, lon) in {"23": (35.69, 51.39), "10": (32.65, 51.67), "09": (36.30, 59.60),
                             "07": (29.61, 52.53)}.items():
        assert haversine_km(*reference.province_centre(code), lat, lon) < 15, code
