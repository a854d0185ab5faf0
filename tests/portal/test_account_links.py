"""An owner's account linked to the units they keep, an agent's to the clusters they facilitate, from the
portal's user pages: a search (by name or national ID) and a link button, without JS.  National staff link
anything; provincial staff only their own province's units and clusters, refused by the service whatever the
page offered; every link and unlink is in the account's history (who, when, before, after)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from khoosheh.accounts.models import AuditEntry, Role, User
from khoosheh.portal import links
from khoosheh.programs import services as programs
from khoosheh.programs.models import ClusterDevelopment
from tests.conftest import NID_A, NID_B, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts(world, django_user_model):
    """An owner with no unit yet, a second agent, a Yazd provincial official; Isfahan's idle unit has a national
    ID; the Yazd cluster is in the development programme with the world's agent."""
    world.units["idle_isfahan"].national_id = NID_A
    world.units["idle_isfahan"].save()
    world.units["idle_yazd"].national_id = NID_B
    world.units["idle_yazd"].save()
    world.development = programs.start_development(world.cluster, world.cast.national, agent=world.cast.agent)
    world.owner = django_user_model.objects.create_user("owner", password="x", role=Role.UNIT_OWNER)
    world.agent2 = django_user_model.objects.create_user("agent2", password="x", role=Role.CLUSTER_AGENT)
    world.yazd = django_user_model.objects.create_user("yazd", password="x", role=Role.PROVINCIAL, province_id="21")
    return world


def link(client, person, record, *, kind="units", action="link", **extra):
    url = reverse("manage_user_units" if kind == "units" else "manage_user_clusters", args=[person.pk])
    return client.post(url, {"record": record.pk, "action": action, **extra})


def user_entries(person):
    return AuditEntry.objects.filter(record_type="accounts.user", record_id=str(person.pk), action="update")


# --- a unit owner's units -----------------------------------------------------------------------------------


def test_a_new_owner_account_goes_on_to_the_page_where_its_units_are_linked(client, accounts):
    client.force_login(accounts.cast.national)
    response = client.post(reverse("manage_user_new"), {
        "username": "new-owner", "password": "a-long-password", "role": Role.UNIT_OWNER, "is_active": "on"})
    person = User.objects.get(username="new-owner")
    assert response.url == reverse("manage_user", args=[person.pk])
    assert 'name="q"' in client.get(response.url).content.decode()  # the unit search


def test_units_are_found_by_name_or_national_id_and_not_listed_before_a_search(client, accounts):
    client.force_login(accounts.cast.national)
    page = reverse("manage_user", args=[accounts.owner.pk])
    assert client.get(page).context["found"] == []  # no giant list of every unit
    by_name = client.get(page, {"q": "راکد"}).context["found"]
    assert {u.pk for u in by_name} == {accounts.units["idle_isfahan"].pk, accounts.units["idle_yazd"].pk}
    # The national ID's first digits, in Persian digits as a reader types them.
    by_id = client.get(page, {"q": "۱۰۸۶۰"}).context["found"]
    assert [u.pk for u in by_id] == [accounts.units["idle_yazd"].pk]


def test_the_search_shows_a_limited_number_of_units(client, accounts):
    for i in range(25):
        make_unit(f"کارگاه نمونه {i}", "10", "1010")
    client.force_login(accounts.cast.national)
    found = client.get(reverse("manage_user", args=[accounts.owner.pk]), {"q": "کارگاه نمونه"}).context["found"]
    assert len(found) == 20


def test_the_limit_is_mentioned_only_when_the_search_hit_it(client, accounts):
    client.force_login(accounts.cast.national)
    page = reverse("manage_user", args=[accounts.owner.pk])
    note = "حداکثر ۲۰ نتیجه"
    few = client.get(page, {"q": "راکد"})
    assert len(few.context["found"]) == 2 and note not in few.content.decode()
    assert note not in client.get(page, {"q": "هیچ‌چیز"}).content.decode()
    for i in range(21):
        make_unit(f"کارگاه نمونه {i}", "10", "1010")
    assert note in client.get(page, {"q": "کارگاه نمونه"}).content.decode()


def test_a_unit_the_owner_keeps_already_is_not_offered_again(client, accounts):
    accounts.owner.units.add(accounts.units["idle_yazd"])
    client.force_login(accounts.cast.national)
    response = client.get(reverse("manage_user", args=[accounts.owner.pk]), {"q": "راکد"})
    assert [u.pk for u in response.context["found"]] == [accounts.units["idle_isfahan"].pk]
    # It is listed once, among the linked ones, with its «unlink».
    assert [u.pk for u in response.context["linked"]] == [accounts.units["idle_yazd"].pk]


