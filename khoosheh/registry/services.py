"""Changes to units made by people in the portal (imports: importing.py)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from khoosheh.accounts.models import AuditEntry, User
from khoosheh.accounts.scoping import can_change_province

from .models import ProductionUnit, UnitStatusChange


@transaction.atomic
def change_status(unit: ProductionUnit, new_status: str, *, user: User, reason: str, source: str = "portal") -> bool:
    """Set a unit's status, recording who, when, before, after and why.

    Returns False (and records nothing) when the status is already that."""
    if not can_change_province(user, unit.province_id):
        raise PermissionDenied
    return set_status(unit, new_status, user=user, reason=reason, source=source)


@transaction.atomic
def set_status(unit: ProductionUnit, new_status: str, *, user: User | None, reason: str, source: str) -> bool:
    """The recorded status change itself, for services that have checked the
    permission on their own terms (a business-clinic case reviving its unit)."""
    unit = ProductionUnit.objects.select_for_update().get(pk=unit.pk)
    old = unit.status
    if old == new_status:
        return False
    unit.status = new_status
    unit.save(update_fields=["status", "updated_at"])
    UnitStatusChange.objects.create(unit=unit, changed_at=timezone.now(), changed_by=user, old_status=old,
                                    new_status=new_status, reason=reason, source=source)
    AuditEntry.objects.create(actor=user, action="update", record_type="registry.productionunit",
                              record_id=str(unit.pk), before={"status": old}, after={"status": new_status},
                              source=source)
    return True
