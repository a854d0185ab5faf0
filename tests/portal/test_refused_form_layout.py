"""A refused form on its own page (the administration's forms, a new consortium, a new enquiry, the password
pages) is shown again laid out by forms/_form.html: a summary on top linking to each field that needs fixing,
each error directly under its own box (and named by the box's aria-describedby), and what was typed kept.
(The program pages' forms: tests/programs/test_refused_forms.py.)"""

import pytest
from django.core import mail
from django.test.html import parse_html
from django.urls import reverse

from khoosheh.accounts.models import AuditEntry, User
from khoosheh.spx.models import Exhibition
from tests.form_pages import assert_error_follows_its_field, elements, find, kept, summary_links

pytestmark = pytest.mark.django_db


def test_a_refused_new_user_shows_each_error_under_its_field_and_keeps_what_was_typed(client, cast):
    client.force_login(cast.national)
    response = client.post(reverse("manage_user_new"), {"username": "", "full_name": "کارشناس کرمان",
                                                        "password": "abc", "role": "viewer", "is_active": "on"})
    assert response.status_code == 200 and not User.objects.filter(first_name="کارشناس کرمان").exists()
    page = parse_html(response.content.decode())
    # The summary links to the two boxes at fault, in the form's order.
    assert summary_links(page) == ["#id_username", "#id_password"]
    # Each error sits under its own box, in Persian.
    assert "لازم" in assert_error_follows_its_field(page, "username")
    assert "کوتاه" in assert_error_follows_its_field(page, "password")  # in Persian, not Django's English
    # A field without fault has no error and is not marked invalid.
    assert find(page, id="id_role_error") is None
    assert "invalid" not in dict(find(page, id="id_role_field").attributes)["class"]
    # What was typed is kept (but never the password).
    assert dict(find(page, id="id_full_name").attributes)["value"] == "کارشناس کرمان"
    assert "value" not in dict(find(page, id="id_password").attributes)


def test_the_parks_list_of_the_user_form_stays_a_bounded_searchable_list(client, cast):
    client.force_login(cast.national)
    page = parse_html(client.get(reverse("manage_user_new")).content.decode())
    parks = find(page, id="id_parks")
    assert parks.name == "select" and dict(parks.attributes)["data-search"] == "1"


def test_a_refused_new_consortium_shows_its_errors_under_the_ticks_and_the_hs_box(client, world):
    client.force_login(world.cast.national)
    response = client.post(reverse("programs:consortium_new", args=[world.cluster.pk]), {
        "name": "کنسرسیوم کاشی", "members": [world.members[0].pk], "products_hs": "69-07",
        "formed_on": "1405/01/15"})
    assert response.status_code == 200
    page = parse_html(response.content.decode())
    # The ticks have no single box to focus: the summary links to their block.
    assert summary_links(page) == ["#id_members_field", "#id_products_hs"]
    assert "۳" in assert_error_follows_its_field(page, "members", ticks=True)
    assert "HS" in assert_error_follows_its_field(page, "products_hs")
    # The members' ticks sit in a bounded box; the one ticked stays ticked, the name and date stay typed.
    box = find(page, class_="checklist-box")
    ticked = [dict(e.attributes)["value"] for e in elements(box) if e.name == "input" and
              "checked" in dict(e.attributes)]
    assert ticked == [str(world.members[0].pk)]
    assert dict(find(page, id="id_name").attributes)["value"] == "کنسرسیوم کاشی"
    assert dict(find(page, id="id_formed_on").attributes)["value"] == "1405/01/15"


def test_a_refused_enquiry_shows_the_county_error_under_the_county_and_keeps_the_ticked_processes(client, world):
    client.force_login(world.cast.national)
    response = client.post(reverse("spx:enquiry_new"), {
        "kind": "subcontracting", "buyer": "خریدار", "title": "شفت", "buyer_province": "23", "buyer_county": "1010",
        "processes": ["cnc_machining"], "deadline": "1405/13/01"})
    assert response.status_code == 200
    page = parse_html(response.content.decode())
    assert summary_links(page) == ["#id_buyer_county", "#id_deadline"]
    assert_error_follows_its_field(page, "buyer_county")
    assert "ماه ۱۳ وجود ندارد" in assert_error_follows_its_field(page, "deadline")
    # The wrong date comes back as typed, for the person to correct, not replaced by another.
    assert dict(find(page, id="id_deadline").attributes)["value"] == "1405/13/01"
    processes = find(page, id="id_processes_field")
    ticked = [dict(e.attributes)["value"] for e in elements(processes) if e.name == "input" and
              "checked" in dict(e.attributes)]
    assert ticked == ["cnc_machining"]