def test_national_staff_link_and_unlink_a_unit_and_each_is_audited(client, accounts):
    unit = accounts.units["idle_yazd"]
    client.force_login(accounts.cast.national)
    response = link(client, accounts.owner, unit, q="راکد")
    # Back to the owner's page, the search kept.
    assert response.url == reverse("manage_user", args=[accounts.owner.pk]) + "?q=%D8%B1%D8%A7%DA%A9%D8%AF"
    assert list(accounts.owner.units.all()) == [unit]
    entry = user_entries(accounts.owner).get()
    assert entry.actor == accounts.cast.national and (entry.before, entry.after) == ({"units": []},
                                                                                    {"units": [unit.pk]})
    link(client, accounts.owner, unit, action="unlink")
    assert not accounts.owner.units.exists()
    assert user_entries(accounts.owner).first().after == {"units": []}
    # The account's history names the unit.
    history = client.get(reverse("manage_user", args=[accounts.owner.pk])).content.decode()
    assert unit.name in history


def test_a_unit_linked_twice_is_refused_in_persian(client, accounts):
    client.force_login(accounts.cast.national)
    link(client, accounts.owner, accounts.units["idle_yazd"])
    response = link(client, accounts.owner, accounts.units["idle_yazd"], )
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("پیش‌تر" in m for m in messages)
    assert user_entries(accounts.owner).count() == 1


def test_a_unit_is_not_linked_to_an_account_that_is_not_an_owner(accounts):
    with pytest.raises(ValidationError, match="مالک واحد"):
        links.link_unit(accounts.cast.national, accounts.agent2, accounts.units["idle_yazd"])
    assert not accounts.agent2.units.exists()


# --- provincial staff: their province only ------------------------------------------------------------------


def test_provincial_staff_list_only_owners_and_agents(client, accounts):
    client.force_login(accounts.cast.isfahan)
    listed = {u.username for u in client.get(reverse("manage")).context["users"]}
    assert listed == {"owner", "agent", "agent2"}
    # Another official's account is not there for them, and no account's role is theirs to change.
    assert client.get(reverse("manage_user", args=[accounts.cast.tehran.pk])).status_code == 404
    response = client.post(reverse("manage_user", args=[accounts.owner.pk]), {"role": Role.NATIONAL})
    assert response.status_code == 403
    assert User.objects.get(pk=accounts.owner.pk).role == Role.UNIT_OWNER


def test_provincial_staff_find_only_their_provinces_units(client, accounts):
    client.force_login(accounts.cast.isfahan)
    found = client.get(reverse("manage_user", args=[accounts.owner.pk]), {"q": "راکد"}).context["found"]
    assert [u.pk for u in found] == [accounts.units["idle_isfahan"].pk]


def test_provincial_staff_link_their_provinces_unit(client, accounts):
    client.force_login(accounts.cast.isfahan)
    link(client, accounts.owner, accounts.units["idle_isfahan"])
    assert list(accounts.owner.units.all()) == [accounts.units["idle_isfahan"]]
    assert user_entries(accounts.owner).get().actor == accounts.cast.isfahan


def test_provincial_staff_cannot_link_another_provinces_unit_by_posting_its_id(client, accounts):
    client.force_login(accounts.cast.isfahan)
    # The unit is not in their choices; posting its id anyway finds nothing in their scope.
    assert link(client, accounts.owner, accounts.units["idle_yazd"]).status_code == 404
    assert not accounts.owner.units.exists() and not user_entries(accounts.owner).exists()


def test_the_service_refuses_another_provinces_unit_whatever_the_page(accounts):
    with pytest.raises(PermissionDenied):
        links.link_unit(accounts.cast.isfahan, accounts.owner, accounts.units["idle_yazd"])
    accounts.owner.units.add(accounts.units["idle_yazd"])
    with pytest.raises(PermissionDenied):
        links.unlink_unit(accounts.cast.isfahan, accounts.owner, accounts.units["idle_yazd"])
    with pytest.raises(PermissionDenied):
        links.link_unit(accounts.cast.viewer, accounts.owner, accounts.units["idle_isfahan"])
    assert list(accounts.owner.units.all()) == [accounts.units["idle_yazd"]]


