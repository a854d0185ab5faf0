"""The business-clinic list is paged like the other long lists (web.paging): every case can be reached, none is
left out silently past a cap, and the pager keeps the list's province and stage."""

import datetime as dt

import pytest
from django.urls import reverse

from khoosheh.programs.models import ClinicCase
from khoosheh.registry.models import ProductionUnit
from tests.conftest import make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_cases(world):
    """Sixty open cases in Yazd, each for its own idle unit."""
    template = make_unit("راکد", "21", "2106", "idle")
    units = ProductionUnit.objects.bulk_create([
        ProductionUnit(name=f"واحد راکد {i}", activity_id=template.activity_id, province_id="21", county_id="2106",
                       status="idle", employees=5) for i in range(60)])
    ClinicCase.objects.bulk_create([ClinicCase(unit=u, province_id="21", opened_on=dt.date(2026, 5, 1))
                                    for u in units])
    return world


def test_the_clinic_list_is_paged_and_every_case_is_reached(client, many_cases):
    client.force_login(many_cases.cast.national)
    first = client.get(reverse("programs:case_list"), {"province": "21", "stage": "opened"})
    html = first.content.decode()
    # Fifty on the first page, and the pager says how many there are in all.
    assert len(first.context["cases"]) == 50
    assert "صفحهٔ ۱ از ۲ (۶۰ ردیف)" in html
    # The next page keeps the province and the stage.
    assert "?province=21&amp;stage=opened&amp;page=2" in html
    second = client.get(reverse("programs:case_list"), {"province": "21", "stage": "opened", "page": "2"})
    shown = {c.pk for c in first.context["cases"]} | {c.pk for c in second.context["cases"]}
    assert shown == set(ClinicCase.objects.filter(province_id="21").values_list("pk", flat=True))
