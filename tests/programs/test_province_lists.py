"""The program lists take `?province=` by the unit list's rule (accounts.scoping.province_asked): national staff
narrow a list to a province; provincial staff may name only their own (another is 403 with the reason, never
their own province's rows instead); a code naming no province is 400 with the reason."""

import pytest
from django.urls import reverse

from khoosheh.programs import services

pytestmark = pytest.mark.django_db

LISTS = ["programs:case_list", "programs:project_pipeline", "programs:development_list", "programs:consortium_list"]


@pytest.fixture
def records(world):
    """A clinic case and a half-finished project in each of Isfahan and Yazd; Yazd's cluster development and
    consortium."""
    cast = world.cast
    for unit in ("idle_isfahan", "idle_yazd"):
        services.open_case(world.units[unit], cast.national)
    for unit in ("half_isfahan", "half_yazd"):
        services.register_project(world.units[unit], cast.national)
    services.start_development(world.cluster, cast.national)
    services.form_consortium(cast.national, name="کنسرسیوم کاشی", province_code="21", members=world.members[:3])
    return world


@pytest.mark.parametrize("name", LISTS)
def test_provincial_staff_asking_for_another_province_are_refused_with_the_reason(client, records, name):
    client.force_login(records.cast.isfahan)
    refused = client.get(reverse(name), {"province": "21"})
    # Refused, saying whose province the account reads, not silently answered with Isfahan's rows.
    assert refused.status_code == 403
    assert "استان دیگری" in refused.content.decode() and "تنها استان اصفهان" in refused.content.decode()


@pytest.mark.parametrize("name", LISTS)
def test_provincial_staff_may_name_their_own_province(client, records, name):
    client.force_login(records.cast.isfahan)
    assert client.get(reverse(name), {"province": "۱۰"}).status_code == 200


@pytest.mark.parametrize("name", LISTS)
def test_a_code_naming_no_province_is_a_bad_request_with_the_reason(client, records, name):
    client.force_login(records.cast.national)
    refused = client.get(reverse(name), {"province": "99"})
    assert refused.status_code == 400 and "استانی با کد «۹۹» نیست" in refused.content.decode()


def test_national_staff_narrow_the_clinic_cases_to_a_province(client, records):
    client.force_login(records.cast.national)
    page = client.get(reverse("programs:case_list"), {"province": "21"})
    assert [c.unit.name for c in page.context["cases"]] == ["راکد یزد"]
    # The stage links keep the province.
    assert "province=21" in page.content.decode().split('class="actions"', 2)[-1].split("</p>")[0]


def test_national_staff_narrow_the_projects_to_a_province(client, records):
    client.force_login(records.cast.national)
    page = client.get(reverse("programs:project_pipeline"), {"province": "10", "threshold": "0"})
    assert [p.unit.name for p in page.context["near"]] == ["طرح نیمه‌تمام"]


@pytest.mark.parametrize(("name", "rows"), [("programs:development_list", "developments"),
                                            ("programs:consortium_list", "consortia")])
def test_national_staff_narrow_developments_and_consortia_to_a_province(client, records, name, rows):
    client.force_login(records.cast.national)
    assert len(client.get(reverse(name), {"province": "21"}).context[rows]) == 1
    assert len(client.get(reverse(name), {"province": "10"}).context[rows]) == 0
