"""The clusters and candidates a user may see: the one place for them, used by pages, the API, exports,
reports and dashboards alike (writes are checked in the services)."""

from __future__ import annotations

from django.db.models import QuerySet

from khoosheh.accounts.models import Role, User
from khoosheh.accounts.scoping import scope_by_province

from .models import Candidate, Cluster, IdentificationRun


def visible_clusters(user: User) -> QuerySet:
    """A cluster agent sees the clusters they develop; everyone else by province (scope_by_province)."""
    if user.is_authenticated and user.role == Role.CLUSTER_AGENT and not user.is_national:
        return Cluster.objects.filter(development__agent=user)
    return scope_by_province(user, Cluster.objects.all())


def visible_candidates(user: User, run: IdentificationRun | None = None) -> QuerySet:
    """Candidates of one run, or of every run, in the user's province (all for national staff)."""
    candidates = run.candidates.all() if run is not None else Candidate.objects.all()
    return scope_by_province(user, candidates)
