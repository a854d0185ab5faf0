"""The benchmark's Bernoulli spatial scan (Kulldorff 1997) on cases small enough to check by hand."""

import numpy as np
import pytest
from scan_baseline import BernoulliScan, bernoulli_llr, prepare

# Small Monte Carlo runs keep the suite fast; 99 replicates still allow p = 0.01.
QUICK = {"replicates": 99, "seed": 7}


def _background(rng, n, side_km=40.0):
    return rng.uniform(0, side_km, (n, 2))


def _labels(rng, n, share):
    return rng.random(n) < share


def _disc(xy, centre, radius):
    return set(np.flatnonzero(np.hypot(*(xy - xy[centre]).T) <= radius + 1e-4))


def test_llr_matches_the_worked_example():
    # c = 4 cases among n = 5 units inside, C = 6 cases among N = 20 units in all:
    #   inside   4 ln(4/5) + 1 ln(1/5)     = 4(-0.223144) - 1.609438   = -2.502012
    #   outside  2 ln(2/15) + 13 ln(13/15) = 2(-2.014903) + 13(-0.143101) = -5.890117
    #   null     6 ln(6/20) + 14 ln(14/20) = 6(-1.203973) + 14(-0.356675) = -12.217286
    #   LLR = -2.502012 - 5.890117 + 12.217286 = 3.825157
    assert bernoulli_llr(4, 5, 6, 20) == pytest.approx(3.825157, abs=1e-6)


def test_llr_is_zero_where_the_rate_inside_is_not_higher():
    # 1 case in 10 units inside (10%), 5 in 10 outside (50%): a low rate, not scanned for.
    assert bernoulli_llr(1, 10, 6, 20) == 0.0
    # Equal rates inside and outside: no evidence either way.
    assert bernoulli_llr(3, 10, 6, 20) == 0.0


def test_llr_of_a_window_holding_every_case_alone():
    # All C cases and nothing else inside: the outside terms vanish, LLR = -[C ln(C/N) + (N-C) ln(1-C/N)].
    assert bernoulli_llr(6, 6, 6, 20) == pytest.approx(12.217286, abs=1e-6)


def test_a_planted_cluster_is_found_with_its_members():
    rng = np.random.default_rng(1)
    background = _background(rng, 500)
    plant = rng.normal(20, 0.7, (20, 2))
    xy = np.vstack([background, plant])
    is_case = np.concatenate([_labels(rng, 500, 0.05), np.ones(20, bool)])
    scan = BernoulliScan(**QUICK).fit(xy, is_case)
    # The most likely cluster is the plant, significant at 0.01, with (nearly) only its members.
    assert scan.clusters_, "the planted cluster is not reported"
    found = set(scan.clusters_[0].member_index)
    planted = set(range(500, 520))
    assert len(found & planted) >= 18
    assert len(found - planted) <= 3
    assert scan.clusters_[0].p_value == pytest.approx(0.01)


def test_windows_centred_on_every_unit_find_the_same_cluster():
    rng = np.random.default_rng(1)
    xy = np.vstack([_background(rng, 250, side_km=30), rng.normal(15, 0.7, (15, 2))])
    is_case = np.concatenate([_labels(rng, 250, 0.05), np.ones(15, bool)])
    # 19 replicates and alpha 0.05 are enough to compare the two choices of centres.
    by_cases = BernoulliScan(replicates=19, alpha=0.05).fit(xy, is_case)
    by_all = BernoulliScan(centres="all", replicates=19, alpha=0.05).fit(xy, is_case)
    # SaTScan's centres (all locations) can only find windows at least as likely as the case-centred ones.
    assert by_all.most_likely_.llr >= by_cases.most_likely_.llr
    assert len(set(by_all.clusters_[0].member_index) & set(range(250, 265))) >= 13


def test_labels_given_at_random_yield_no_cluster():
    rng = np.random.default_rng(3)
    xy = _background(rng, 500)
    is_case = _labels(rng, 500, 0.06)
    scan = BernoulliScan(**QUICK).fit(xy, is_case)
    # Under the null the most likely window is no more extreme than the replicates' maxima.
    assert scan.clusters_ == []
    assert scan.most_likely_.p_value > 0.01


