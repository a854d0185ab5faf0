"""Persian first: RTL, Persian digits and Jalali dates; English on request."""


import pytest
from django.urls import reverse
from django.utils import timezone

from khoosheh.registry.importing import import_units
from khoosheh.registry.models import ProductionUnit
from tests.conftest import NID_B, unit_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_provinces(unit_file):
    import_units(unit_file([unit_row(), unit_row(national_id=NID_B, province="اصفهان", county="کاشان",
                                                 lat="33.98", lon="51.43", status="راکد")]))


def test_pages_are_persian_and_right_to_left_even_for_an_english_browser(client, cast):
    client.force_login(cast.national)
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert '<html lang="fa" dir="rtl">' in html and "واحدهای تولیدی" in html


def test_english_is_one_click_away(client, cast):
    client.force_login(cast.national)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="en" dir="ltr">' in html and "Production units" in html


def test_vazirmatn_is_served_locally(client):
    html = client.get(reverse("login")).content.decode()
    assert "khoosheh/css/khoosheh.css" in html and "//fonts." not in html
    from django.contrib.staticfiles import finders

    assert finders.find("khoosheh/fonts/Vazirmatn-Variable.woff2")


def test_dates_are_jalali_and_digits_persian(client, cast, two_provinces):
    client.force_login(cast.national)
    unit = ProductionUnit.objects.get(national_id=NID_B)
    html = client.get(reverse("registry:unit_detail", args=[unit.pk])).content.decode()
    assert "۱۳۹۵/۰۴/۱۲" in html  # the permit date as typed in the file
    today = timezone.localdate()
    from khoosheh.core.jalali import format_jalali

    assert format_jalali(today) in html  # the status history, in Jalali


def test_home_counts_follow_the_users_province(client, cast, two_provinces):
    client.force_login(cast.isfahan)
    totals = client.get(reverse("home")).context["registry"]["totals"]
    assert (totals["units"], totals["idle"], totals["active"]) == (1, 1, 0)
    client.force_login(cast.national)
    assert client.get(reverse("home")).context["registry"]["totals"]["units"] == 2


def test_the_login_page_logs_in_and_out(client, cast):
    response = client.post(reverse("login"), {"username": "national", "password": "pw-national"})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


# --- error pages ---


def test_a_missing_page_is_explained_in_persian_inside_the_layout(client, cast):
    client.force_login(cast.national)
    response = client.get("/registry/units/999999/")
    html = response.content.decode()
    assert response.status_code == 404 and '<html lang="fa" dir="rtl">' in html
    assert "وجود ندارد" in html and 'class="brand"' in html and 'href="/"' in html


def test_a_provincial_user_following_a_link_to_another_province_is_told_why(client, cast, two_provinces):
    client.force_login(cast.tehran)
    kashan = ProductionUnit.objects.get(province_id="10")
    response = client.get(reverse("registry:unit_detail", args=[kashan.pk]))
    html = response.content.decode()
    assert response.status_code == 404 and "بیرون از استان شما" in html and "تهران" in html


# --- asking for another province: one rule on every page that takes one (accounts.scoping.province_asked) -------
# A provincial user naming another province is refused (403, the site's Persian page saying which province their
# access covers), as the API and reports refuse it, never answered silently with their own; their own province,
# or none, is answered; national staff name any; a code naming no province is a 400 saying so.

def test_a_provincial_user_asking_for_another_provinces_dashboard_is_refused_and_told_why(client, cast,
                                                                                          two_provinces):
    client.force_login(cast.tehran)
    response = client.get(reverse("dashboards:province", args=["10"]))
    html = response.content.decode()
    assert response.status_code == 403 and 'dir="rtl"' in html
    assert "از آن استان دیگری است" in html and "تنها استان تهران" in html


def test_a_provincial_user_opens_their_own_provinces_dashboard(client, cast, two_provinces):
    client.force_login(cast.isfahan)
    assert client.get(reverse("dashboards:province", args=["10"])).status_code == 200


def test_national_staff_open_any_provinces_dashboard(client, cast, two_provinces):
    client.force_login(cast.national)
    for code in ("10", "21", "23"):
        assert client.get(reverse("dashboards:province", args=[code])).status_code == 200, code


@pytest.mark.parametrize("who", ["national", "isfahan"])
def test_the_dashboard_of_a_province_that_does_not_exist_is_not_found(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("dashboards:province", args=["99"])).status_code == 404


PAGES_TAKING_A_PROVINCE = {
    "the unit list": ("registry:unit_list", {}), "the unit export": ("registry:unit_export", {"format": "csv"}),
    "the cluster list": ("clusters:cluster_list", {}), "the programs' targets": ("programs:overview", {}),
    "the area report": ("dashboards:report", {"year": "1405"}),
}


def _page(client, page: str, **query):
    name, given = PAGES_TAKING_A_PROVINCE[page]
    args = ["xlsx"] if name == "dashboards:report" else []
    return client.get(reverse(name, args=args), given | query)


