"""Three first-use pages in a real browser, each with a screenshot in tests/artefacts/: a provincial official links
an owner's account to a unit of their province with the plain search form; national staff see the saved column
mappings and delete one; a unit owner's "Programs" tab lands on their own unit's clinic case."""

import pytest
from django.utils import timezone

from tests.browser.signing import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(django_user_model):
    from django.core.management import call_command

    from khoosheh.accounts.models import Role
    from khoosheh.clusters.models import Cluster
    from khoosheh.programs import services as programs
    from khoosheh.registry import mappings
    from tests.conftest import NID_B, make_unit

    call_command("sync_reference", verbosity=0)  # a transactional test empties the reference tables too
    make = django_user_model.objects.create_user
    national = make("national", password="pw", role=Role.NATIONAL, first_name="کارشناس ملی")
    yazd = make("yazd", password="pw", role=Role.PROVINCIAL, province_id="21", first_name="کارشناس یزد")
    owner = make("owner", password="pw", role=Role.UNIT_OWNER, first_name="مالک کارگاه")
    make("agent", password="pw", role=Role.CLUSTER_AGENT, first_name="عامل خوشه")
    unit = make_unit("کاشی نگین میبد", "21", "2106", "idle")
    unit.national_id = NID_B
    unit.save()
    make_unit("کاشی اصفهان", "10", "1010")
    cluster = Cluster.objects.create(name="خوشه کاشی میبد", activity_id="2393", province_id="21", county_id="2106",
                                     lat=32.25, lon=54.1, extent_km=2, n_units=4, employees=80, lq=9,
                                     confirmed_at=timezone.now())
    programs.start_development(cluster, national)
    programs.open_case(unit, national)
    mappings.remember(["Row", "Company", "ISIC", "Prov.", "County name", "Situation"],
                      {"name": "Company", "isic": "ISIC", "province": "Prov.", "county": "County name",
                       "status": "Situation", "employees": ""}, yazd)
    return {"owner": owner, "unit": unit}


def log_in(page, live_server, username):
    sign_in(page, live_server.url, username, "pw")


def test_a_provincial_official_links_an_owner_to_their_unit(page, live_server, people, artefact):
    log_in(page, live_server, "yazd")
    page.goto(f"{live_server.url}/manage/")
    page.click("text=owner")
    page.fill("#link-q", "کاشی")
    page.click("#links form[method=get] button")
    page.wait_for_load_state("networkidle")
    # Only Yazd's unit is offered, not Isfahan's.
    results = page.locator("#links table").nth(1).inner_text()
    assert "کاشی نگین میبد" in results and "کاشی اصفهان" not in results
    page.screenshot(path=artefact("links-search.png"), full_page=True)
    page.click("#links table >> nth=1 >> button")
    page.wait_for_load_state("networkidle")
    assert "پیوند داده شد" in page.content()
    assert list(people["owner"].units.all()) == [people["unit"]]
    page.screenshot(path=artefact("links-linked.png"), full_page=True)


def test_national_staff_list_and_delete_a_saved_mapping(page, live_server, people, artefact):
    from khoosheh.registry.models import HeaderMapping

    log_in(page, live_server, "national")
    page.goto(f"{live_server.url}/registry/units/import/")
    page.click("text=نگاشت‌های ستون ذخیره‌شده")
    page.wait_for_load_state("networkidle")
    assert "County name" in page.content() and "کارشناس یزد" in page.content()
    page.screenshot(path=artefact("mappings-list.png"), full_page=True)
    page.click("table button")
    page.wait_for_load_state("networkidle")
    assert not HeaderMapping.objects.exists()
    page.screenshot(path=artefact("mappings-deleted.png"), full_page=True)


def test_an_owners_programs_tab_lands_on_their_own_clinic_case(page, live_server, people, artefact):
    people["owner"].units.add(people["unit"])
    log_in(page, live_server, "owner")
    page.click("nav >> text=برنامه‌ها")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/programs/clinic/")
    assert "کاشی نگین میبد" in page.content()
    page.screenshot(path=artefact("programs-owner.png"), full_page=True)
