"""Pure analysis: cluster statistics and, later, matching.  Columns in, results out.

Never imports Django (tests/test_architecture.py checks), so the command line,
the portal, a notebook or a distributed engine can all call it.
"""

from .identify import Cluster, ClusterIdentifier, IdentifyParams, UnitColumns, identify_clusters
from .lq import location_quotients
from .specialisation import specialisation_uscmp

__all__ = [
    "Cluster", "ClusterIdentifier", "IdentifyParams", "UnitColumns", "identify_clusters",
    "location_quotients", "specialisation_uscmp",
]
