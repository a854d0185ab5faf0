"""The benchmark's registry generator and its scoring."""

from types import SimpleNamespace

import numpy as np
import pytest
from synthetic import TOP_ACTIVITIES, covered_plants, evaluate, make_registry


@pytest.fixture(scope="module")
def registry():
    return make_registry(8000, seed=3)


def test_plants_cover_every_size_and_spread_without_a_compactness_rule(registry):
    plants = [p for p in registry.planted if not p.is_decoy]
    assert min(p.size for p in plants) >= 10 and max(p.size for p in plants) <= 150
    assert all(1 <= p.spread_km <= 8 for p in plants)
    # Small plants are not forced to be compact: some of 10-15 units spread wider than 2.5 km.
    assert any(p.size <= 15 and p.spread_km > 2.5 for p in plants) or len(plants) < 20


def test_big_cities_top_activities_pairs_and_decoys_are_planted(registry):
    kinds = {p.kind for p in registry.planted}
    assert {"big city", "town", "pair", "below threshold", "follows density"} <= kinds
    assert any(p.top_activity for p in registry.planted if not p.is_decoy)
    assert all(p.activity in TOP_ACTIVITIES for p in registry.planted if p.top_activity)


def test_some_units_have_no_coordinates(registry):
    share = np.isnan(registry.columns.lat).mean()
    assert 0.01 < share < 0.06


def test_every_plant_carries_its_oracle_bound_and_only_the_bound_excludes(registry):
    plants = [p for p in registry.planted if not p.is_decoy]
    assert all(0 < p.oracle_jaccard <= 1 for p in plants)
    assert {id(p) for p in registry.excluded} == {id(p) for p in plants if p.oracle_jaccard < 0.5}


def test_reporting_exactly_the_plants_scores_one(registry):
    exact = [SimpleNamespace(isic=p.activity, member_index=p.members) for p in registry.truth]
    scores = evaluate(exact, registry)
    assert scores["f1"] == 1.0 and scores["jaccard"] == 1.0


def test_one_report_matches_one_plant_only(registry):
    plant = registry.truth[0]
    twice = [SimpleNamespace(isic=plant.activity, member_index=plant.members)] * 2
    scores = evaluate(twice, registry)
    # The second copy is a report with no plant of its own: a false positive.
    assert scores["precision"] == 0.5
    assert scores["recall"] == pytest.approx(1 / len(registry.truth))


def _others_of_activity(registry, plant, count):
    others = np.flatnonzero(registry.columns.activity == plant.activity)
    return set(map(int, np.setdiff1d(others, plant.members)[:count]))


def test_a_report_holding_most_of_a_plant_is_on_it_but_a_report_of_a_whole_city_is_not(registry):
    # An excluded plant (no disc reaches Jaccard 0.5) is still a real excess: a report holding most
    # of it is a report of it, however many of the activity's ordinary units it also holds ...
    plant = next(p for p in registry.truth if (registry.columns.activity == p.activity).sum() > 7 * p.size)
    position = registry.planted.index(plant)
    members = set(map(int, plant.members))
    half = set(sorted(members)[: (len(members) + 1) // 2])
    on_it = half | _others_of_activity(registry, plant, 2 * len(half))
    # ... but not a report in which the plant is lost among five times as many other units.
    city = members | _others_of_activity(registry, plant, 5 * len(members))
    too_little = set(sorted(members)[: len(members) // 3])
    covers = covered_plants([(plant.activity, on_it), (plant.activity, city), (plant.activity, too_little),
                             ("not-" + plant.activity, members)], registry)
    assert covers == {0: position}


def test_the_density_decoy_adds_units_in_the_national_mix_and_moves_nothing_else():
    # Units that only follow general density must leave every activity's share as it was: they are
    # drawn from the national mix, not from one activity (which would be a real local excess).
    now, before = make_registry(8000, seed=3), make_registry(8000, seed=3, density_decoy="one activity")
    decoys = [p for p in now.planted if p.kind == "follows density"]
    members = np.concatenate([p.members for p in decoys])
    assert all(len(set(now.columns.activity[p.members])) > 10 for p in decoys)
    shares = [np.mean(now.columns.activity[members] == a) for a in TOP_ACTIVITIES]
    national = [np.mean(now.columns.activity == a) for a in TOP_ACTIVITIES]
    assert np.allclose(shares, national, atol=0.05)
    # Only the decoys' activities differ from the registry with the earlier decoy: same units, same places.
    differ = np.flatnonzero(now.columns.activity != before.columns.activity)
    assert set(differ) <= set(members)
    assert np.array_equal(now.columns.lat, before.columns.lat, equal_nan=True)
