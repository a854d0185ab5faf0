"""Who may change which program record; who may see it is `selectors.visible` (the same matrix).

| role               | cluster development | consortium        | clinic case / project | target          |
|--------------------|---------------------|-------------------|-----------------------|-----------------|
| national staff     | all, change         | all, change       | all, change           | all, change     |
| provincial staff   | province, change    | province, change  | province, change      | province + national, read |
| viewer             | (province,) read    | (province,) read  | (province,) read      | (province +) national, read |
| cluster agent      | own clusters, change| of own clusters, read | —                 | —               |
| parks company      | —                   | —                 | units in own parks, change | —          |

tests/programs/test_permissions.py checks every cell.
"""

from __future__ import annotations

from khoosheh.accounts.models import Role, User

from .models import AnnualTarget, ClinicCase, ClusterDevelopment, HalfFinishedProject


def can_change(user: User, record) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_national:
        return True
    if isinstance(record, AnnualTarget):
        return False
    if user.role == Role.PROVINCIAL:
        return record.province_id == user.province_id
    if user.role == Role.CLUSTER_AGENT:
        return isinstance(record, ClusterDevelopment) and record.agent_id == user.pk
    if user.role == Role.PARKS_COMPANY:
        return (isinstance(record, (ClinicCase, HalfFinishedProject)) and record.unit.park_id is not None
                and user.parks.filter(pk=record.unit.park_id).exists())
    return False


def can_create_for(user: User, province_code: str, park_id: int | None = None) -> bool:
    """May the user open a record (case, project, development, consortium) in this place?"""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_national:
        return True
    if user.role == Role.PROVINCIAL:
        return user.province_id == province_code
    if user.role == Role.PARKS_COMPANY:
        return park_id is not None and user.parks.filter(pk=park_id).exists()
    return False
