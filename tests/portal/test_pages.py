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
    # Another province's dashboard says the same.
    assert "بیرون از استان شما" in client.get(reverse("dashboards:province", args=["10"])).content.decode()


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
