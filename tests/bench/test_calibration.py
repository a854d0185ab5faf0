"""khoosheh's Monte Carlo significance (relabelling on the grid, Gumbel tail) against the benchmark's
faithful Bernoulli scan, and the benchmark's detectability bound."""

import numpy as np
import pytest
from scan_baseline import BernoulliScan
from synthetic import Planted, SyntheticRegistry, mark_detectable, oracle_bound

from khoosheh.analysis import ClusterIdentifier, IdentifyParams, identify_clusters
from khoosheh.analysis.calibration import Gumbel
from khoosheh.analysis.counting import finest_cells
from khoosheh.analysis.identify import MONTE_CARLO_UNITS, count_registry, registry_windows
from khoosheh.analysis.scan import bernoulli_llr, relabelling_null

from ..analysis.test_identify import MIX, Registry
from ..analysis.test_scan import WIDE


@pytest.fixture(scope="module")
def small():
    columns = Registry(1).background(2000, 0, 0, 10, MIX).columns()
    placed, _, activity_of, counts = count_registry(columns)
    params = IdentifyParams()
    pyramid, windows = registry_windows(counts, params)
    null = relabelling_null(pyramid, finest_cells(placed.x, placed.y), params.radii(), params.window_units)
    return placed.x, placed.y, activity_of, int(counts.national()[0]), windows, null


def test_the_gumbel_tail_matches_the_relabellings_it_was_fitted_to(small):
    *_, cases, _, null = small
    maxima = null.maxima(cases, 199)
    fit = Gumbel.fit(maxima)
    assert fit.tail(np.quantile(maxima, 0.9)) == pytest.approx(0.10, abs=0.04)
    assert fit.tail(fit.critical(0.01)) == pytest.approx(0.01)


def test_the_grid_null_is_close_to_the_scan_baselines_monte_carlo(small):
    # The same relabelling null; the scan searches every radius around every case, the grid five
    # radii around cells, so its critical value is somewhat lower — but far below Bonferroni's.
    x, y, activity_of, cases, windows, null = small
    grid = Gumbel.fit(null.maxima(cases, 99)).critical(0.05)
    scan = BernoulliScan(replicates=99, seed=3, exact=True).fit(np.column_stack([x, y]), activity_of == 0)
    reference = Gumbel.fit(scan.maxima_).critical(0.05)
    assert reference - 3 <= grid <= reference
    bonferroni_llr = -np.log(0.05 / windows.family)  # a window's tail is at most exp(-LLR)
    assert grid < bonferroni_llr


def test_the_null_of_a_count_between_ladder_steps_is_interpolated_closely(small):
    *_, cases, _, null = small
    # 199 relabellings a fit: with 49 the fits' own noise (about ±0.5 LLR at 1%) is as large as the tolerance.
    ladder = null.ladder(cases / 2, cases * 2, 199, 2.0)
    assert list(ladder.cases) == [cases // 2, cases, cases * 2]
    direct = Gumbel.fit(null.maxima(int(cases * 1.4), 199)).critical(0.01)
    assert ladder.at(cases * 1.4).critical(0.01) == pytest.approx(direct, abs=1.0)


def test_monte_carlo_significance_is_reproducible_and_bolder_than_bonferroni():
    reg = Registry(1).background(3000, 0, 0, 25, WIDE).scatter(11, 30, 10, 1.5, "2393")
    bonferroni = identify_clusters(reg.columns(), IdentifyParams(significance="bonferroni"))
    monte_carlo = identify_clusters(reg.columns(), IdentifyParams(significance="monte carlo"))
    again = identify_clusters(reg.columns(), IdentifyParams(significance="monte carlo"))
    assert [c.isic for c in monte_carlo] == [c.isic for c in bonferroni] == ["2393"]
    assert monte_carlo[0].p_value < bonferroni[0].p_value
    assert [(c.members, c.p_value) for c in monte_carlo] == [(c.members, c.p_value) for c in again]


def test_a_provincial_registry_is_tested_by_monte_carlo_by_default_and_a_national_one_by_bonferroni():
    reg = Registry(1).background(3000, 0, 0, 25, WIDE).scatter(11, 30, 10, 1.5, "2393")
    default = identify_clusters(reg.columns())
    monte_carlo = identify_clusters(reg.columns(), IdentifyParams(significance="monte carlo"))
    assert [(c.members, c.p_value) for c in default] == [(c.members, c.p_value) for c in monte_carlo]
    assert ClusterIdentifier().fit(reg.columns()).params_.significance == "monte carlo"  # what a run records
    # Above MONTE_CARLO_UNITS relabelling would cost several seconds; Bonferroni costs none.
    assert IdentifyParams().for_registry(MONTE_CARLO_UNITS).significance == "monte carlo"
    assert IdentifyParams().for_registry(MONTE_CARLO_UNITS + 1).significance == "bonferroni"
    assert IdentifyParams(significance="monte carlo").for_registry(10**6).significance == "monte carlo"


def test_monte_carlo_significance_finds_nothing_where_the_activity_follows_general_density():
    reg = (Registry(1).background(6000, 0, 0, 6, WIDE).background(1500, 60, 0, 4, WIDE)
           .background(800, -50, 40, 3, WIDE))
    for i in np.random.default_rng(1).choice(len(reg.rows), 300, replace=False):
        reg.rows[i] = ("2393",) + reg.rows[i][1:]
    assert identify_clusters(reg.columns(), IdentifyParams(significance="monte carlo")) == []


def test_the_detectability_bound_is_the_best_matchable_oracle_disc_against_the_critical_value():
    # 380 units over a 30 km spread, a tenth of them 2393; a plant of 10 more 2393 within a few hundred
    # metres, and 10 ordinary units moved onto its centre.  The oracle's matchable discs hold k of the
    # plant's units (k >= 5) and the 10 ordinary ones: LLR(k, k + 10) grows with k, so the bound is the
    # disc of all ten, 10 cases among 20 units.
    reg = Registry(0).background(380, 0, 0, 30, ["1010"] * 9 + ["2393"]).scatter(10, 0, 0, 0.2, "2393")
    columns = reg.columns()
    members = np.arange(380, 390)
    centre = (float(np.mean(columns.lat[members])), float(np.mean(columns.lon[members])))
    ordinary = np.flatnonzero(columns.activity == "1010")[:10]
    columns.lat[ordinary], columns.lon[ordinary] = centre
    plant = Planted("2393", "2106", 10, 0.2, "town", members, centre)
    jaccard, llr = oracle_bound(columns, plant)
    cases = int((columns.activity == "2393").sum())
    assert jaccard == 1.0
    assert llr == pytest.approx(float(bernoulli_llr(10, 20, cases, len(columns))))
    plant.oracle_jaccard, plant.oracle_llr = jaccard, llr
    registry = SyntheticRegistry(columns, [plant])
    mark_detectable(registry, {"2393": llr + 0.1})
    assert plant.detectable is False and plant.separable  # excluded by the test only, and reported apart
    mark_detectable(registry, {"2393": llr - 0.1})
    assert plant.detectable is True
