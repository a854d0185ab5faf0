"""Where a point lies against Iran's outline, in kilometres (khoosheh.core.geo).

The census-polygon sampling over the whole country is in test_geo_census.py."""

import numpy as np
import pytest
import shapely

from khoosheh.core import geo
from khoosheh.core.geo import haversine_km, in_iran, judge_locations, km_outside_iran


def test_tehran_to_isfahan_is_about_340_km():
    assert haversine_km(35.6892, 51.3890, 32.6539, 51.6660) == pytest.approx(338, abs=5)


# Places the simplified world-atlas outline refused or nearly refused: shores, small islands, border towns.
@pytest.mark.parametrize("place, lat, lon", [
    ("Tehran", 35.69, 51.39), ("Bandar Abbas shore", 27.18, 56.27), ("Kish island", 26.53, 53.98),
    ("Qeshm town", 26.95, 56.27), ("western Qeshm (Basaidu)", 26.65, 55.29), ("Greater Tunb", 26.26, 55.30),
    ("Abu Musa", 25.875, 55.03), ("Jask", 25.64, 57.77), ("Chabahar", 25.29, 60.64), ("Abadan", 30.34, 48.30),
    ("Khorramshahr", 30.44, 48.18), ("Hoveyzeh", 31.46, 48.07), ("Saravan", 27.37, 62.33),
    ("Zabol on the Afghan border", 31.03, 61.50), ("Taybad on the Afghan border", 34.74, 60.78),
    ("Jolfa on the Aras", 38.94, 45.63), ("Astara on the Caspian", 38.43, 48.87), ("Zahedan", 29.50, 60.86),
])
def test_real_places_are_accepted(place, lat, lon):
    judgement = judge_locations(lat, lon)
    assert not judgement.refused.any(), (place, judgement.km_outside)


@pytest.mark.parametrize("place, lat, lon", [
    ("Baghdad", 33.31, 44.36), ("the middle of the Persian Gulf", 27.0, 51.0), ("Dubai", 25.20, 55.27),
    ("Baku", 40.41, 49.87), ("Herat", 34.35, 62.20), ("the Caspian", 40.0, 51.0),
    ("swapped Tehran", 51.39, 35.69), ("Null Island", 0.0, 0.0), ("the South Pole", -90.0, 0.0),
])
def test_places_outside_iran_are_refused(place, lat, lon):
    assert judge_locations(lat, lon).refused.all(), place


def test_a_point_in_the_sea_off_bandar_abbas_is_measured_in_km():
    # 27.14N 56.27E is about 3 km off the shore; 27.12N about 5.2 km.
    km = km_outside_iran([27.14, 27.12], [56.27, 56.27])
    assert km == pytest.approx([3.0, 5.2], abs=0.15)


def test_a_point_just_outside_is_near_not_refused():
    judgement = judge_locations([27.14, 27.12], [56.27, 56.27], tolerance_km=5)
    # About 3 km out: accepted with a warning; about 5.2 km out: refused.
    assert judgement.near.tolist() == [True, False]
    assert judgement.refused.tolist() == [False, True]


def test_the_tolerance_decides_how_far_out_is_accepted():
    assert judge_locations(27.14, 56.27, tolerance_km=2).refused.all()
    assert judge_locations(27.14, 56.27, tolerance_km=0).refused.all()
    assert not judge_locations(27.12, 56.27, tolerance_km=6).refused.any()


def test_distances_agree_with_the_great_circle_to_within_one_percent():
    rng = np.random.default_rng(12)
    lat, lon = rng.uniform(24, 41, 3000), rng.uniform(43, 64.5, 3000)
    km = km_outside_iran(lat, lon, up_to_km=60)
    measured = np.flatnonzero((km > 0.5) & np.isfinite(km))[:20]
    # Brute force: the great-circle distance to the outline densified to about 30 m.
    outline = geo._outline().land
    edge = shapely.get_coordinates(shapely.segmentize(shapely.get_exterior_ring(shapely.get_parts(outline)), 3e-4))
    for i in measured:
        truth = haversine_km(lat[i], lon[i], edge[:, 1], edge[:, 0]).min()
        assert km[i] == pytest.approx(truth, rel=0.01), (lat[i], lon[i])


def test_many_points_at_once_keep_their_order():
    lat = np.array([35.69, 33.31, 26.53, 25.20])
    lon = np.array([51.39, 44.36, 53.98, 55.27])
    assert in_iran(lat, lon).tolist() == [True, False, True, False]


def test_a_missing_coordinate_is_neither_accepted_nor_refused():
    judgement = judge_locations([np.nan, 35.69], [51.39, np.nan])
    assert np.isnan(judgement.km_outside).all()
    assert not (judgement.inside | judgement.near | judgement.refused).any()
    assert not in_iran([np.nan], [51.39]).any()


def test_a_whole_column_is_judged_in_one_call():
    rng = np.random.default_rng(1)
    lat, lon = rng.uniform(25, 39.8, 200_000), rng.uniform(44, 63.3, 200_000)
    judgement = judge_locations(lat, lon)
    # About 54% of Iran's bounding box is Iran.
    assert judgement.inside.mean() == pytest.approx(0.54, abs=0.02)
    assert judgement.km_outside.shape == (200_000,)


def test_polars_columns_with_nulls_are_judged_as_they_are():
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame({"lat": [35.69, None, 27.14, 33.31], "lon": [51.39, 51.0, 56.27, 44.36]})
    judgement = judge_locations(frame["lat"], frame["lon"])
    # Tehran on land, a row without a latitude not judged, off Bandar Abbas warned, Baghdad refused.
    assert judgement.inside.tolist() == [True, False, False, False]
    assert np.isnan(judgement.km_outside[1])
    assert judgement.near.tolist() == [False, False, True, False]
    assert judgement.refused.tolist() == [False, False, False, True]


def test_the_warning_says_how_far_out_in_persian_digits():
    assert "۳٫۲ کیلومتر بیرون از مرز" in geo.near_border_warning(3.21)
    assert "۰٫۱ کیلومتر" in geo.near_border_warning(0.01)  # never "0.0 km outside"


def test_the_refusal_names_the_tolerance():
    message = geo.outside_iran_error(5.0)
    assert "بیرون از ایران" in message and "۵ کیلومتر" in message
    assert "۲٫۵ کیلومتر" in geo.outside_iran_error(2.5)


def test_distances_are_measured_up_to_100_km_at_most():
    with pytest.raises(ValueError):
        km_outside_iran(35.69, 51.39, up_to_km=geo.MEASURED_UP_TO_KM + 1)


def test_the_module_example_holds():
    import doctest

    assert doctest.testmod(geo).failed == 0
