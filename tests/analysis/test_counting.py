"""Stage 2: units counted on the finest grid and on every coarser one (counting.py)."""

import numpy as np

from khoosheh.analysis.counting import Pyramid, cell_km, count_units
from khoosheh.analysis.grid import key_group, parent_keys

# Six units of two activities: (x km, y km, activity position).
UNITS = np.array([(0.1, 0.1, 0), (0.3, 0.2, 0), (0.9, 0.9, 0), (1.2, 0.1, 0), (0.2, 0.2, 1), (3.5, 3.5, 1)])


def pyramid_of(units=UNITS) -> Pyramid:
    return Pyramid(count_units(units[:, 0], units[:, 1], units[:, 2].astype(np.int64), n_activities=2))


def test_a_coarser_grid_counts_each_cell_as_the_sum_of_the_cells_inside_it():
    keys, counts = pyramid_of().activity(2)  # cells of 1 km
    assert cell_km(2) == 1.0
    by_activity = {int(a): sorted(counts[key_group(keys) == a].tolist()) for a in (0, 1)}
    # activity 0: three units in the cell [0, 1) x [0, 1), one in [1, 2) x [0, 1); activity 1: one and one
    assert by_activity == {0: [1.0, 3.0], 1: [1.0, 1.0]}
    cells, cell_counts = pyramid_of().cells(2)
    assert sorted(cell_counts.tolist()) == [1.0, 1.0, 4.0] and cell_counts.sum() == len(UNITS)


def test_every_cell_knows_the_coarser_cell_that_contains_it():
    pyramid = pyramid_of()
    for level, up in [(0, 1), (0, 3), (1, 2)]:
        keys, _ = pyramid.activity(level)
        coarse, _ = pyramid.activity(level + up)
        assert np.array_equal(coarse[pyramid.activity_parents(level, up)], parent_keys(keys, up))
        cells, _ = pyramid.cells(level)
        coarse_cells, _ = pyramid.cells(level + up)
        assert np.array_equal(coarse_cells[pyramid.cell_parents(level, up)], parent_keys(cells, up))


def test_counts_are_the_same_whether_a_coarse_grid_is_asked_for_first_or_last():
    direct, stepwise = pyramid_of(), pyramid_of()
    for level in range(5):
        stepwise.activity(level)
    for got, expected in zip(direct.activity(4), stepwise.activity(4), strict=True):
        assert np.array_equal(got, expected)


def test_one_activity_alone_keeps_the_counts_of_all_units_per_cell():
    only = pyramid_of().only([1])
    keys, counts = only.activity(0)
    assert set(key_group(keys).tolist()) == {1} and counts.sum() == 2
    assert only.cells(0)[1].sum() == len(UNITS)
