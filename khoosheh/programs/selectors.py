"""The program records a user may see — cluster developments, consortia, clinic cases, half-finished
projects, targets: the one place for them (the matrix in permissions.py's docstring), used by pages, the API,
reports and dashboards alike."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from khoosheh.accounts.models import Role, User
from khoosheh.accounts.scoping import scope_by_province

from .models import AnnualTarget, ClinicCase, ClusterDevelopment, ExportConsortium, HalfFinishedProject


def visible(user: User, queryset: QuerySet) -> QuerySet:
    """The records of ``queryset`` (any program model) the user may see."""
    model = queryset.model
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_national:
        return queryset
    if model is AnnualTarget:
        if user.role not in (Role.PROVINCIAL, Role.VIEWER):
            return queryset.none()
        return queryset.filter(Q(province__isnull=True) | Q(province_id=user.province_id)) if user.province_id \
            else queryset
    if user.role == Role.CLUSTER_AGENT:
        if model is ClusterDevelopment:
            return queryset.filter(agent=user)
        if model is ExportConsortium:
            return queryset.filter(clusters__development__agent=user).distinct()
        return queryset.none()
    if user.role == Role.PARKS_COMPANY:
        if model in (ClinicCase, HalfFinishedProject):
            return queryset.filter(unit__park__in=user.parks.all())
        return queryset.none()
    if user.role == Role.UNIT_OWNER:
        # An owner follows their own units' clinic cases and half-finished projects (read only: permissions.py).
        if model in (ClinicCase, HalfFinishedProject):
            return queryset.filter(unit__owners=user).distinct()
        return queryset.none()
    if user.role in (Role.PROVINCIAL, Role.VIEWER):
        return scope_by_province(user, queryset)
    return queryset.none()
