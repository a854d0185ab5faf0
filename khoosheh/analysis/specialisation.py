"""Regional specialisation from aggregate region x activity tables.

For when only totals exist (census and statistical-yearbook tables), not unit
records.  Rules share one interface: columns in, one row per (region,
activity) out, with at least ``lq`` and ``strong``.

US Cluster Mapping rule (Delgado, Porter & Stern 2016, "Defining clusters of
related industries", Journal of Economic Geography 16(1); clustermapping.us
methodology):

* LQ of activity a in region r = (E_ra / B_r) / (E_a / B), where for a traded
  activity the base B_r is the region's traded employment (and B the nation's),
  and for a local (non-traded) activity the region's total employment;
* for each activity, among the regions with E_ra > 0, region r is *strong* when
  its LQ is at or above the 75th percentile of those LQs and at least 1, and
  its employment and its establishments are above the 25th percentile of the
  regions' employment and establishments.

Percentiles are linear interpolation between order statistics (NumPy's
default, the "type 7" of Hyndman & Fan 1996), so tied values share one cut.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .lq import location_quotients


@dataclass
class SpecialisationRow:
    region: str
    activity: str
    employment: float
    establishments: float
    traded: bool
    lq: float
    lq_p75: float
    employment_p25: float
    establishments_p25: float
    strong: bool


def specialisation_uscmp(region, activity, employment, establishments, traded=None) -> list[SpecialisationRow]:
    region = np.asarray(region).astype(str)
    activity = np.asarray(activity).astype(str)
    employment = np.asarray(employment, dtype=float)
    establishments = np.asarray(establishments, dtype=float)
    traded = np.zeros(len(region), bool) if traded is None else np.asarray(traded, dtype=bool)
    if not (len(region) == len(activity) == len(employment) == len(establishments) == len(traded)):
        raise ValueError("all columns must have the same length")
    if (employment < 0).any() or (establishments < 0).any():
        raise ValueError("employment and establishments cannot be negative")

    lq = _lq(region, activity, employment, traded)
    rows: list[SpecialisationRow] = []
    for act in sorted(set(activity)):
        idx = np.nonzero(activity == act)[0]
        present = idx[employment[idx] > 0]
        if len(present):
            lq_p75 = float(np.percentile(lq[present], 75))
            emp_p25 = float(np.percentile(employment[present], 25))
            est_p25 = float(np.percentile(establishments[present], 25))
        else:
            lq_p75 = emp_p25 = est_p25 = float("nan")
        for i in idx:
            strong = bool(
                employment[i] > 0 and lq[i] >= lq_p75 and lq[i] >= 1
                and employment[i] > emp_p25 and establishments[i] > est_p25
            )
            rows.append(SpecialisationRow(region[i], act, float(employment[i]), float(establishments[i]),
                                          bool(traded[i]), float(lq[i]), lq_p75, emp_p25, est_p25, strong))
    rows.sort(key=lambda r: (r.activity, r.region))
    return rows


def _lq(region: np.ndarray, activity: np.ndarray, employment: np.ndarray, traded: np.ndarray) -> np.ndarray:
    """Traded activities against traded employment, local ones against all."""
    regions, region_of = np.unique(region, return_inverse=True)
    activities, activity_of = np.unique(activity, return_inverse=True)
    region_total = np.bincount(region_of, weights=employment, minlength=len(regions))
    region_traded = np.bincount(region_of, weights=employment * traded, minlength=len(regions))
    activity_total = np.bincount(activity_of, weights=employment, minlength=len(activities))
    base = np.where(traded, region_traded[region_of], region_total[region_of])
    national_base = np.where(traded, employment[traded].sum(), employment.sum())
    return location_quotients(employment, base, activity_total[activity_of], national_base)
