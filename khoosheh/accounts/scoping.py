"""Province scoping: the one place that says what a user may see and change.

Every view, export and API endpoint goes through these helpers, so no page
can forget the rule:

* national staff (and superusers) see and change everything;
* provincial staff see and change their own province only;
* viewers change nothing; a viewer with a province sees only that province;
* cluster agents, industrial-parks companies and unit owners have no
  province-wide view: they see the units (and records) their role gives them —
  the units of the clusters they develop, of the parks they run, or their own.

Asking by name for another province (a dashboard's address, a list's or report's `province`, in the pages and
the API) is one rule, `province_asked`: refused (403) for a user bound to a province, never silently answered
with their own province.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404

from khoosheh.core import reference
from khoosheh.core.text import clean, to_persian_digits

from .models import Role, User


def province_scope(user: User) -> str | None:
    """The province code a user is confined to, or None for the whole country."""
    if user.is_national or user.role in ROLE_SCOPED:
        return None
    if user.role == Role.PROVINCIAL or user.province_id:
        return user.province_id or "--"  # a provincial user without province sees nothing
    return None


ROLE_SCOPED = (Role.CLUSTER_AGENT, Role.PARKS_COMPANY, Role.UNIT_OWNER)


def scope_by_province(user: User, queryset: QuerySet, field: str = "province") -> QuerySet:
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if not user.is_national and user.role in ROLE_SCOPED:
        return queryset.none()
    code = province_scope(user)
    return queryset if code is None else queryset.filter(**{f"{field}_id": code})


def scope_units(user: User, queryset: QuerySet) -> QuerySet:
    """Production units a user may see (a queryset of registry.ProductionUnit)."""
    if user.is_authenticated and user.is_active and not user.is_national:
        if user.role == Role.UNIT_OWNER:
            return queryset.filter(owners=user)
        if user.role == Role.PARKS_COMPANY:
            return queryset.filter(park__in=user.parks.all())
        if user.role == Role.CLUSTER_AGENT:
            return queryset.filter(clusters__development__agent=user).distinct()
    return scope_by_province(user, queryset)


def sees_overview(user: User) -> bool:
    """National and provincial figures — dashboards, targets and achievements, area reports, identification runs
    and their comparisons — are for staff (national, provincial, viewers).  Agents, parks companies and unit
    owners see only their own records: an aggregate would tell them about every other unit."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_national or user.role not in ROLE_SCOPED


def require_overview(user: User) -> None:
    """The one check every overview page and API read makes (403 otherwise)."""
    if not sees_overview(user):
        raise PermissionDenied


_PROVINCE_NAMES = {p.code: p.name_fa for p in reference.provinces()}


class OtherProvince(PermissionDenied):
    """A province-bound user asked by name for another province's list, figures or report.  Refused (403), never
    answered with their own province instead: a caller handed Isfahan's units for `province=23` cannot tell."""

    def __init__(self, own: str | None, asked: str):
        self.own, self.asked = own, asked
        if own in _PROVINCE_NAMES:
            message = (f"این حساب تنها استان {_PROVINCE_NAMES[own]} را می‌بیند؛ "
                       f"استان {_PROVINCE_NAMES[asked]} را نمی‌توان خواست")
        else:  # a provincial account no administrator has given a province yet
            message = "به این حساب هنوز استانی داده نشده است؛ استان دیگری را نمی‌توان خواست"
        super().__init__(message)


class UnknownProvince(ValidationError):
    """A province code that names none of the 31 provinces: a mistake to tell the caller about, not an empty list."""

    def __init__(self, asked: str):
        self.asked = asked
        super().__init__(f"استانی با کد «{to_persian_digits(asked[:20])}» نیست؛ "
                         "کد رسمی دورقمی استان را بفرستید، مثلاً ۱۰ برای اصفهان")


def province_asked(user: User, asked: str | None) -> str | None:
    """The province a province-wide read (a list, a dashboard, targets, a report) is for, when `asked` names one
    (None or "" for none): the one rule of every page, API list and report that takes a province.

    Naming none is always fine: the nation for national roles, their own province for province-bound users.
    National roles (and the roles scoped by record, whose rows are theirs anyway) may name any province;
    a province-bound user only their own (OtherProvince, 403).  A code naming no province is UnknownProvince
    (a ValidationError: the API answers 422, the pages 400), checked first so the answer says what is wrong."""
    code = clean(asked or "").strip()  # Persian digits welcome: ۱۰ is 10
    if code and code not in _PROVINCE_NAMES:
        raise UnknownProvince(code)
    scope = province_scope(user)
    if scope and code and code != scope:
        raise OtherProvince(scope, code)
    return scope or code or None


_COUNTY_PROVINCE = {c.code: c.province_code for c in reference.counties()}


class UnknownCounty(ValidationError):
    """A county code that names none of the reference counties (refused like UnknownProvince)."""

    def __init__(self, asked: str):
        self.asked = asked
        super().__init__(f"شهرستانی با کد «{asked[:20]}» نیست؛ کد رسمی چهاررقمی شهرستان را بفرستید")


def county_asked(user: User, asked: str | None) -> str | None:
    """The county a list is narrowed to, by `province_asked`'s rule: a county of another province than a
    province-bound user's own is OtherProvince (403), not an empty list that looks like "no units there"."""
    code = clean(asked or "").strip()
    if not code:
        return None
    if code not in _COUNTY_PROVINCE:
        raise UnknownCounty(code)
    province_asked(user, _COUNTY_PROVINCE[code])
    return code


def can_change_province(user: User, province_code: str | None) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_national:
        return True
    return user.role == Role.PROVINCIAL and province_code is not None and user.province_id == province_code


def can_write(user: User) -> bool:
    """May the user change anything at all (some province, or all)?"""
    return user.is_authenticated and user.is_active and (user.is_national or user.role == Role.PROVINCIAL)


class OutsideScope(Http404):
    """The record exists but lies outside what the user's role and province let them see.  Still a 404 (the
    record is not there for this user), but the error page says why: a provincial user following a link to
    another province is told it is outside their province, not shown a bare "not found"."""


def get_visible_or_404(queryset: QuerySet, **lookup):
    """One record of a scoped queryset; if it exists only outside the scope, OutsideScope, else Http404."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError, ValidationError):
        pass
    try:
        exists = queryset.model._default_manager.filter(**lookup).exists()
    except (ValueError, TypeError, ValidationError):
        exists = False
    if exists:
        raise OutsideScope
    raise Http404
