"""National staff's administration in the portal: users and roles, parks, exhibitions — audited."""

import pytest
from django.urls import reverse

from khoosheh.accounts.models import AuditEntry, User
from khoosheh.registry.models import IndustrialPark
from khoosheh.spx.models import Exhibition

pytestmark = pytest.mark.django_db


def test_only_national_staff_reach_the_administration_and_provincial_staff_its_owners_and_agents(client, cast):
    client.force_login(cast.viewer)
    assert client.get(reverse("manage")).status_code == 403
    # Provincial staff keep owners' and agents' links (tests/portal/test_account_links.py), nothing else here.
    client.force_login(cast.isfahan)
    assert client.get(reverse("manage")).status_code == 200
    for page in ("manage_user_new", "manage_park_new", "manage_exhibition_new"):
        assert client.get(reverse(page)).status_code == 403, page
    client.force_login(cast.national)
    assert client.get(reverse("manage")).status_code == 200


def test_a_user_is_created_with_a_role_and_province_and_audited(client, cast):
    client.force_login(cast.national)
    response = client.post(reverse("manage_user_new"), {
        "username": "kerman-staff", "full_name": "کارشناس کرمان", "password": "a-long-password",
        "role": "provincial", "province": "16", "is_active": "on"})
    assert response.status_code == 302
    person = User.objects.get(username="kerman-staff")
    assert (person.role, person.province_id) == ("provincial", "16") and person.check_password("a-long-password")
    assert AuditEntry.objects.filter(record_type="accounts.user", record_id=str(person.pk), action="create").exists()


def test_a_too_short_password_for_a_new_user_is_refused_with_its_minimum_in_persian_digits(client, cast):
    client.force_login(cast.national)
    page = client.post(reverse("manage_user_new"), {"username": "x2", "password": "abc", "role": "viewer",
                                                    "is_active": "on"})
    message = " ".join(page.context["form"].errors["password"])
    assert not User.objects.filter(username="x2").exists()
    assert "۸" in message and not any(c.isascii() and c.isdigit() for c in message)


def test_provincial_staff_without_a_province_are_refused(client, cast):
    client.force_login(cast.national)
    client.post(reverse("manage_user_new"), {"username": "x1", "password": "a-long-password",
                                             "role": "provincial", "is_active": "on"})
    assert not User.objects.filter(username="x1").exists()


def test_a_users_role_is_changed_and_the_change_is_in_its_history(client, cast):
    client.force_login(cast.national)
    client.post(reverse("manage_user", args=[cast.viewer.pk]), {"role": "provincial", "province": "10",
                                                                "is_active": "on"})
    cast.viewer.refresh_from_db()
    assert (cast.viewer.role, cast.viewer.province_id) == ("provincial", "10")
    html = client.get(reverse("manage_user", args=[cast.viewer.pk])).content.decode()
    assert "کارشناس استانی" in html and "بیننده" in html  # the role before and after, in words


def test_a_park_is_created_in_a_county_chosen_from_the_list_and_audited(client, cast):
    client.force_login(cast.national)
    client.post(reverse("manage_park_new"), {"name": "شهرک صنعتی امیرکبیر", "kind": "park", "county": "1010"})
    park = IndustrialPark.objects.get()
    assert park.county_id == "1010"
    assert AuditEntry.objects.filter(record_type="registry.industrialpark", action="create").exists()
    # A county typed by name is not a choice.
    client.post(reverse("manage_park_new"), {"name": "شهرک دوم", "kind": "park", "county": "کاشان"})
    assert IndustrialPark.objects.count() == 1


