"""The US Cluster Mapping rule on a table small enough to work out by hand."""

import csv

import numpy as np
import pytest

from khoosheh.analysis import specialisation_uscmp


def table():
    # Four regions, two traded activities (T1, T2) and one local (L).
    rows = [
        # region, activity, employment, establishments, traded
        ("A", "T1", 100, 10, True), ("A", "T2", 100, 10, True), ("A", "L", 200, 20, False),
        ("B", "T1", 300, 30, True), ("B", "T2", 100, 5, True), ("B", "L", 100, 10, False),
        ("C", "T1", 50, 4, True), ("C", "T2", 150, 15, True), ("C", "L", 100, 10, False),
        ("D", "T1", 0, 0, True), ("D", "T2", 50, 5, True), ("D", "L", 50, 5, False),
    ]
    return [np.array(c) for c in zip(*rows, strict=True)]


def by_key(rows):
    return {(r.region, r.activity): r for r in rows}


def test_traded_lq_uses_traded_employment_as_base():
    result = by_key(specialisation_uscmp(*table()))
    # Traded employment: A 200, B 400, C 200, D 50; nation 850. T1 nationally 450.
    # LQ(B, T1) = (300 / 400) / (450 / 850) = 0.75 / 0.5294 = 1.4167
    assert result["B", "T1"].lq == pytest.approx((300 / 400) / (450 / 850))
    # Local activity against all employment: A 400 of 1,300; L nationally 450.
    assert result["A", "L"].lq == pytest.approx((200 / 400) / (450 / 1300))


def test_strong_regions_by_hand():
    result = by_key(specialisation_uscmp(*table()))
    # T1 among regions with employment (A, B, C): LQs 0.944, 1.417, 0.472 -> p75 = 1.181;
    # employment 100, 300, 50 -> p25 = 75; establishments 10, 30, 4 -> p25 = 7.
    assert result["B", "T1"].lq_p75 == pytest.approx(np.percentile([100 / 200 / (450 / 850), 1.41667,
                                                                    50 / 200 / (450 / 850)], 75), rel=1e-3)
    assert result["B", "T1"].strong
    assert not result["A", "T1"].strong  # LQ below the 75th percentile
    assert not result["C", "T1"].strong


def test_zero_employment_regions_are_left_out_of_the_percentiles_and_never_strong():
    result = by_key(specialisation_uscmp(*table()))
    assert not result["D", "T1"].strong
    assert result["A", "T1"].employment_p25 == pytest.approx(75.0)  # of 100, 300, 50 — not of 0 too


def test_ties_share_the_cut_and_lq_must_reach_one():
    # Two regions with the same LQ at the top: both at the 75th percentile cut.
    region = np.array(["A", "B", "C", "D", "A", "B", "C", "D"])
    activity = np.array(["X"] * 4 + ["Y"] * 4)
    employment = np.array([40, 40, 10, 10, 60, 60, 90, 90])
    establishments = np.array([5, 5, 2, 2, 5, 5, 5, 5])
    result = by_key(specialisation_uscmp(region, activity, employment, establishments))
    assert result["A", "X"].lq == result["B", "X"].lq
    assert result["A", "X"].strong and result["B", "X"].strong
    # For Y the top LQs are below 1: nobody is strong, however they rank.
    assert not any(result[r, "Y"].strong for r in "ABCD")


def test_employment_and_establishments_must_be_strictly_above_the_25th_percentile():
    region = np.array(["A", "B", "C", "D"])
    activity = np.array(["X"] * 4)
    result = by_key(specialisation_uscmp(region, activity, [10, 10, 10, 10], [1, 1, 1, 1]))
    # Everything tied: LQ 1 everywhere reaches the cut, but nobody is above the 25th percentile.
    assert not any(r.strong for r in result.values())


def test_negative_employment_is_refused():
    with pytest.raises(ValueError):
        specialisation_uscmp(["A"], ["X"], [-1], [1])


def test_us_state_cluster_table_gives_at_most_a_quarter_strong(shared_data):
    path = shared_data / "regional_employment" / "uscmp2016_state_cluster_employment_inputs.csv"
    with path.open() as f:
        rows = list(csv.DictReader(f))
    rows = [r for r in rows if r["traded_b"] in ("1", "True", "true")]
    result = specialisation_uscmp([r["region_code_t"] for r in rows], [r["cluster_code_t"] for r in rows],
                                  [float(r["emp_tl"] or 0) for r in rows], [float(r["est_tl"] or 0) for r in rows],
                                  [True] * len(rows))
    per_cluster = {}
    for r in result:
        per_cluster.setdefault(r.activity, []).append(r.strong)
    assert len(per_cluster) == 51
    # By construction at most the top quarter (ties aside) of 50 states can be strong.
    assert all(sum(flags) <= 14 for flags in per_cluster.values())
    assert sum(sum(flags) for flags in per_cluster.values()) > 51 * 5