def test_provincial_staff_see_another_provinces_links_only_as_a_count_and_cannot_unlink_them(client, accounts):
    accounts.owner.units.add(accounts.units["idle_yazd"], accounts.units["idle_isfahan"])
    client.force_login(accounts.cast.isfahan)
    page = client.get(reverse("manage_user", args=[accounts.owner.pk]))
    assert page.context["linked"] == [accounts.units["idle_isfahan"]] and page.context["linked_elsewhere"] == 1
    # Neither the list nor a history names Yazd's unit to Isfahan's official.
    assert accounts.units["idle_yazd"].name not in page.content.decode()
    assert link(client, accounts.owner, accounts.units["idle_yazd"], action="unlink").status_code == 404
    assert accounts.owner.units.count() == 2


def test_viewers_and_the_linked_roles_have_no_administration(client, accounts):
    for person in (accounts.cast.viewer, accounts.owner, accounts.cast.agent):
        client.force_login(person)
        assert client.get(reverse("manage_user", args=[accounts.owner.pk])).status_code == 403
        assert link(client, accounts.owner, accounts.units["idle_isfahan"]).status_code == 403
    assert not accounts.owner.units.exists()


# --- a cluster agent's clusters -----------------------------------------------------------------------------


def test_clusters_in_the_programme_are_found_by_name(client, accounts):
    client.force_login(accounts.cast.national)
    found = client.get(reverse("manage_user", args=[accounts.agent2.pk]), {"q": "کاشی"}).context["found"]
    assert found == [accounts.cluster]


def test_a_cluster_the_agent_facilitates_already_is_not_offered_again(client, accounts):
    client.force_login(accounts.cast.national)
    response = client.get(reverse("manage_user", args=[accounts.cast.agent.pk]), {"q": "کاشی"})
    assert response.context["found"] == [] and [c.pk for c in response.context["linked"]] == [accounts.cluster.pk]


def test_the_parks_list_is_offered_only_on_a_parks_companys_account(client, accounts):
    client.force_login(accounts.cast.national)
    for person in (accounts.owner, accounts.cast.agent):
        page = client.get(reverse("manage_user", args=[person.pk]))
        assert "parks" not in page.context["form"].fields and 'name="parks"' not in page.content.decode()
    parks = client.get(reverse("manage_user", args=[accounts.cast.parks_company.pk]))
    assert 'name="parks"' in parks.content.decode()
    assert parks.context["form"]["parks"].value() == [str(accounts.park.pk)]
    # A new account's role is not known yet: the list is there.
    assert 'name="parks"' in client.get(reverse("manage_user_new")).content.decode()


def test_saving_an_account_without_the_parks_list_leaves_its_parks_as_they_were(client, accounts):
    accounts.owner.parks.add(accounts.park)  # however it came to be
    client.force_login(accounts.cast.national)
    client.post(reverse("manage_user", args=[accounts.owner.pk]),
                {"full_name": "مالک", "role": Role.UNIT_OWNER, "is_active": "on"})
    accounts.owner.refresh_from_db()
    assert accounts.owner.first_name == "مالک" and list(accounts.owner.parks.all()) == [accounts.park]


def test_linking_an_agent_makes_them_the_clusters_agent_audited_on_both_accounts_and_the_development(
        client, accounts):
    client.force_login(accounts.cast.national)
    link(client, accounts.agent2, accounts.cluster, kind="clusters")
    development = ClusterDevelopment.objects.get(pk=accounts.development.pk)
    assert development.agent == accounts.agent2
    # The new agent gains the cluster, the one it replaces loses it; the development says who came after whom.
    assert user_entries(accounts.agent2).get().after == {"clusters": [accounts.cluster.pk]}
    assert user_entries(accounts.cast.agent).get().after == {"clusters": []}
    change = AuditEntry.objects.get(record_type="programs.clusterdevelopment", action="update")
    assert (change.before, change.after) == ({"agent": accounts.cast.agent.pk}, {"agent": accounts.agent2.pk})
    history = client.get(reverse("manage_user", args=[accounts.agent2.pk])).content.decode()
    assert accounts.cluster.name in history


def test_unlinking_an_agent_leaves_the_cluster_without_one(client, accounts):
    client.force_login(accounts.cast.national)
    link(client, accounts.cast.agent, accounts.cluster, kind="clusters", action="unlink")
    assert ClusterDevelopment.objects.get(pk=accounts.development.pk).agent is None
    assert user_entries(accounts.cast.agent).get().before == {"clusters": [accounts.cluster.pk]}


def test_a_cluster_not_yet_in_the_programme_cannot_have_an_agent(accounts):
    accounts.development.delete()
    with pytest.raises(ValidationError, match="برنامه توسعه"):
        links.link_cluster(accounts.cast.national, accounts.agent2, accounts.cluster)


