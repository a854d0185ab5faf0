"""Who may change which program record; who may see it is `selectors.visible` (the same matrix).

| role               | cluster development | consortium        | clinic case / project | target          |
|--------------------|---------------------|-------------------|-----------------------|-----------------|
| national staff     | all, change         | all, change       | all, change           | all, change     |
| provincial staff   | province, change    | province, change  | province, change      | province + national, read |
| viewer             | (province,) read    | (province,) read  | (province,) read      | (province +) national, read |
| cluster agent      | own clusters, change| of own clusters, read | —                 | —               |
| parks company      | —                   | —                 | units in own parks, change | —          |
| unit owner         | —                   | —                 | own units, read       | —               |

tests/programs/test_permissions.py checks every cell.  `sections` says which program pages a role has at all
(the tabs it is shown): a role has a section when some cell of its row is not "—".
"""

from __future__ import annotations

from khoosheh.accounts.models import Role, User
from khoosheh.accounts.scoping import sees_overview

from .models import AnnualTarget, ClinicCase, ClusterDevelopment, HalfFinishedProject

# The program pages, each with the roles (besides staff: national, provincial, viewer) that have records there.
SECTIONS = {
    "programs:overview": (),  # targets and achievements: staff's figures only (accounts.scoping.sees_overview)
    "programs:development_list": (Role.CLUSTER_AGENT,),
    "programs:consortium_list": (Role.CLUSTER_AGENT,),
    "programs:case_list": (Role.PARKS_COMPANY, Role.UNIT_OWNER),
    "programs:project_pipeline": (Role.PARKS_COMPANY, Role.UNIT_OWNER),
}


def sections(user: User) -> list[str]:
    """The program pages (URL names, in the tabs' order) that can show this user anything."""
    if not user.is_authenticated or not user.is_active:
        return []
    if sees_overview(user):
        return list(SECTIONS)
    return [name for name, roles in SECTIONS.items() if user.role in roles]


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


def opens_records(user: User) -> bool:
    """May the user open a record somewhere (the roles `can_create_for` lets through for some place)?"""
    return (user.is_authenticated and user.is_active
            and (user.is_national or user.role in (Role.PROVINCIAL, Role.PARKS_COMPANY)))


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
