"""Demo identification: one run over the demo registry, most candidates confirmed."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from khoosheh.analysis import IdentifyParams

from . import services
from .models import Cluster


def build_demo_clusters(user) -> list[Cluster]:
    run = services.run_identification(user, IdentifyParams(), note="اجرای نمایشی")
    clusters = []
    candidates = list(run.candidates.select_related("activity", "county").order_by("-n_units"))
    for i, candidate in enumerate(candidates):
        if i % 7 == 6:
            services.reject(candidate, user, reason="نمایشی: واحدهای یک مجتمع بزرگ، نه خوشه")
            continue
        cluster = services.confirm(candidate, user)
        # Spread confirmations over the last three Jalali years, for the yearly counts.
        cluster.confirmed_at = timezone.now() - dt.timedelta(days=365 * (i % 3))
        cluster.identified_year = None
        cluster.save()
        clusters.append(cluster)
    return clusters