def test_an_exhibition_is_created_with_jalali_date_and_clock_times(client, cast):
    client.force_login(cast.national)
    response = client.post(reverse("manage_exhibition_new"), {
        "name": "نمایشگاه ساخت داخل", "city": "اصفهان", "province": "10", "starts_on": "۱۴۰۵/۰۲/۱۰",
        "slots": 8, "tables": 20, "day_starts_at": "10:00", "slot_minutes": 30})
    assert response.status_code == 302
    exhibition = Exhibition.objects.get()
    assert exhibition.slot_times(1)[0].hour == 10 and exhibition.slot_minutes == 30
    assert AuditEntry.objects.filter(record_type="spx.exhibition", action="create").exists()


def test_an_exhibitions_page_opens_for_editing_with_its_history(client, cast):
    import datetime as dt

    client.force_login(cast.national)
    exhibition = Exhibition.objects.create(name="ن", city="ت", province_id="23", starts_on=dt.date(2026, 5, 1))
    page = client.get(reverse("manage_exhibition", args=[exhibition.pk]))
    # Its date is filled in Persian digits, as every date the portal shows.
    assert page.status_code == 200 and 'value="۱۴۰۵/۰۲/۱۱"' in page.content.decode()


def test_a_history_entry_naming_a_reverse_relation_reads_as_a_count(cast):
    import datetime as dt

    from khoosheh.accounts.audit import record_change
    from khoosheh.web.history import readable

    exhibition = Exhibition.objects.create(name="ن", city="ت", province_id="23", starts_on=dt.date(2026, 5, 1))
    record_change(cast.national, "update", exhibition, after={"meetings": 120})
    [entry] = readable(AuditEntry.objects.filter(record_type="spx.exhibition"))
    assert (entry.changes[0].label, entry.changes[0].after) == ("دیدارها", "۱۲۰")


def test_a_park_the_service_refuses_is_shown_again_with_the_reason_and_what_was_typed(client, cast):
    from django.test.html import parse_html

    from tests.form_pages import find, kept, text_of

    IndustrialPark.objects.create(name="شهرک صنعتی امیرکبیر", county_id="1010")
    client.force_login(cast.national)
    response = client.post(reverse("manage_park_new"), {"name": "شهرک صنعتی امیرکبیر", "kind": "park",
                                                       "county": "1010", "lat": "33.9"})
    # Not a redirect with a message on another page: the same form, the reason in its summary, values kept.
    assert response.status_code == 200
    page = parse_html(response.content.decode())
    assert "در این شهرستان هست" in text_of(find(page, class_="form-summary"))
    assert kept(page, "id_name") == "شهرک صنعتی امیرکبیر" and kept(page, "id_lat") == "۳۳٫۹"
    assert IndustrialPark.objects.count() == 1


def test_a_parks_point_outside_iran_is_refused_under_its_box_saying_so_in_persian_digits(client, cast):
    from django.test.html import parse_html

    from tests.form_pages import assert_error_follows_its_field

    client.force_login(cast.national)
    response = client.post(reverse("manage_park_new"), {"name": "شهرک", "kind": "park", "county": "1010",
                                                       "lat": "51.4", "lon": "33.9"})  # the two swapped
    page = parse_html(response.content.decode())
    lat, lon = assert_error_follows_its_field(page, "lat"), assert_error_follows_its_field(page, "lon")
    assert "بیرون از ایران" in lat and "۲۴ تا ۴۰٫۵" in lat and "۴۳٫۵ تا ۶۴" in lon
    assert not any(c.isascii() and c.isdigit() for c in lat + lon) and not IndustrialPark.objects.exists()


def test_too_many_meeting_slots_are_refused_with_the_most_in_persian_digits(client, cast):
    client.force_login(cast.national)
    response = client.post(reverse("manage_exhibition_new"), {
        "name": "نمایشگاه", "city": "اصفهان", "province": "10", "starts_on": "۱۴۰۵/۰۲/۱۰",
        "slots": "0", "tables": "۵۰۱", "day_starts_at": "۰۹:۰۰", "slot_minutes": "20"})
    errors = response.context["form"].errors
    assert errors["slots"] == ["این مقدار باید دست‌کم ۱ باشد."]
    assert errors["tables"] == ["این مقدار باید حداکثر ۵۰۰ باشد."]


