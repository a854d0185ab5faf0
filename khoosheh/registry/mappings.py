"""Remembered column mappings: how to read files whose headers no alias names.

An official maps such a file once on the upload page; the next file with the same headers
(the same signature) is read the same way without asking.  A mapping belongs to the province
of whoever saved it; national staff's mappings (province null) serve every province that has
none of its own.  Saving is audited (who, when, before, after)."""

from __future__ import annotations

from khoosheh.accounts.audit import record_change
from khoosheh.accounts.scoping import province_scope
from khoosheh.core.unitfile.header import header_signature

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
