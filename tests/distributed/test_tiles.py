"""The scan cut into spatial tiles finds exactly the whole scan's windows, however small the tiles — so
clusters that straddle tile edges come out as if nothing had been cut."""

import numpy as np
import pytest
from synthetic import make_registry

from khoosheh.analysis import IdentifyParams
from khoosheh.analysis.counting import Pyramid
from khoosheh.analysis.identify import count_registry
from khoosheh.analysis.scan import scan_windows
from khoosheh.distributed.tiles import in_scan_order, plan_tiles, registry_family, scan_tile

FIELDS = ("activity", "x", "y", "radius", "cases", "units", "llr", "p_window", "share")


@pytest.fixture(scope="module")
def counts():
    return count_registry(make_registry(20_000, seed=7).columns)[3]


@pytest.mark.parametrize("tile_km", [64.0, 256.0])
def test_tiles_find_the_whole_scans_windows_in_its_order(counts, tile_km):
    params = IdentifyParams()
    family = registry_family(counts, params)
    whole = scan_windows(Pyramid(counts), params.radii(), params.window_units, params.alpha, family)
    plan = plan_tiles(counts, params, tile_km=tile_km)
    tiled = in_scan_order([scan_tile(counts, tile, plan, params, family) for tile in plan.tiles], params)
    assert len(plan.tiles) > 3 and len(whole) > 100
    for name in FIELDS:
        assert np.array_equal(getattr(tiled, name), getattr(whole, name)), name


def test_a_halo_too_narrow_would_lose_windows_at_the_tile_edges(counts):
    """The check above can fail: with no halo, windows near tile edges count too few units."""
    params = IdentifyParams()
    family = registry_family(counts, params)
    whole = scan_windows(Pyramid(counts), params.radii(), params.window_units, params.alpha, family)
    plan = plan_tiles(counts, params, tile_km=64.0)
    narrow = type(plan)(plan.tile_cells, 0, plan.tiles)
    tiled = in_scan_order([scan_tile(counts, tile, narrow, params, family) for tile in narrow.tiles], params)
    assert len(tiled) != len(whole) or not np.array_equal(tiled.cases, whole.cases)
