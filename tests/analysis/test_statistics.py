import numpy as np
import pytest

from khoosheh.analysis.lq import location_quotients
from khoosheh.analysis.scan import upper_tail
from khoosheh.analysis.significance import benjamini_hochberg


def test_location_quotient_arithmetic():
    # 30 of a county's 100 units make tiles; nationally 1,000 of 100,000 do: LQ = 0.3 / 0.01 = 30.
    assert location_quotients(30, 100, 1_000, 100_000) == pytest.approx(30)
    # Exactly the national share: LQ 1.
    assert location_quotients([5, 0], [500, 10], 1_000, 100_000).tolist() == pytest.approx([1.0, 0.0])


def test_location_quotient_without_a_base_is_undefined():
    assert np.isnan(location_quotients(0, 0, 10, 100))


def test_benjamini_hochberg_by_hand():
    # Sorted p: 0.01, 0.03, 0.04 -> x3/1, x3/2, x3/3 = 0.03, 0.045, 0.04 -> monotone: 0.03, 0.04, 0.04.
    assert benjamini_hochberg(np.array([0.01, 0.04, 0.03])).tolist() == pytest.approx([0.03, 0.04, 0.04])


def test_upper_tail_matches_monte_carlo_relabelling():
    """The analytic tail is what relabelling simulations converge to."""
    rng = np.random.default_rng(0)
    national, share, n, k = 10_000, 0.05, 200, 18  # expected 10 of 200, observed 18
    labels = np.zeros(national, bool)
    labels[: int(national * share)] = True
    draws = np.array([labels[rng.choice(national, n, replace=False)].sum() for _ in range(20_000)])
    simulated = (draws >= k).mean()
    assert float(upper_tail(k, n, share)) == pytest.approx(simulated, rel=0.25)
    assert float(upper_tail(k, n, share)) >= simulated * 0.9  # the binomial is the conservative side


def test_upper_tail_of_nothing_observed_is_one():
    assert float(upper_tail(0, 100, 0.1)) == 1.0
