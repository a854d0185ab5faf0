"""The scale-adaptive scan on cases small enough to check by hand, and its significance against
Monte Carlo relabelling."""

import math

import numpy as np
import pytest

from khoosheh.analysis import IdentifyParams, identify_clusters
from khoosheh.analysis.counting import Pyramid, count_units
from khoosheh.analysis.identify import count_registry
from khoosheh.analysis.scan import bernoulli_llr, scan_windows, window_family

from .test_identify import MIX, Registry

# Thirty activities, one of them 2393: each about 3% of all units, as a typical ISIC class is.
WIDE = [f"{1000 + 37 * i}" for i in range(29)] + ["2393"]


def members_of(cluster) -> set[int]:
    return {int(key.split(":")[1]) - 2 for key in cluster.members}


def test_the_bernoulli_llr_of_a_worked_example():
    # 100 units, 20 of them cases; a window of 20 units holding 10 cases.  Inside the rate is 1/2,
    # outside 10/80; LLR = 10 ln(1/2) + 10 ln(1/2) + 10 ln(1/8) + 70 ln(7/8) - 20 ln(1/5) - 80 ln(4/5).
    by_hand = (20 * math.log(0.5) + 10 * math.log(0.125) + 70 * math.log(0.875)
               - 20 * math.log(0.2) - 80 * math.log(0.8))
    assert by_hand == pytest.approx(6.0357, abs=1e-4)
    assert float(bernoulli_llr(10, 20, 20, 100)) == pytest.approx(by_hand)


def test_a_window_no_richer_than_outside_scores_zero():
    assert float(bernoulli_llr(4, 20, 20, 100)) == 0.0  # 1/5 inside, 16/80 = 1/5 outside


def test_a_diffuse_cluster_is_found_with_most_of_its_members():
    # 40 units spread with a 6 km standard deviation in a district of 3,000 (25 km spread), where
    # the activity is one of thirty: no fixed 2-4 km neighbourhood holds it, a 10-15 km window does.
    reg = Registry(0).background(3000, 0, 0, 25, WIDE).scatter(40, 30, 10, 6.0, "2393")
    planted = set(range(3000, 3040))
    [cluster] = identify_clusters(reg.columns())
    assert cluster.isic == "2393"
    assert len(members_of(cluster) & planted) >= 0.8 * len(planted)
    assert len(members_of(cluster) - planted) <= 10  # and not much of the activity's ordinary units


def test_a_cluster_wider_than_the_largest_window_keeps_its_outer_members():
    # 80 units with an 8 km standard deviation: a disc of 15 km (the largest window) holds only
    # 1 - exp(-15²/(2·8²)) = 83% of them, so the footprint has to reach beyond its window.
    reg = Registry(0).background(3000, 0, 0, 40, WIDE).scatter(80, 30, 10, 8.0, "2393")
    planted = set(range(3000, 3080))
    [cluster] = identify_clusters(reg.columns())
    assert cluster.isic == "2393"
    assert len(members_of(cluster) & planted) >= 0.9 * len(planted)
    assert len(members_of(cluster) - planted) <= 15


def test_a_small_cluster_over_three_kilometres_is_found():
    reg = Registry(0).background(3000, 0, 0, 25, WIDE).scatter(12, 30, 10, 1.5, "2393")
    planted = set(range(3000, 3012))
    [cluster] = identify_clusters(reg.columns())
    assert cluster.isic == "2393" and len(members_of(cluster) & planted) >= 11


def test_an_activity_that_only_follows_general_density_yields_nothing():
    # A city and two towns; 300 units picked at random among all of them become 2393 — the
    # activity is densest where all industry is, and nowhere more than its share.
    reg = (Registry(1).background(6000, 0, 0, 6, WIDE).background(1500, 60, 0, 4, WIDE)
           .background(800, -50, 40, 3, WIDE))
    for i in np.random.default_rng(1).choice(len(reg.rows), 300, replace=False):
        reg.rows[i] = ("2393",) + reg.rows[i][1:]
    assert identify_clusters(reg.columns()) == []


def test_bonferroni_over_the_windows_is_no_bolder_than_monte_carlo_relabelling():
    # The method judges a window by its exact tail times the number of windows searched.  Monte
    # Carlo relabelling (shuffle the activity labels over the units, take the best window's tail;
    # SaTScan's ranking) gives the level the search truly needs: the Bonferroni threshold must lie
    # below it, i.e. the test is conservative, and not by orders of magnitude.
    columns = Registry(1).background(2000, 0, 0, 10, MIX).columns()
    placed, activities, activity_of, _ = count_registry(columns)
    radii = IdentifyParams().radii()
    rng = np.random.default_rng(0)
    best = []
    for _ in range(200):
        pyramid = Pyramid(count_units(placed.x, placed.y, rng.permutation(activity_of), len(activities)))
        # alpha None: every window's exact tail, not only those that might pass at some level.
        windows = scan_windows(pyramid, radii, 10, None, window_family(pyramid, radii, 10))
        own = windows.activity == 0
        best.append(windows.p_window[own].min() if own.any() else 1.0)
    monte_carlo_threshold = np.quantile(best, 0.05)  # the smallest tail relabelling reaches 5% of the time
    bonferroni_threshold = 0.05 / windows.family
    assert bonferroni_threshold <= monte_carlo_threshold <= 100 * bonferroni_threshold


def test_the_same_registry_gives_the_same_clusters():
    reg = Registry(4).background(3000, 0, 0, 25, WIDE).scatter(40, 30, 10, 3.0, "2393").scatter(25, -20, 5, 1, "1037")
    first, second = identify_clusters(reg.columns()), identify_clusters(reg.columns())
    assert [(c.id, c.members, c.p_value) for c in first] == [(c.id, c.members, c.p_value) for c in second]
    assert sorted(c.isic for c in first) == ["1037", "2393"]  # the default (Bonferroni) reports no noise cluster


def test_a_unit_belongs_to_one_cluster_at_most():
    # A compact group at the edge of a diffuse one of the same activity: footprints may touch,
    # members are never counted twice.
    reg = (Registry(5).background(3000, 0, 0, 25, WIDE).scatter(30, 30, 10, 0.5, "2393")
           .scatter(60, 40, 10, 5.0, "2393"))
    clusters = identify_clusters(reg.columns())
    members = [m for c in clusters for m in c.members]
    assert len(clusters) >= 1 and len(members) == len(set(members))


def test_parameters_survive_a_round_trip_through_json():
    import dataclasses
    import json

    params = IdentifyParams(distance_km=8)
    again = IdentifyParams(**json.loads(json.dumps(dataclasses.asdict(params))))
    assert again == params and again.radii() == [1.0, 2.0, 4.0, 8.0]
