"""Who is linked to what: a unit owner's account to the units whose records they keep, a cluster agent's to the
clusters they facilitate (the cluster's development record names its agent).

National staff link any unit or cluster, provincial staff only those of their province, checked here whatever a
page offered; each link and unlink is audited on the account (its units or clusters before and after), and a
cluster's change of agent also on its development record."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from khoosheh.accounts.audit import record_change
from khoosheh.accounts.models import Role, User
from khoosheh.accounts.scoping import can_change_province
from khoosheh.clusters.models import Cluster
from khoosheh.core.text import persian_number
from khoosheh.programs.models import ClusterDevelopment
from khoosheh.registry.models import ProductionUnit

# The accounts whose links these pages keep: only these roles have units or clusters of their own.
LINKED_ROLES = (Role.UNIT_OWNER, Role.CLUSTER_AGENT)


def may_link(actor: User) -> bool:
    return actor.is_authenticated and actor.is_active and (actor.is_national or actor.role == Role.PROVINCIAL)


def _require(actor: User, person: User, role: str, province_code: str | None) -> None:
    if not may_link(actor) or not can_change_province(actor, province_code):
        raise PermissionDenied
    if person.role != role:
        wanted = "مالک واحد" if role == Role.UNIT_OWNER else "عامل توسعه خوشه"
        raise ValidationError(f"این حساب «{wanted}» نیست؛ نخست نقش آن را تغییر دهید")


def refuse_leaving_role_with_links(person: User, role: str) -> None:
    """An account that keeps units or clusters may not change role while it has them: the links would stay
    behind, invisible on its page but still granting access.  Unlinking first makes each removal audited."""
    if role == person.role:
        return
    if person.role == Role.UNIT_OWNER and (count := person.units.count()):
        raise ValidationError(f"این حساب هنوز به {persian_number(count)} واحد پیوند دارد؛ "
                              "پیش از تغییر نقش، پیوند واحدها را بردارید")
    if person.role == Role.CLUSTER_AGENT and (count := ClusterDevelopment.objects.filter(agent=person).count()):
        raise ValidationError(f"این حساب هنوز عامل توسعه {persian_number(count)} خوشه است؛ "
                              "پیش از تغییر نقش، پیوند خوشه‌ها را بردارید")


def units_of(person: User) -> dict:
    return {"units": sorted(person.units.values_list("pk", flat=True))}


def clusters_of(person: User) -> dict:
    return {"clusters": sorted(ClusterDevelopment.objects.filter(agent=person).values_list("cluster_id", flat=True))}


@transaction.atomic
def link_unit(actor: User, person: User, unit: ProductionUnit) -> None:
    _require(actor, person, Role.UNIT_OWNER, unit.province_id)
    before = units_of(person)
    if unit.pk in before["units"]:
        raise ValidationError(f"واحد «{unit.name}» پیش‌تر به این حساب پیوند خورده است")
    person.units.add(unit)
    record_change(actor, "update", person, before, units_of(person))


@transaction.atomic
def unlink_unit(actor: User, person: User, unit: ProductionUnit) -> None:
    _require(actor, person, Role.UNIT_OWNER, unit.province_id)
    before = units_of(person)
    if unit.pk not in before["units"]:
        raise ValidationError(f"واحد «{unit.name}» به این حساب پیوند ندارد")
    person.units.remove(unit)
    record_change(actor, "update", person, before, units_of(person))


def _development(cluster: Cluster) -> ClusterDevelopment:
    development = ClusterDevelopment.objects.select_for_update().filter(cluster=cluster).first()
    if development is None:
        # The agent is a field of the development record: a cluster not yet in the programme has none to keep.
        raise ValidationError(f"خوشه «{cluster.name}» هنوز وارد برنامه توسعه نشده است؛ "
                              "نخست از صفحه خوشه آن را وارد برنامه کنید")
    return development


def _set_agent(actor: User, development: ClusterDevelopment, agent: User | None) -> None:
    """Change the development's agent, audited on the development and on each account that gains or loses it."""
    previous = development.agent
    accounts = [a for a in (previous, agent) if a is not None]
    before = {a.pk: clusters_of(a) for a in accounts}
    development.agent = agent
    development.save(update_fields=["agent"])
    record_change(actor, "update", development, {"agent": previous.pk if previous else None},
                  {"agent": agent.pk if agent else None})
    for account in accounts:
        record_change(actor, "update", account, before[account.pk], clusters_of(account))


@transaction.atomic
def link_cluster(actor: User, person: User, cluster: Cluster) -> None:
    """Make ``person`` the cluster's agent (replacing any other agent, who is told in the audit trail)."""
    _require(actor, person, Role.CLUSTER_AGENT, cluster.province_id)
    development = _development(cluster)
    if development.agent_id == person.pk:
        raise ValidationError(f"این حساب پیش‌تر عامل توسعه خوشه «{cluster.name}» است")
    _set_agent(actor, development, person)


@transaction.atomic
def unlink_cluster(actor: User, person: User, cluster: Cluster) -> None:
    _require(actor, person, Role.CLUSTER_AGENT, cluster.province_id)
    development = _development(cluster)
    if development.agent_id != person.pk:
        raise ValidationError(f"این حساب عامل توسعه خوشه «{cluster.name}» نیست")
    _set_agent(actor, development, None)