@pytest.mark.parametrize("page", PAGES_TAKING_A_PROVINCE)
def test_a_provincial_user_naming_another_province_on_a_page_is_refused_and_told_why(client, cast, two_provinces,
                                                                                      page):
    client.force_login(cast.isfahan)
    response = _page(client, page, province="21")
    assert response.status_code == 403 and "Content-Disposition" not in response
    assert "تنها استان اصفهان" in response.content.decode()


@pytest.mark.parametrize("page", PAGES_TAKING_A_PROVINCE)
def test_a_provincial_user_naming_their_own_province_or_none_on_a_page_is_answered(client, cast, two_provinces,
                                                                                    page):
    client.force_login(cast.isfahan)
    for query in ({"province": "10"}, {"province": "۱۰"}, {}):
        assert _page(client, page, **query).status_code == 200, query


@pytest.mark.parametrize("page", PAGES_TAKING_A_PROVINCE)
def test_national_staff_name_any_province_on_a_page(client, cast, two_provinces, page):
    client.force_login(cast.national)
    for code in ("10", "21"):
        assert _page(client, page, province=code).status_code == 200, code


@pytest.mark.parametrize("who", ["national", "isfahan"])
@pytest.mark.parametrize("page", PAGES_TAKING_A_PROVINCE)
def test_a_province_code_naming_no_province_on_a_page_is_a_bad_request_saying_so(client, cast, page, who):
    client.force_login(getattr(cast, who))
    response = _page(client, page, province="99")
    assert response.status_code == 400 and "استانی با کد «۹۹» نیست" in response.content.decode()


def test_a_forbidden_action_gets_a_persian_page_saying_why(client, cast):
    client.force_login(cast.viewer)
    response = client.post(reverse("clusters:run_list"), {"distance_km": 4})
    assert response.status_code == 403 and "نقش شما" in response.content.decode()


def test_a_server_error_gets_a_persian_page_inside_the_layout(rf, cast):
    from khoosheh.web.errors import server_error

    request = rf.get("/")
    request.user = cast.national
    response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500 and '<html lang="fa" dir="rtl">' in html and "ثبت شد" in html


# --- a home page for each role ---


def test_a_unit_owner_lands_on_their_own_unit_not_a_national_dashboard(client, cast, two_provinces,
                                                                        django_user_model):
    from khoosheh.accounts.models import Role

    owner = django_user_model.objects.create_user("owner", password="x", role=Role.UNIT_OWNER)
    unit = ProductionUnit.objects.first()
    owner.units.add(unit)
    client.force_login(owner)
    assert client.get(reverse("home")).url == reverse("registry:unit_detail", args=[unit.pk])


def test_a_parks_company_and_a_cluster_agent_land_on_their_own_records(client, cast, django_user_model):
    from khoosheh.accounts.models import Role

    parks = django_user_model.objects.create_user("parks", password="x", role=Role.PARKS_COMPANY)
    agent = django_user_model.objects.create_user("agent", password="x", role=Role.CLUSTER_AGENT)
    client.force_login(parks)
    assert client.get(reverse("home")).url == reverse("registry:unit_list")
    client.force_login(agent)
    assert client.get(reverse("home")).url == reverse("programs:development_list")
    # National and provincial staff keep their dashboards.
    client.force_login(cast.isfahan)
    assert client.get(reverse("home")).status_code == 200


def test_the_dashboards_year_filter_changes_the_unit_counts(client, cast, two_provinces):
    import datetime as dt

    # One unit has had its permit since 1395, the other only since 1404.
    newer = ProductionUnit.objects.get(province_id="10")
    newer.permit_date = dt.date(2025, 6, 1)
    newer.save()
    client.force_login(cast.national)
    now = client.get(reverse("home")).context["registry"]["totals"]["units"]
    in_1400 = client.get(reverse("home"), {"year": "1400"}).context["registry"]["totals"]["units"]
    assert (now, in_1400) == (2, 1)


@pytest.mark.parametrize("page", ["the unit list", "the unit export"])
def test_a_provincial_user_naming_another_provinces_county_on_a_page_is_refused_and_told_why(client, cast,
                                                                                            two_provinces, page):
    client.force_login(cast.isfahan)
    response = _page(client, page, county="2106")
    assert response.status_code == 403 and "Content-Disposition" not in response
    assert "تنها استان اصفهان" in response.content.decode()
    assert _page(client, page, county="9999").status_code == 400


def test_a_status_naming_none_on_the_unit_list_is_a_bad_request_not_every_status(client, cast, two_provinces):
    client.force_login(cast.national)
    assert client.get(reverse("registry:unit_list"), {"status": "idle"}).status_code == 200
    response = client.get(reverse("registry:unit_list"), {"status": "zzz"})
    assert response.status_code == 400 and "وضعیتی به نام «zzz» نیست" in response.content.decode()


def test_a_forms_address_opened_by_hand_gets_a_persian_page_not_a_blank_one(client, cast):
    client.force_login(cast.national)
    response = client.get(reverse("dashboards:report_start"))
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert "این نشانی برای فرستادن فرم است" in response.content.decode()
