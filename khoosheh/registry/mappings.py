"""Remembered column mappings: how to read files whose headers no alias names.

An official maps such a file once on the upload page; the next file with the same headers
(the same signature) is read the same way without asking.  A mapping belongs to the province
of whoever saved it; national staff's mappings (province null) serve every province that has
none of its own.  Saving and deleting are audited (who, when, before, after)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from khoosheh.accounts.audit import record_change
from khoosheh.accounts.scoping import can_change_province, can_write, province_scope
from khoosheh.core.unitfile.header import MappingProblem, Peek, header_signature, mapped_positions, missing_required

from .models import HeaderMapping


def remembered(headers: list[str], user=None) -> HeaderMapping | None:
    """The mapping for these headers in the user's province, else the national one (the command
    line, run by whoever runs the server, sees only national mappings)."""
    signature = header_signature(headers)
    province = province_scope(user) if user is not None else None
    found = {m.province_id: m for m in HeaderMapping.objects.filter(signature=signature)}
    return found.get(province) if province in found else found.get(None)


def remember(headers: list[str], mapping: dict[str, str], user) -> HeaderMapping:
    """Save (or replace) the mapping for these headers in the user's scope, audited."""
    province = province_scope(user)
    saved, created = HeaderMapping.objects.get_or_create(
        signature=header_signature(headers), province_id=province,
        defaults={"headers": headers, "mapping": mapping, "saved_by": user})
    before = None if created else {"mapping": saved.mapping, "headers": saved.headers}
    if not created:
        saved.headers, saved.mapping, saved.saved_by = headers, mapping, user
        saved.save()
    record_change(user, "create" if created else "update", saved, before,
                  {"mapping": mapping, "headers": headers})
    return saved


@transaction.atomic
def forget(saved: HeaderMapping, user) -> None:
    """Delete a saved mapping, audited: the next file with those headers goes through the mapping step again.
    A provincial user deletes only their province's; a national one (province null) only national staff."""
    if not can_write(user) or not (user.is_national or can_change_province(user, saved.province_id)):
        raise PermissionDenied
    before = {"signature": saved.signature, "province": saved.province_id, "headers": saved.headers,
              "mapping": saved.mapping, "saved_by": saved.saved_by_id}
    record_change(user, "delete", saved, before=before)
    saved.delete()


@dataclass(frozen=True)
class Reading:
    """How an uploaded file is to be read: straight away (with ``mapping`` or none), or after the
    mapping step (``ask``)."""

    ask: bool
    mapping: dict[str, str] | None = None


def reading_for(top: Peek | None, user, *, by_hand: bool = False) -> Reading:
    """A file whose headers name every required column is read as it is; one that does not, with the
    mapping remembered for its headers if that mapping reads it, else after the mapping step, as is
    any readable file whose uploader asked to match its columns by hand.  An unreadable file goes
    to the import, which says why."""
    if top is None:
        return Reading(ask=False)
    if by_hand:
        return Reading(ask=True)
    if not missing_required(top.headers):
        return Reading(ask=False)
    saved = remembered(top.headers, user)
    if saved is not None and fits(saved.mapping, top.headers):
        return Reading(ask=False, mapping=saved.mapping)
    return Reading(ask=True)


def fits(mapping: dict[str, str], headers: list[str]) -> bool:
    """Does the mapping name only headers the file has, and supply every required column?"""
    try:
        mapped_positions(headers, mapping)
    except MappingProblem:
        return False
    return not missing_required(headers, mapping)