def test_a_refused_password_change_shows_the_mismatch_under_the_repeat_and_changes_nothing(client, cast):
    client.force_login(cast.national)
    audited = AuditEntry.objects.count()
    response = client.post(reverse("password_change"), {"old_password": "pw-national",
                                                        "new_password1": "Kashi-Yazd-1405!",
                                                        "new_password2": "Kashi-Yazd-1406!"})
    assert response.status_code == 200
    page = parse_html(response.content.decode())
    assert summary_links(page) == ["#id_new_password2"]
    assert "مطابقت" in assert_error_follows_its_field(page, "new_password2")
    # No password comes back in its box, and the old one still works.
    assert all("value" not in dict(find(page, id=f"id_{name}").attributes)
               for name in ("old_password", "new_password1", "new_password2"))
    cast.national.refresh_from_db()
    assert cast.national.check_password("pw-national") and AuditEntry.objects.count() == audited


def test_a_wrong_old_password_is_said_under_the_old_password(client, cast):
    client.force_login(cast.national)
    response = client.post(reverse("password_change"), {"old_password": "not it",
                                                        "new_password1": "Kashi-Yazd-1405!",
                                                        "new_password2": "Kashi-Yazd-1405!"})
    page = parse_html(response.content.decode())
    assert summary_links(page) == ["#id_old_password"]
    assert_error_follows_its_field(page, "old_password")
    cast.national.refresh_from_db()
    assert cast.national.check_password("pw-national")


def test_a_password_reset_asked_for_a_malformed_address_says_so_under_the_address_and_keeps_it(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post(reverse("password_reset"), {"email": "national@example"})
    assert response.status_code == 200 and not mail.outbox
    page = parse_html(response.content.decode())
    assert summary_links(page) == ["#id_email"]
    assert "ایمیل" in assert_error_follows_its_field(page, "email")
    assert kept(page, "id_email") == "national@example"


def test_a_refused_password_reset_does_not_say_nothing_was_saved_for_it_saves_nothing(client):
    from tests.form_pages import text_of

    response = client.post(reverse("password_reset"), {"email": "national@example"})
    summary = text_of(find(parse_html(response.content.decode()), class_="form-summary"))
    assert "فرم را درست کنید" in summary and "ذخیره" not in summary


def test_a_refused_form_that_saves_says_nothing_was_saved(client, cast):
    from tests.form_pages import text_of

    client.force_login(cast.national)
    response = client.post(reverse("manage_park_new"), {"name": "", "kind": "park", "county": "1010"})
    summary = text_of(find(parse_html(response.content.decode()), class_="form-summary"))
    assert "چیزی ذخیره نشد" in summary


def test_a_new_exhibitions_province_starts_empty_and_is_asked_for(client, cast):
    client.force_login(cast.national)
    # The province box starts at «—», not at the first province of the list.
    page = parse_html(client.get(reverse("manage_exhibition_new")).content.decode())
    assert kept(page, "id_province") == ""
    # The model's province is not optional: the label carries the required mark.
    assert find(find(page, id="id_province_field"), class_="required") is not None
    # Left empty, it is refused under the box; the rest comes back as typed; nothing is saved or audited.
    audited = AuditEntry.objects.count()
    response = client.post(reverse("manage_exhibition_new"), {
        "name": "نمایشگاه ساخت داخل", "city": "اصفهان", "province": "", "starts_on": "1405/02/10",
        "slots": 8, "tables": 20, "day_starts_at": "10:00", "slot_minutes": 30})
    assert response.status_code == 200
    page = parse_html(response.content.decode())
    assert summary_links(page) == ["#id_province"]
    assert "لازم" in assert_error_follows_its_field(page, "province")
    assert kept(page, "id_name") == "نمایشگاه ساخت داخل" and kept(page, "id_starts_on") == "1405/02/10"
    assert not Exhibition.objects.exists() and AuditEntry.objects.count() == audited


def test_a_new_exhibition_starts_at_the_persons_own_province_when_they_have_one(client, cast):
    cast.national.province_id = "10"
    cast.national.save()
    client.force_login(cast.national)
    page = parse_html(client.get(reverse("manage_exhibition_new")).content.decode())
    assert kept(page, "id_province") == "10"


@pytest.mark.parametrize("page, box", [("manage_user_new", "id_role"), ("manage_park_new", "id_kind")])
def test_a_new_accounts_role_and_a_new_parks_kind_start_empty(client, cast, page, box):
    # A new account that opened at the first role was national staff, the widest one, saved by a slip.
    client.force_login(cast.national)
    assert kept(parse_html(client.get(reverse(page)).content.decode()), box) == ""
