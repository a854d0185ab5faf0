"""The "Programs" tab and the programs pages' own tabs, for every role: each role lands on a page of its own,
and no tab sends it round in a circle (the owner and the parks company used to bounce between "Programs" and
the business clinic)."""

import re

import pytest
from django.urls import reverse

from khoosheh.accounts.models import Role
from khoosheh.programs import services

pytestmark = pytest.mark.django_db

LANDING = {
    Role.NATIONAL: "programs:overview", Role.PROVINCIAL: "programs:overview", Role.VIEWER: "programs:overview",
    Role.CLUSTER_AGENT: "programs:development_list", Role.PARKS_COMPANY: "programs:case_list",
    Role.UNIT_OWNER: "programs:case_list",
}


@pytest.fixture
def person(world_with_owner, django_user_model):
    """One user of a role, as the role's own world gives it (the owner keeps a unit, the company runs a park)."""
    cast = world_with_owner.cast
    by_role = {Role.NATIONAL: cast.national, Role.PROVINCIAL: cast.isfahan, Role.VIEWER: cast.viewer,
               Role.CLUSTER_AGENT: cast.agent, Role.PARKS_COMPANY: cast.parks_company, Role.UNIT_OWNER: cast.owner}
    return by_role.__getitem__


def tabs_on(response) -> list[str]:
    """The programs tabs a page shows (the links of its first actions row)."""
    row = re.search(r'<p class="actions">(.*?)</p>', response.content.decode(), re.S)
    return re.findall(r'href="([^"]+)"', row.group(1)) if row else []


def test_every_role_of_the_accounts_list_is_covered():
    assert set(LANDING) == set(Role.values)


@pytest.mark.parametrize("role", Role.values)
def test_the_programs_tab_lands_each_role_on_its_own_page_without_a_loop(client, person, role):
    client.force_login(person(role))
    response = client.get(reverse("programs:overview"), follow=True)
    # At most one redirect, never back to where it started, and the page opens.
    visited = [url for url, _ in response.redirect_chain]
    assert len(visited) <= 1 and len(set(visited)) == len(visited), visited
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == reverse(LANDING[role])


@pytest.mark.parametrize("role", Role.values)
def test_every_tab_a_role_is_shown_opens_without_a_redirect(client, person, role):
    client.force_login(person(role))
    tabs = tabs_on(client.get(reverse(LANDING[role])))
    assert tabs, role
    for url in tabs:
        response = client.get(url)
        # A tab the role is shown is a page of its own: never a redirect (which is how the loop began).
        assert response.status_code == 200, (role, url, response.status_code)


def test_roles_without_the_overview_are_not_shown_the_targets_tab(client, person):
    for role in (Role.CLUSTER_AGENT, Role.PARKS_COMPANY, Role.UNIT_OWNER):
        client.force_login(person(role))
        assert reverse("programs:overview") not in tabs_on(client.get(reverse(LANDING[role]))), role


def test_an_owner_sees_the_clinic_case_of_their_own_unit_and_no_other(client, world_with_owner):
    world = world_with_owner
    own = services.open_case(world.units["idle_yazd"], world.cast.national)
    other = services.open_case(world.units["idle_isfahan"], world.cast.national)
    client.force_login(world.cast.owner)
    page = client.get(reverse("programs:case_list")).content.decode()
    assert reverse("programs:case_detail", args=[own.pk]) in page
    assert reverse("programs:case_detail", args=[other.pk]) not in page
    # Their own case reads, without the forms that change it; another unit's is not there for them.
    detail = client.get(reverse("programs:case_detail", args=[own.pk]))
    assert detail.status_code == 200 and 'action="' + reverse("programs:case_step", args=[own.pk, "diagnose"]) \
        not in detail.content.decode()
    assert client.get(reverse("programs:case_detail", args=[other.pk])).status_code == 404
    assert client.post(reverse("programs:case_step", args=[own.pk, "diagnose"]),
                       {"problems": ["legal"], "main_problem": "legal"}).status_code in (302, 403)
    own.refresh_from_db()
    assert own.main_problem == ""


def test_a_user_with_no_program_section_is_refused_not_bounced(client, django_user_model, monkeypatch):
    from khoosheh.programs import views

    user = django_user_model.objects.create_user("agent2", password="x", role=Role.CLUSTER_AGENT)
    monkeypatch.setattr(views, "sections", lambda user: [])
    client.force_login(user)
    assert client.get(reverse("programs:overview")).status_code == 403


@pytest.mark.parametrize("role", [Role.UNIT_OWNER, Role.VIEWER, Role.NATIONAL, Role.PARKS_COMPANY])
def test_the_clinic_says_where_a_case_is_opened_only_to_those_who_may_open_one(client, person, role):
    client.force_login(person(role))
    page = client.get(reverse("programs:case_list")).content.decode()
    hint = "پرونده از صفحه واحد راکد گشوده می‌شود"
    assert (hint in page) == (role in (Role.NATIONAL, Role.PARKS_COMPANY))
