"""Location quotients."""

from __future__ import annotations

import numpy as np


def location_quotients(local_activity, local_total, national_activity, national_total) -> np.ndarray:
    """LQ = (local activity / local total) / (national activity / national total).

    Works element-wise on arrays; a zero local total gives NaN (no base to
    compare with), a zero national share gives NaN too.

    >>> float(location_quotients(30, 100, 1_000, 100_000))
    30.0
    """
    local_activity, local_total = np.asarray(local_activity, float), np.asarray(local_total, float)
    national_activity, national_total = np.asarray(national_activity, float), np.asarray(national_total, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        local_share = np.where(local_total > 0, local_activity / local_total, np.nan)
        national_share = np.where(national_total > 0, national_activity / national_total, np.nan)
        return np.where(national_share > 0, local_share / national_share, np.nan)
