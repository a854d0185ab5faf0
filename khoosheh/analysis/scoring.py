"""Strength score and 0–3 stars, in the spirit of the European Cluster Panorama.

The Panorama gives a region-sector one star for each of size, specialisation,
productivity and dynamism in the top group of Europe (European Commission,
European Cluster Panorama 2021, methodology annex).  The registry knows no
productivity or growth, so khoosheh uses the four dimensions the ministry's
programs care about, each judged against every cluster of the same run:

* size — employees in the top fifth of the run's clusters;
* specialisation — location quotient >= 3 (three times the national share);
* SME base — at least three quarters of known-size members are small (< 50 staff);
* export orientation — exporter share at least 1.5 times the national one.

Stars = the number of those met, at most 3.  The score (0–1) is the mean of
four continuous parts: the size percentile, log2(LQ)/3 capped at 1, the SME
share, and the exporter share relative to twice the national, capped at 1.
"""

from __future__ import annotations

import math

import numpy as np

SPECIALISATION_STAR_LQ = 3.0
SME_STAR_SHARE = 0.75
EXPORT_STAR_RATIO = 1.5
SIZE_STAR_PERCENTILE = 80.0


def score_clusters(clusters: list, *, national_exporter_share: float) -> None:
    if not clusters:
        return
    employees = np.array([c.employees for c in clusters], dtype=float)
    size_cut = np.percentile(employees, SIZE_STAR_PERCENTILE)
    for cluster in clusters:
        size_part = float((employees <= cluster.employees).mean())
        special_part = min(1.0, max(0.0, math.log2(max(cluster.lq, 1e-9)) / 3))
        sme_part = 0.0 if math.isnan(cluster.share_small) else cluster.share_small
        export_ratio = (cluster.share_exporters / national_exporter_share
                        if national_exporter_share and not math.isnan(cluster.share_exporters) else 0.0)
        export_part = min(1.0, export_ratio / 2)
        reasons = []
        if cluster.employees >= size_cut and len(clusters) >= 5:
            reasons.append("size")
        if cluster.lq >= SPECIALISATION_STAR_LQ:
            reasons.append("specialisation")
        if sme_part >= SME_STAR_SHARE:
            reasons.append("sme_base")
        if export_ratio >= EXPORT_STAR_RATIO:
            reasons.append("export_orientation")
        cluster.score = round((size_part + special_part + sme_part + export_part) / 4, 3)
        cluster.star_reasons = reasons
        cluster.stars = min(3, len(reasons))
