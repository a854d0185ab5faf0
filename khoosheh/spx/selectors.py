"""The SPX records a user may see — enquiries, their matches, exhibitions, capability profiles: the one place
for them, used by pages and the API alike (writes are checked in the services)."""

from __future__ import annotations

from django.db.models import QuerySet

from khoosheh.accounts.models import User
from khoosheh.accounts.scoping import scope_by_province
from khoosheh.registry.selectors import visible_units

from .models import CapabilityProfile, Enquiry, EnquiryMatch, Exhibition


def visible_enquiries(user: User) -> QuerySet:
    return scope_by_province(user, Enquiry.objects.all())


def visible_matches(user: User) -> QuerySet:
    """Matches of the enquiries the user sees."""
    return EnquiryMatch.objects.filter(enquiry__in=visible_enquiries(user))


def visible_exhibitions(user: User) -> QuerySet:
    return scope_by_province(user, Exhibition.objects.all())


def visible_profiles(user: User) -> QuerySet:
    """Capability profiles of the units the user sees."""
    return CapabilityProfile.objects.filter(unit__in=visible_units(user))
