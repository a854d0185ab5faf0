"""The page of saved column mappings (linked from the upload page): a provincial official lists and deletes
their province's mappings only, national staff every one; deleting is a POST, audited, and the next file with
those headers goes through the mapping step again."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from khoosheh.accounts.models import AuditEntry
from khoosheh.registry import mappings
from khoosheh.registry.models import HeaderMapping
from tests.registry.test_mapping_step import HEADERS, MAPPING

pytestmark = pytest.mark.django_db

OTHER_HEADERS = ["Firm", "Code", "Province name", "District", "State"]
OTHER = {"name": "Firm", "isic": "Code", "province": "Province name", "county": "District", "status": "State"}


@pytest.fixture
def saved(cast):
    """One mapping of each scope: Isfahan's, Tehran's and a national one."""
    return {"isfahan": mappings.remember(HEADERS, MAPPING, cast.isfahan),
            "tehran": mappings.remember(OTHER_HEADERS, OTHER, cast.tehran),
            "national": mappings.remember(HEADERS, MAPPING, cast.national)}


def listed(client) -> set[int]:
    return {m.pk for m, _ in client.get(reverse("registry:mapping_list")).context["rows"]}


def test_the_upload_page_links_to_the_saved_mappings(client, cast):
    client.force_login(cast.isfahan)
    assert reverse("registry:mapping_list") in client.get(reverse("registry:unit_import")).content.decode()


def test_a_provincial_official_sees_only_their_provinces_mappings(client, cast, saved):
    client.force_login(cast.isfahan)
    assert listed(client) == {saved["isfahan"].pk}


def test_national_staff_see_every_provinces_mappings_and_the_national_ones(client, cast, saved):
    client.force_login(cast.national)
    assert listed(client) == {m.pk for m in saved.values()}


def test_the_page_shows_each_contract_column_with_its_header_who_saved_it_and_a_jalali_date(client, cast, saved):
    cast.isfahan.first_name = "مریم کارشناس"
    cast.isfahan.save()
    client.force_login(cast.isfahan)
    page = client.get(reverse("registry:mapping_list")).content.decode()
    assert "شهرستان ← «<bdi>County name</bdi>»" in page
    assert "مریم کارشناس" in page
    assert "۱۴۰" in page  # the saved day in the Jalali calendar (14xx), Persian digits


def test_a_reader_cannot_open_the_page(client, cast, saved):
    client.force_login(cast.viewer)
    assert client.get(reverse("registry:mapping_list")).status_code == 403


def test_deleting_a_mapping_is_audited_and_the_next_file_asks_again(client, cast, saved):
    client.force_login(cast.isfahan)
    response = client.post(reverse("registry:mapping_delete", args=[saved["isfahan"].pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("registry:mapping_list")
    assert not HeaderMapping.objects.filter(pk=saved["isfahan"].pk).exists()
    entry = AuditEntry.objects.get(record_type="registry.headermapping", action="delete")
    # Who, and what the mapping was (its when is the entry's).
    assert entry.actor == cast.isfahan and entry.record_id == str(saved["isfahan"].pk)
    assert entry.before["mapping"] == MAPPING and entry.before["province"] == "10" and entry.after is None
    # Isfahan now falls back to the national mapping for those headers.
    assert mappings.remembered(HEADERS, cast.isfahan) == saved["national"]


def test_a_delete_is_a_post(client, cast, saved):
    client.force_login(cast.isfahan)
    assert client.get(reverse("registry:mapping_delete", args=[saved["isfahan"].pk])).status_code == 405
    assert HeaderMapping.objects.filter(pk=saved["isfahan"].pk).exists()


def test_a_delete_needs_the_csrf_token(cast, saved):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.isfahan)
    assert client.post(reverse("registry:mapping_delete", args=[saved["isfahan"].pk])).status_code == 403
    assert HeaderMapping.objects.filter(pk=saved["isfahan"].pk).exists()


@pytest.mark.parametrize("other", ["tehran", "national"])
def test_a_provincial_official_cannot_delete_another_provinces_or_a_national_mapping(client, cast, saved, other):
    client.force_login(cast.isfahan)
    response = client.post(reverse("registry:mapping_delete", args=[saved[other].pk]))
    assert response.status_code == 404  # outside their province: not there for them
    assert HeaderMapping.objects.filter(pk=saved[other].pk).exists()
    assert not AuditEntry.objects.filter(record_type="registry.headermapping", action="delete").exists()


def test_national_staff_delete_a_provinces_mapping(client, cast, saved):
    client.force_login(cast.national)
    client.post(reverse("registry:mapping_delete", args=[saved["tehran"].pk]))
    assert not HeaderMapping.objects.filter(pk=saved["tehran"].pk).exists()


def test_the_service_refuses_outside_the_scope_whatever_the_page(cast, saved):
    for user, mapping in ((cast.isfahan, saved["tehran"]), (cast.isfahan, saved["national"]),
                          (cast.viewer, saved["isfahan"])):
        with pytest.raises(PermissionDenied):
            mappings.forget(mapping, user)
    assert HeaderMapping.objects.count() == 3
