"""The point maps: every cluster in the user's scope with its extent, over Iran's outline, and a
background tile layer only where one is configured."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_the_maps_get_a_background_tile_layer_only_when_one_is_configured(client, world, settings):
    client.force_login(world.cast.national)
    assert b"data-map-tiles" not in client.get(reverse("home")).content
    settings.KHOOSHEH_MAP_TILES = "https://tiles.example.ir/{z}/{x}/{y}.png"
    settings.KHOOSHEH_MAP_TILES_ATTRIBUTION = "© OpenStreetMap"
    page = client.get(reverse("home")).content.decode()
    assert 'data-map-tiles="https://tiles.example.ir/{z}/{x}/{y}.png"' in page and "© OpenStreetMap" in page


@pytest.mark.django_db
def test_the_dashboard_hands_the_map_every_cluster_in_scope_with_its_extent(client, world):
    client.force_login(world.cast.national)
    [point] = client.get(reverse("home")).context["cluster_map"]
    assert (point["lat"], point["lon"], point["extent_km"]) == (32.25, 54.1, 2)
    assert point["url"] == reverse("clusters:cluster_detail", args=[world.cluster.pk])
    assert "خوشه کاشی میبد" in point["label"] and "۴ واحد" in point["label"]
    client.force_login(world.cast.isfahan)  # the cluster is in Yazd
    assert client.get(reverse("home")).context["cluster_map"] == []


def test_the_outline_for_the_maps_is_osm_land_simplified_and_still_holds_the_cities(client):
    import shapely

    from khoosheh.core import reference

    response = client.get(reverse("iran_outline"))
    land = shapely.geometry.shape(response.json()["geometry"])
    # Light enough to draw on every map page, detailed enough for a cluster's scale.
    assert 3_000 < shapely.get_num_coordinates(land) < 10_000 and len(response.content) < 200_000
    # Every county seat of the reference table lies on it, or within a couple of km of its shore.
    seats = [shapely.Point(c.lon, c.lat) for c in reference.counties()]
    assert all(land.distance(p) < 0.03 for p in seats)
    assert response["Cache-Control"] == "public, max-age=86400"


def test_towns_come_from_the_county_seats_with_the_capitals_first(client):
    towns = client.get(reverse("map_towns")).json()
    assert len(towns) == 448
    by_name = {t["name_fa"]: t for t in towns}
    # The largest town of each province is tier 1 (31 of them), big towns tier 2, every other seat tier 3.
    assert sum(t["tier"] == 1 for t in towns) == 31
    assert by_name["تهران"]["tier"] == by_name["یزد"]["tier"] == 1
    assert by_name["کاشان"]["tier"] == 2 and by_name["میبد"]["tier"] == 3


@pytest.mark.django_db
def test_the_boundaries_the_maps_draw_are_those_loaded(client, tmp_path):
    from django.core.management import call_command

    from tests.dashboards.test_boundaries import square, write_shapefile

    # Nothing loaded: an empty collection, which the maps simply do not draw.
    assert client.get(reverse("map_boundaries", args=["county"])).json()["features"] == []
    call_command("load_boundaries", "--level", "county", write_shapefile(tmp_path, [(21, 2106, square(54, 32))]))
    [feature] = client.get(reverse("map_boundaries", args=["county"])).json()["features"]
    assert feature["properties"] == {"code": "2106", "name_fa": "میبد", "name_en": "Meybod"}
    assert client.get(reverse("map_boundaries", args=["park"])).status_code == 404
