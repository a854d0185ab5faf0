"""B2B meeting schedules for exhibitions.

Participants are on one of two sides — those who look (large buyers,
investors) and those who offer (units, knowledge-based companies) — and every
pair has a match score (how well one's needs meet the other's offers).  Each
time slot pairs lookers with offerers at most once each (no double booking),
with at most ``tables`` meetings; within a slot the pairing maximises the
total score exactly (the assignment problem, Hungarian method via SciPy's
``linear_sum_assignment``); a pair that has met is not paired again.  Slot by
slot is greedy over the day, so the day's total is not guaranteed optimal,
but every slot is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment


@dataclass(frozen=True)
class Meeting:
    slot: int
    table: int
    looker: int  # index into lookers
    offerer: int  # index into offerers
    score: float


def complementarity(needs: list[set[str]], offers: list[set[str]]) -> np.ndarray:
    """Score of each (looker, offerer): the share of the looker's needs the
    offerer meets (0 when the looker states no need)."""
    scores = np.zeros((len(needs), len(offers)))
    for i, need in enumerate(needs):
        if not need:
            continue
        for j, offer in enumerate(offers):
            scores[i, j] = len(need & offer) / len(need)
    return scores


def schedule(scores: np.ndarray, *, slots: int, tables: int, min_score: float = 1e-9) -> list[Meeting]:
    scores = np.array(scores, dtype=float)
    met = np.zeros_like(scores, dtype=bool)
    meetings: list[Meeting] = []
    for slot in range(slots):
        available = np.where(met | (scores < min_score), 0.0, scores)
        if not available.any():
            break
        rows, cols = linear_sum_assignment(available, maximize=True)
        chosen = sorted(((available[r, c], r, c) for r, c in zip(rows, cols, strict=True) if available[r, c] > 0),
                        key=lambda t: (-t[0], t[1], t[2]))[:tables]
        for table, (score, r, c) in enumerate(chosen, start=1):
            meetings.append(Meeting(slot + 1, table, int(r), int(c), float(score)))
            met[r, c] = True
    return meetings
