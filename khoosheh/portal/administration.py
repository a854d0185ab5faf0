"""National staff's administration in the portal: users and roles, industrial parks, exhibitions.

It sits in portal/ (beside the floors) because it touches three apps; every change is audited through
accounts.audit.record_change like any other official record, and only national staff may make it."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from khoosheh.accounts.audit import record_change
from khoosheh.accounts.models import Role, User
from khoosheh.core.text import clean, clean_name, match_key
from khoosheh.portal import links
from khoosheh.registry.models import County, IndustrialPark
from khoosheh.spx.models import Exhibition


def _require_national(user: User) -> None:
    if not (user.is_authenticated and user.is_active and user.is_national):
        raise PermissionDenied


def _user_snapshot(person: User) -> dict:
    return {"username": person.username, "first_name": person.first_name, "role": person.role,
            "province": person.province_id, "is_active": person.is_active,
            "parks": sorted(person.parks.values_list("pk", flat=True)) if person.pk else []}


def _check_role(role: str, province: str | None) -> None:
    if role == Role.PROVINCIAL and not province:
        raise ValidationError("کارشناس استانی باید استان داشته باشد")


def _parks_for(role: str, parks, leaving: str | None = None) -> list:
    """Parks are given to a parks company's account only, and an account leaving that role leaves its parks
    (its history shows them dropped): kept, they would lie unseen on its page and grant their units' cases
    again the day the role came back."""
    if role != Role.PARKS_COMPANY and (leaving == Role.PARKS_COMPANY or leaving is None):
        return []
    return list(parks)


@transaction.atomic
def create_user(actor: User, *, username: str, password: str, role: str, province: str | None = None,
                full_name: str = "", parks=()) -> User:
    _require_national(actor)
    username = clean(username)
    _check_role(role, province)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(f"نام کاربری «{username}» پیش‌تر گرفته شده است")
    person = User(username=username, first_name=clean_name(full_name), role=role, province_id=province or None,
                  is_staff=role == Role.NATIONAL)
    person.set_password(password)
    person.save()
    person.parks.set(_parks_for(role, parks))
    record_change(actor, "create", person, after=_user_snapshot(person))
    return person


@transaction.atomic
def change_user(actor: User, person: User, *, role: str, province: str | None, is_active: bool,
                full_name: str = "", parks=()) -> User:
    _require_national(actor)
    _check_role(role, province)
    if person == actor and (not is_active or role != Role.NATIONAL):
        raise ValidationError("نقش یا فعال‌بودن حساب خودتان را از این‌جا تغییر ندهید")
    links.refuse_leaving_role_with_links(person, role)
    parks = _parks_for(role, parks, leaving=person.role)
    before = _user_snapshot(person)
    person.role, person.province_id, person.is_active = role, province or None, is_active
    person.first_name, person.is_staff = clean_name(full_name), role == Role.NATIONAL or person.is_superuser
    person.save()
    person.parks.set(parks)
    record_change(actor, "update", person, before=before, after=_user_snapshot(person))
    return person


def _park_snapshot(park: IndustrialPark) -> dict:
    return {"name": park.name, "kind": park.kind, "county": park.county_id, "lat": park.lat, "lon": park.lon}


@transaction.atomic
def save_park(actor: User, park: IndustrialPark | None, *, name: str, kind: str, county: str,
              lat: float | None = None, lon: float | None = None) -> IndustrialPark:
    _require_national(actor)
    name = clean_name(name)
    if not name:
        raise ValidationError("نام شهرک خالی است")
    if not County.objects.filter(code=county).exists():
        raise ValidationError("شهرستان در فهرست نیست")
    duplicate = IndustrialPark.objects.filter(county_id=county, name_key=match_key(name))
    if park is not None:
        duplicate = duplicate.exclude(pk=park.pk)
    if duplicate.exists():
        raise ValidationError(f"شهرکی به نام «{name}» در این شهرستان هست")
    before = _park_snapshot(park) if park is not None else None
    park = park or IndustrialPark()
    park.name, park.kind, park.county_id, park.lat, park.lon = name, kind, county, lat, lon
    try:
        park.save()
    except IntegrityError:
        raise ValidationError(f"شهرکی به نام «{name}» در این شهرستان هست") from None
    record_change(actor, "update" if before else "create", park, before=before, after=_park_snapshot(park))
    return park


def _exhibition_snapshot(x: Exhibition) -> dict:
    return {"name": x.name, "city": x.city, "province": x.province_id, "starts_on": x.starts_on.isoformat(),
            "slots": x.slots, "tables": x.tables, "day_starts_at": x.day_starts_at.strftime("%H:%M"),
            "slot_minutes": x.slot_minutes}


@transaction.atomic
def save_exhibition(actor: User, exhibition: Exhibition | None, *, name: str, city: str, province: str,
                    starts_on: dt.date, slots: int, tables: int, day_starts_at: dt.time,
                    slot_minutes: int) -> Exhibition:
    _require_national(actor)
    if not clean_name(name):
        raise ValidationError("نام نمایشگاه خالی است")
    before = _exhibition_snapshot(exhibition) if exhibition is not None else None
    exhibition = exhibition or Exhibition()
    exhibition.name, exhibition.city, exhibition.province_id = clean_name(name), clean_name(city), province
    exhibition.starts_on, exhibition.slots, exhibition.tables = starts_on, slots, tables
    exhibition.day_starts_at, exhibition.slot_minutes = day_starts_at, slot_minutes
    exhibition.save()
    record_change(actor, "update" if before else "create", exhibition, before=before,
                  after=_exhibition_snapshot(exhibition))
    return exhibition
