"""The production units a user may see: the one place for them, used by pages, the API, exports, reports,
dashboards and the other apps (writes are checked in the services and the import)."""

from __future__ import annotations

from django.db.models import QuerySet

from khoosheh.accounts.models import User
from khoosheh.accounts.scoping import can_write, scope_by_province, scope_units

from .models import HeaderMapping, ProductionUnit


def visible_units(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """All units the user may see, or those of ``queryset`` (a cluster's members, say)."""
    return scope_units(user, ProductionUnit.objects.all() if queryset is None else queryset)


def visible_mappings(user: User) -> QuerySet:
    """The saved column mappings a user may list and delete: those who import see their province's (national
    staff: every province's and the national ones); a reader, none."""
    if not can_write(user):
        return HeaderMapping.objects.none()
    return scope_by_province(user, HeaderMapping.objects.select_related("province", "saved_by"))
