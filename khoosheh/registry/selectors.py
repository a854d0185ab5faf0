"""The production units a user may see: the one place for them, used by pages, the API, exports, reports,
dashboards and the other apps (writes are checked in the services and the import)."""

from __future__ import annotations

from django.db.models import QuerySet

from khoosheh.accounts.models import User
from khoosheh.accounts.scoping import can_write, province_scope, scope_by_province, scope_units, sees_overview
from khoosheh.core.text import in_persian_order

from .models import HeaderMapping, ProductionUnit, Province


def visible_units(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """All units the user may see, or those of ``queryset`` (a cluster's members, say)."""
    return scope_units(user, ProductionUnit.objects.all() if queryset is None else queryset)


def visible_mappings(user: User) -> QuerySet:
    """The saved column mappings a user may list and delete: those who import see their province's (national
    staff: every province's and the national ones); a reader, none."""
    if not can_write(user):
        return HeaderMapping.objects.none()
    return scope_by_province(user, HeaderMapping.objects.select_related("province", "saved_by"))


def pickable_provinces(user: User) -> list[Province]:
    """The provinces a list's or figures' province picker offers (templates/forms/_province_picker.html), in
    Persian order: all 31 for staff whose reads span the nation (national staff, a viewer with no province);
    none for a province-bound reader, whose reads are their own province's only, nor for the roles whose records
    are their own (agents, parks companies, owners), for whom a province names no figures."""
    if province_scope(user) is not None or not sees_overview(user):
        return []
    return in_persian_order(Province.objects.all())
