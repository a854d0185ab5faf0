"""The production units a user may see: the one place for them, used by pages, the API, exports, reports,
dashboards and the other apps (writes are checked in the services and the import)."""

from __future__ import annotations

from django.db.models import QuerySet

from khoosheh.accounts.models import User
from khoosheh.accounts.scoping import scope_units

from .models import ProductionUnit


def visible_units(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """All units the user may see, or those of ``queryset`` (a cluster's members, say)."""
    return scope_units(user, ProductionUnit.objects.all() if queryset is None else queryset)