def test_fewer_cases_than_the_minimum_are_never_a_cluster():
    rng = np.random.default_rng(4)
    xy = np.vstack([_background(rng, 400), rng.normal(20, 0.2, (8, 2))])
    is_case = np.concatenate([np.zeros(400, bool), np.ones(8, bool)])
    # Eight cases packed in a few hundred metres, and no other case: below the 10-case floor.
    assert BernoulliScan(**QUICK).fit(xy, is_case).most_likely_ is None


def test_secondary_clusters_share_no_unit_with_earlier_ones():
    rng = np.random.default_rng(5)
    background = _background(rng, 700, side_km=80)
    plants = [rng.normal(centre, 0.8, (25, 2)) for centre in ((15, 15), (65, 65), (19, 21))]
    xy = np.vstack([background, *plants])
    is_case = np.concatenate([_labels(rng, 700, 0.04), np.ones(75, bool)])
    scan = BernoulliScan(**QUICK).fit(xy, is_case)
    assert len(scan.clusters_) >= 2
    discs = [_disc(xy, c.centre, c.radius_km) for c in scan.clusters_]
    # No unit lies in the discs of two reported clusters (SaTScan's "no geographical overlap").
    for a in range(len(discs)):
        for b in range(a):
            assert not discs[a] & discs[b]
    # The LLR falls from the most likely cluster down.
    assert [c.llr for c in scan.clusters_] == sorted((c.llr for c in scan.clusters_), reverse=True)


def test_the_same_seed_gives_the_same_result():
    rng = np.random.default_rng(6)
    xy = np.vstack([_background(rng, 400), rng.normal(20, 0.7, (15, 2))])
    is_case = np.concatenate([_labels(rng, 400, 0.05), np.ones(15, bool)])
    prepared = prepare(xy)
    first = BernoulliScan(**QUICK).fit(xy, is_case, prepared=prepared)
    again = BernoulliScan(**QUICK).fit(xy, is_case, prepared=prepared)
    other = BernoulliScan(replicates=99, seed=8).fit(xy, is_case, prepared=prepared)
    assert np.array_equal(first.maxima_, again.maxima_)
    assert [(c.centre, c.radius_km, c.p_value) for c in first.clusters_] == [
        (c.centre, c.radius_km, c.p_value) for c in again.clusters_]
    # Another seed draws other replicates.
    assert not np.array_equal(first.maxima_, other.maxima_)


def test_parameters_are_checked():
    with pytest.raises(ValueError):
        BernoulliScan(max_radius_km=0)
    with pytest.raises(ValueError):
        BernoulliScan(centres="grid")


def test_skipping_replicates_below_the_floor_changes_no_significant_result():
    rng = np.random.default_rng(9)
    plants = [rng.normal(centre, 0.8, (15, 2)) for centre in ((10, 10), (30, 25))]
    xy = np.vstack([_background(rng, 400), *plants])
    is_case = np.concatenate([_labels(rng, 400, 0.05), np.ones(30, bool)])
    prepared = prepare(xy)
    # A pilot of 19 full replicates, then 80 computed only above the pilot's median.
    fast = BernoulliScan(replicates=99, pilot=19, seed=2).fit(xy, is_case, prepared=prepared)
    exact = BernoulliScan(replicates=99, pilot=19, seed=2, exact=True).fit(xy, is_case, prepared=prepared)
    assert fast.floor_ > 0 and exact.floor_ == 0
    # Every replicate above the floor has its exact statistic; the clusters and their p-values agree.
    above = fast.maxima_ >= 0
    assert np.array_equal(fast.maxima_[above], exact.maxima_[above])
    assert (exact.maxima_[~above] <= fast.floor_).all()
    assert [(c.centre, c.p_value) for c in fast.clusters_] == [(c.centre, c.p_value) for c in exact.clusters_]
