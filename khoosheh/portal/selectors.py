"""The portal's scoped reads for the administration pages: the accounts a user may manage there, and the units
and clusters they may link to an owner's or an agent's account (a search, never the whole registry)."""

from __future__ import annotations

from django.db.models import QuerySet

from khoosheh.accounts.models import User
from khoosheh.clusters.models import Cluster
from khoosheh.clusters.selectors import visible_clusters
from khoosheh.core.text import clean
from khoosheh.registry.filters import UnitFilter
from khoosheh.registry.selectors import visible_units

from .links import LINKED_ROLES, may_link

SEARCH_LIMIT = 20  # a registry holds 100,000 units: the search shows the first few, the reader narrows it


def managed_accounts(actor: User) -> QuerySet:
    """National staff manage every account; provincial staff only the owners' and agents' links."""
    users = User.objects.select_related("province").order_by("username")
    if actor.is_national:
        return users
    return users.filter(role__in=LINKED_ROLES) if may_link(actor) else users.none()


def unit_search(actor: User, query: str, *, unlinked_from: User | None = None, limit: int = SEARCH_LIMIT) -> list:
    """Units of the actor's scope whose name contains the words, or whose national ID begins with the digits;
    with ``unlinked_from``, not those that owner keeps already."""
    if not clean(query):
        return []
    units = UnitFilter(q=clean(query)).apply(visible_units(actor)).select_related("province", "county")
    if unlinked_from is not None:
        units = units.exclude(owners=unlinked_from)
    return list(units.order_by("name_key", "id")[:limit])  # the unit list's order: normalised names


def cluster_search(actor: User, query: str, *, unlinked_from: User | None = None,
                   limit: int = SEARCH_LIMIT) -> list:
    """Clusters of the actor's scope in the development programme (only they have an agent), by name; with
    ``unlinked_from``, not those that agent facilitates already."""
    if not clean(query):
        return []
    clusters = visible_clusters(actor).filter(development__isnull=False, name__icontains=clean(query))
    if unlinked_from is not None:
        clusters = clusters.exclude(development__agent=unlinked_from)
    return list(clusters.select_related("province", "development__agent").order_by("name")[:limit])


def linked_clusters(person: User) -> QuerySet:
    return Cluster.objects.filter(development__agent=person).select_related("province").order_by("name")