def test_provincial_staff_link_their_provinces_clusters_only(client, accounts):
    # Yazd's official links Yazd's cluster.
    client.force_login(accounts.yazd)
    link(client, accounts.agent2, accounts.cluster, kind="clusters")
    assert ClusterDevelopment.objects.get(pk=accounts.development.pk).agent == accounts.agent2
    # Isfahan's does not find it, cannot post it, and the service refuses it.
    client.force_login(accounts.cast.isfahan)
    assert client.get(reverse("manage_user", args=[accounts.cast.agent.pk]), {"q": "کاشی"}).context["found"] == []
    assert link(client, accounts.cast.agent, accounts.cluster, kind="clusters").status_code == 404
    with pytest.raises(PermissionDenied):
        links.link_cluster(accounts.cast.isfahan, accounts.cast.agent, accounts.cluster)
    assert ClusterDevelopment.objects.get(pk=accounts.development.pk).agent == accounts.agent2


# --- changing the role of an account that has links --------------------------------------------------------


def change_role(client, person, role):
    return client.post(reverse("manage_user", args=[person.pk]), {
        "full_name": "", "role": role, "province": "", "is_active": "on"})


def test_an_owner_with_linked_units_keeps_the_role_until_the_units_are_unlinked(client, accounts):
    unit = accounts.units["idle_yazd"]
    links.link_unit(accounts.cast.national, accounts.owner, unit)
    client.force_login(accounts.cast.national)
    page = change_role(client, accounts.owner, Role.VIEWER).content.decode()
    assert "هنوز به ۱ واحد پیوند دارد" in page
    accounts.owner.refresh_from_db()
    assert accounts.owner.role == Role.UNIT_OWNER and list(accounts.owner.units.all()) == [unit]
    links.unlink_unit(accounts.cast.national, accounts.owner, unit)
    assert change_role(client, accounts.owner, Role.VIEWER).status_code == 302
    accounts.owner.refresh_from_db()
    assert accounts.owner.role == Role.VIEWER


def test_an_agent_of_a_cluster_keeps_the_role_until_the_cluster_is_unlinked(client, accounts):
    client.force_login(accounts.cast.national)
    page = change_role(client, accounts.cast.agent, Role.VIEWER).content.decode()
    assert "هنوز عامل توسعه ۱ خوشه است" in page
    assert ClusterDevelopment.objects.get(pk=accounts.development.pk).agent == accounts.cast.agent


def test_an_owner_without_units_may_change_role(client, accounts):
    client.force_login(accounts.cast.national)
    assert change_role(client, accounts.owner, Role.VIEWER).status_code == 302


def test_an_accounts_page_is_headed_by_the_persons_name_and_username(client, accounts):
    accounts.owner.first_name = "مریم احمدی"
    accounts.owner.save()
    client.force_login(accounts.cast.national)
    page = client.get(reverse("manage_user", args=[accounts.owner.pk])).content.decode()
    assert "<h1>مریم احمدی (owner)</h1>" in page


def test_a_parks_company_turned_into_another_role_leaves_its_parks_and_its_history_says_so(client, accounts):
    company = accounts.cast.parks_company
    client.force_login(accounts.cast.national)
    # The parks list is still on the page (the saved role is a parks company's), with its park ticked.
    client.post(reverse("manage_user", args=[company.pk]),
                {"role": Role.VIEWER, "is_active": "on", "parks": [str(accounts.park.pk)]})
    company.refresh_from_db()
    assert company.role == Role.VIEWER and list(company.parks.all()) == []
    entry = AuditEntry.objects.filter(record_type="accounts.user", record_id=str(company.pk)).latest("pk")
    assert entry.before["parks"] == [accounts.park.pk] and entry.after["parks"] == []
    # Turned back into a parks company, it has no park until one is given again.
    client.post(reverse("manage_user", args=[company.pk]), {"role": Role.PARKS_COMPANY, "is_active": "on"})
    company.refresh_from_db()
    assert list(company.parks.all()) == []


def test_a_new_account_is_given_parks_only_as_a_parks_company(client, accounts):
    client.force_login(accounts.cast.national)
    for username, role in (("viewer-2", Role.VIEWER), ("parks-2", Role.PARKS_COMPANY)):
        client.post(reverse("manage_user_new"), {"username": username, "password": "a-long-password", "role": role,
                                                 "is_active": "on", "parks": [str(accounts.park.pk)]})
    assert list(User.objects.get(username="viewer-2").parks.all()) == []
    assert list(User.objects.get(username="parks-2").parks.all()) == [accounts.park]
