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
