import numpy as np
import pytest

from khoosheh.core.geo import haversine_km, in_iran


def test_tehran_to_isfahan_is_about_340_km():
    assert haversine_km(35.6892, 51.3890, 32.6539, 51.6660) == pytest.approx(338, abs=5)


@pytest.mark.parametrize("place, lat, lon", [
    ("Tehran", 35.69, 51.39), ("Bandar Abbas shore", 27.18, 56.27), ("Kish island", 26.53, 53.98),
    ("Qeshm island", 26.95, 56.27), ("Jolfa on the Aras", 38.94, 45.63), ("Zahedan", 29.50, 60.86),
])
def test_places_in_iran_are_inside(place, lat, lon):
    assert in_iran(lat, lon).all(), place


@pytest.mark.parametrize("place, lat, lon", [
    ("Baghdad", 33.31, 44.36), ("Dubai", 25.20, 55.27), ("Baku", 40.41, 49.87), ("Herat", 34.35, 62.20),
    ("the Caspian", 40.0, 51.0), ("swapped Tehran", 51.39, 35.69), ("Null Island", 0.0, 0.0),
])
def test_places_outside_iran_are_outside(place, lat, lon):
    assert not in_iran(lat, lon).any(), place


def test_many_points_at_once_keep_their_order():
    lat = np.array([35.69, 33.31, 26.53, 25.20])
    lon = np.array([51.39, 44.36, 53.98, 55.27])
    assert in_iran(lat, lon).tolist() == [True, False, True, False]