@pytest.mark.parametrize("page", ["manage_park_new", "manage_exhibition_new"])
def test_the_note_on_linking_units_after_saving_is_not_on_a_park_or_exhibition_form(client, cast, page):
    client.force_login(cast.national)
    assert "پس از ذخیره حساب" not in client.get(reverse(page)).content.decode()


def test_the_note_on_linking_units_after_saving_is_on_a_new_accounts_form(client, cast):
    client.force_login(cast.national)
    assert "پس از ذخیره حساب" in client.get(reverse("manage_user_new")).content.decode()


def test_the_first_meeting_time_is_a_text_box_in_persian_digits_not_the_browsers_clock(client, cast):
    from django.test.html import parse_html

    from tests.form_pages import find

    client.force_login(cast.national)
    box = find(parse_html(client.get(reverse("manage_exhibition_new")).content.decode()), id="id_day_starts_at")
    attributes = dict(box.attributes)
    assert attributes["type"] == "text" and attributes["value"] == "۰۹:۰۰" and attributes["dir"] == "ltr"


@pytest.mark.parametrize(("typed", "hour", "minute"), [("۱۰:۳۰", 10, 30), ("10:30", 10, 30), ("۹:۰۵", 9, 5),
                                                       ("٠٨:١٥", 8, 15)])
def test_the_first_meeting_time_is_read_in_persian_or_latin_digits(client, cast, typed, hour, minute):
    client.force_login(cast.national)
    client.post(reverse("manage_exhibition_new"), {
        "name": "نمایشگاه", "city": "اصفهان", "province": "10", "starts_on": "۱۴۰۵/۰۲/۱۰",
        "slots": "8", "tables": "20", "day_starts_at": typed, "slot_minutes": "20"})
    starts = Exhibition.objects.get().day_starts_at
    assert (starts.hour, starts.minute) == (hour, minute)


@pytest.mark.parametrize("typed", ["۲۵:۰۰", "9", "ساعت نه", "10:5", "10:61"])
def test_a_first_meeting_time_that_is_no_time_is_refused_in_persian_and_kept(client, cast, typed):
    from django.test.html import parse_html

    from tests.form_pages import assert_error_follows_its_field, kept

    client.force_login(cast.national)
    response = client.post(reverse("manage_exhibition_new"), {
        "name": "نمایشگاه", "city": "اصفهان", "province": "10", "starts_on": "۱۴۰۵/۰۲/۱۰",
        "slots": "8", "tables": "20", "day_starts_at": typed, "slot_minutes": "20"})
    page = parse_html(response.content.decode())
    assert "ساعت نیست" in assert_error_follows_its_field(page, "day_starts_at")
    assert kept(page, "id_day_starts_at") is not None and not Exhibition.objects.exists()


def test_an_exhibitions_first_meeting_time_round_trips_through_its_edit_page(client, cast):
    import datetime as dt

    from django.test.html import parse_html

    from tests.form_pages import kept

    client.force_login(cast.national)
    exhibition = Exhibition.objects.create(name="ن", city="ت", province_id="23", starts_on=dt.date(2026, 5, 1),
                                           day_starts_at=dt.time(8, 30))
    page = parse_html(client.get(reverse("manage_exhibition", args=[exhibition.pk])).content.decode())
    shown = {name: kept(page, f"id_{name}") for name in ("name", "city", "province", "starts_on", "slots",
                                                           "tables", "day_starts_at", "slot_minutes")}
    assert shown["day_starts_at"] == "۰۸:۳۰"
    # Saving what the page shows changes nothing.
    assert client.post(reverse("manage_exhibition", args=[exhibition.pk]), shown).status_code == 302
    exhibition.refresh_from_db()
    assert exhibition.day_starts_at == dt.time(8, 30) and exhibition.slots == 10
