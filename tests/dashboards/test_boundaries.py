"""`khoosheh load-boundaries`: features matched by code or normalised name; the map then draws polygons."""

import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from khoosheh.dashboards.models import Boundary

pytestmark = pytest.mark.django_db

SQUARE = {"type": "Polygon", "coordinates": [[[51.0, 35.0], [52.0, 35.0], [52.0, 36.0], [51.0, 36.0], [51.0, 35.0]]]}


def write(tmp_path, features):
    path = tmp_path / "b.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False))
    return str(path)


def test_features_match_by_name_in_any_spelling_or_by_code(tmp_path):
    path = write(tmp_path, [
        {"type": "Feature", "properties": {"name:fa": "استان تهران"}, "geometry": SQUARE},
        {"type": "Feature", "properties": {"NAME_1": "Esfahan", "ISO3166-2": "IR-10"}, "geometry": SQUARE},
        {"type": "Feature", "properties": {"name": "كرمانشاه"}, "geometry": SQUARE},
        {"type": "Feature", "properties": {"name": "Atlantis"}, "geometry": SQUARE},
        {"type": "Feature", "properties": {"name": "تهران"}, "geometry": {"type": "Point", "coordinates": [51, 35]}},
    ])
    call_command("load_boundaries", path)
    assert sorted(Boundary.objects.values_list("code", flat=True)) == ["05", "10", "23"]


def test_counties_from_openstreetmap_tags(tmp_path):
    path = write(tmp_path, [{"type": "Feature", "properties": {"tags": {"name": "شهرستان میبد"}}, "geometry": SQUARE}])
    call_command("load_boundaries", "--level", "county", path)
    assert Boundary.objects.get().code == "2106"


def test_a_file_with_nothing_recognisable_is_refused(tmp_path):
    with pytest.raises(CommandError):
        call_command("load_boundaries", write(tmp_path, [{"type": "Feature", "properties": {"name": "x"},
                                                          "geometry": SQUARE}]))


def test_real_openstreetmap_provinces_all_match_and_the_map_draws_them(shared_data, client, cast):
    call_command("load_boundaries", str(shared_data / "iran_admin" / "provinces.min.geojson"))
    assert Boundary.objects.filter(level="province").count() == 31
    client.force_login(cast.national)
    html = client.get(reverse("home")).content.decode()
    assert html.count("<path ") == 31 and 'class="tilemap polygons"' in html


def test_real_openstreetmap_counties_mostly_match(shared_data):
    files = sorted((shared_data / "iran_admin" / "counties").glob("IR-*/IR-*.all.min.geojson"))
    call_command("load_boundaries", "--level", "county", *map(str, files))
    # Counties created after the reference list (448) cannot match; nearly all others do.
    assert Boundary.objects.filter(level="county").count() >= 400


def test_without_boundaries_the_schematic_tiles_are_drawn(client, cast):
    client.force_login(cast.national)
    html = client.get(reverse("home")).content.decode()
    assert html.count("data-province=") == 31 and "<rect" in html


def write_shapefile(tmp_path, records):
    """A census-style shapefile: county polygons with the province code (prvnc_c) and county code (cnty_cd)."""
    import shapefile

    path = tmp_path / "census"
    with shapefile.Writer(str(path), shapeType=shapefile.POLYGON) as w:
        w.field("prvnc_c", "N", 2)
        w.field("cnty_cd", "N", 4)
        for province, county, ring in records:
            w.poly([ring])
            w.record(province, county)
    return str(path) + ".shp"


def square(x, y, size=0.5):
    # Clockwise, as a shapefile's outer ring is.
    return [[x, y], [x, y + size], [x + size, y + size], [x + size, y], [x, y]]


def test_counties_load_from_a_census_shapefile_by_county_code_not_province_code(tmp_path):
    # Yazd's province code is 21 and Meybod's county code 2106: the province's code must not be read as a county.
    path = write_shapefile(tmp_path, [(21, 2106, square(54.0, 32.0)), (0, 1, square(49.5, 34.0))])
    call_command("load_boundaries", "--level", "county", path)
    assert sorted(Boundary.objects.values_list("code", flat=True)) == ["0001", "2106"]


def test_a_province_loaded_from_a_file_of_counties_is_their_union(tmp_path):
    # Two adjoining counties of Yazd make one province polygon covering both.
    path = write_shapefile(tmp_path, [(21, 2106, square(54.0, 32.0)), (21, 2101, square(54.5, 32.0))])
    call_command("load_boundaries", "--level", "province", path)
    [boundary] = Boundary.objects.all()
    assert boundary.code == "21"
    import shapely

    merged = shapely.geometry.shape(boundary.geometry)
    assert len(merged.geoms) == 1 and merged.bounds == (54.0, 32.0, 55.0, 32.5)


def test_the_census_county_polygons_all_load_and_make_the_31_provinces(shared_data):
    path = str(shared_data / "iran_admin" / "census2016_counties_shp" / "iran2016census.shp")
    call_command("load_boundaries", "--level", "county", path)
    call_command("load_boundaries", "--level", "province", path)
    assert Boundary.objects.filter(level="county").count() == 429
    assert Boundary.objects.filter(level="province").count() == 31


def test_provincial_staff_see_their_own_figure_on_the_map_and_no_zeros_for_other_provinces(client, cast):
    client.force_login(cast.isfahan)
    html = client.get(reverse("home"), follow=True).content.decode()
    titles = re.findall(r'data-province="(\d+)"[^>]*>(?:<title>|.*?<title>)([^<]*)</title>', html)
    assert len(titles) == 31
    others = [text for code, text in titles if code != "10"]
    assert all(text.endswith("—") for text in others)  # no figure, where a zero used to stand
    own = next(text for code, text in titles if code == "10")
    assert not own.endswith("—")


def test_a_provinces_page_shows_that_provinces_figure_and_no_zeros_for_the_others(client, cast):
    """National staff on Isfahan's page: the map names Isfahan's count; Tehran is not shown as having 0 units."""
    client.force_login(cast.national)
    html = client.get(reverse("dashboards:province", args=["10"])).content.decode()
    titles = dict(re.findall(r'data-province="(\d+)"[^>]*>(?:<title>|.*?<title>)([^<]*)</title>', html))
    assert len(titles) == 31
    assert all(text.endswith("—") for code, text in titles.items() if code != "10")


def test_provinces_with_the_lowest_value_get_the_lightest_colour():
    from khoosheh.dashboards.tilemap import PALETTE, colour_for

    values = [0] * 30 + [2356]
    assert colour_for(0, values) == PALETTE[0]
    assert colour_for(2356, values) == PALETTE[-1]
