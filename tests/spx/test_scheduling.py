"""B2B schedules: complementary pairs, nobody double-booked, best pairing per slot."""

import numpy as np

from khoosheh.analysis.scheduling import complementarity, schedule


def test_complementarity_is_the_share_of_needs_met():
    scores = complementarity([{"casting", "machining"}, set()], [{"casting"}, {"casting", "machining", "x"}])
    assert scores.tolist() == [[0.5, 1.0], [0.0, 0.0]]


def test_each_slot_pairs_to_the_highest_total():
    # Two buyers, two units. Greedy on the best single pair (0.9) would give 0.9 + 0.1 = 1.0;
    # the best pairing is 0.8 + 0.8 = 1.6.
    scores = np.array([[0.9, 0.8], [0.8, 0.1]])
    first_slot = [m for m in schedule(scores, slots=1, tables=5)]
    assert sorted((m.looker, m.offerer) for m in first_slot) == [(0, 1), (1, 0)]
    assert sum(m.score for m in first_slot) == 1.6


def test_nobody_is_double_booked_and_no_pair_meets_twice():
    rng = np.random.default_rng(0)
    scores = rng.random((30, 40))
    meetings = schedule(scores, slots=10, tables=12)
    for slot in range(1, 11):
        in_slot = [m for m in meetings if m.slot == slot]
        assert len(in_slot) <= 12
        assert len({m.looker for m in in_slot}) == len(in_slot) and len({m.offerer for m in in_slot}) == len(in_slot)
        assert len({m.table for m in in_slot}) == len(in_slot)
    pairs = [(m.looker, m.offerer) for m in meetings]
    assert len(pairs) == len(set(pairs))


def test_pairs_with_nothing_in_common_do_not_meet():
    meetings = schedule(np.array([[0.0, 0.5], [0.0, 0.0]]), slots=3, tables=5)
    assert [(m.looker, m.offerer) for m in meetings] == [(0, 1)]
