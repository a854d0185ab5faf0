"""SPX in the registry: profiles, enquiries to contracts, reports, exhibitions."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from khoosheh.accounts.models import AuditEntry, Role
from khoosheh.spx import services
from khoosheh.spx.models import CapabilityProfile, Enquiry, Exhibition, Participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(world, django_user_model):
    foundry, shop = world.members[0], world.units["idle_isfahan"]
    services.save_profile(foundry, world.cast.national, processes=["casting"], materials=["چدن"],
                          certifications=["ISO 9001"], monthly_capacity=5000, lead_time_days=20,
                          products="قطعات چدنی پمپ و شیرآلات")
    services.save_profile(shop, world.cast.national, processes=["cnc_machining"], materials=["فولاد"],
                          products="تراشکاری شفت")
    owner = django_user_model.objects.create_user("owner", password="x", role=Role.UNIT_OWNER)
    owner.units.add(shop)
    return {"foundry": foundry, "shop": shop, "owner": owner}


def test_an_enquiry_is_matched_sent_quoted_and_contracted(world, market):
    user = world.cast.national
    enquiry = services.create_enquiry(user, province_code="23", buyer="ایران‌خودرو", title="بدنه چدنی پمپ",
                                      processes=["casting"], material="چدن", quantity=500,
                                      deadline=timezone.localdate() + dt.timedelta(days=90))
    [match] = services.match_enquiry(enquiry, user)
    assert match.unit == market["foundry"] and any("ریخته‌گری" in r for r in match.reasons)
    services.send_to_suppliers(enquiry, user, [match.pk])
    match.refresh_from_db()
    services.record_quote(match, user, value=9_000_000_000)
    services.record_contract(match, user, value=8_500_000_000, on=timezone.localdate())
    enquiry.refresh_from_db()
    assert enquiry.status == "contracted"
    assert AuditEntry.objects.filter(record_type="spx.enquirymatch").count() == 2


def test_an_enquiry_measures_distances_from_the_buyers_county_not_the_creators_province(client, world, market):
    from khoosheh.core.reference import counties

    kashan = next(c for c in counties() if c.code == "1010")
    client.force_login(world.cast.national)  # national staff, entering an Isfahan buyer's enquiry
    response = client.post(reverse("spx:enquiry_new"), {
        "kind": "subcontracting", "buyer": "خودروسازی کاشان", "title": "شفت", "processes": ["cnc_machining"],
        "buyer_province": "10", "buyer_county": "1010"})
    enquiry = Enquiry.objects.get()
    assert response.status_code == 302 and enquiry.province_id == "10"
    assert (enquiry.lat, enquiry.lon) == (kashan.lat, kashan.lon)
    # The Kashan machine shop is near, not "326 km" away.
    shop = enquiry.matches.get(unit=market["shop"])
    assert any(r.startswith("فاصله") and ("۰ کیلومتر" in r or len(r) <= len("فاصله ۹ کیلومتر")) for r in shop.reasons)


def test_a_buyers_county_must_lie_in_the_buyers_province(client, world, market):
    client.force_login(world.cast.national)
    response = client.post(reverse("spx:enquiry_new"), {
        "kind": "subcontracting", "buyer": "خریدار", "title": "شفت", "buyer_province": "23", "buyer_county": "1010"})
    assert response.status_code == 200 and "buyer_county" in response.context["form"].errors
    assert not Enquiry.objects.exists()


def test_a_contract_needs_a_quote_first(world, market):
    user = world.cast.national
    enquiry = services.create_enquiry(user, province_code="23", buyer="x", title="پمپ", processes=["casting"])
    [match] = services.match_enquiry(enquiry, user)
    with pytest.raises(ValidationError):
        services.record_contract(match, user, value=1, on=timezone.localdate())
    with pytest.raises(ValidationError):
        services.record_quote(match, user, value=1)  # not sent yet


def test_a_past_deadline_and_unknown_processes_are_refused(world):
    with pytest.raises(ValidationError):
        services.create_enquiry(world.cast.national, province_code="23", buyer="x", title="y",
                                deadline=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.create_enquiry(world.cast.national, province_code="23", buyer="x", title="y", processes=["magic"])


def test_unit_owners_keep_their_own_profile_only(world, market):
    owner = market["owner"]
    services.save_profile(market["shop"], owner, processes=["cnc_machining", "grinding"], products="شفت و بوش")
    market["shop"].refresh_from_db()
    assert CapabilityProfile.objects.get(unit=market["shop"]).processes == ["cnc_machining", "grinding"]
    with pytest.raises(PermissionDenied):
        services.save_profile(market["foundry"], owner, processes=["casting"])


def test_the_profile_page_is_the_owners_and_scoped(client, world, market):
    client.force_login(market["owner"])
    assert client.get(reverse("spx:profile_edit", args=[market["shop"].pk])).status_code == 200
    assert client.get(reverse("spx:profile_edit", args=[market["foundry"].pk])).status_code == 404
    # The owner sees their own unit in the registry and nothing else.
    names = [u.name for u in client.get(reverse("registry:unit_list")).context["page"]]
    assert names == [market["shop"].name]


def test_report_counts_enquiries_and_substituted_imports(world, market):
    from khoosheh.core.jalali import jalali_year

    user = world.cast.national
    enquiry = services.create_enquiry(user, province_code="21", buyer="پالایشگاه", title="پمپ چدنی",
                                      kind="import_substitution", hs_code="841370", imported_value_usd=250_000,
                                      processes=["casting"])
    [match] = services.match_enquiry(enquiry, user)
    services.send_to_suppliers(enquiry, user, [match.pk])
    match.refresh_from_db()
    services.record_quote(match, user, value=10)
    services.record_contract(match, user, value=9, on=timezone.localdate())
    [row] = services.report(Enquiry.objects.all(), jalali_year(timezone.localdate()))
    assert (row["province_id"], row["enquiries"], row["sent"], row["contracts"], row["import_value"]) == \
        ("21", 1, 1, 1, 250_000)


def test_an_exhibition_schedule_has_no_double_booking(world):
    exhibition = Exhibition.objects.create(name="نمایشگاه توانمندی‌های ساخت داخل", city="تهران", province_id="23",
                                           starts_on=timezone.localdate(), slots=3, tables=2)
    for i in range(3):
        Participant.objects.create(exhibition=exhibition, kind="buyer", name=f"خریدار {i}", needs=["casting", "x"])
    for i in range(4):
        Participant.objects.create(exhibition=exhibition, kind="unit", name=f"واحد {i}",
                                   offers=["casting"] if i % 2 else ["x"])
    meetings = services.build_schedule(exhibition, world.cast.national)
    assert meetings and all(m.score > 0 for m in meetings)
    for slot in (1, 2, 3):
        in_slot = [m for m in meetings if m.slot == slot]
        assert len(in_slot) <= 2 and len({m.looker_id for m in in_slot}) == len(in_slot)
    with pytest.raises(PermissionDenied):
        services.build_schedule(exhibition, world.cast.isfahan)


def test_a_participants_agenda_has_clock_times_and_prints(client, world):
    import datetime as dt

    exhibition = Exhibition.objects.create(name="نمایشگاه", city="تهران", province_id="23",
                                           starts_on=timezone.localdate(), slots=3, tables=2,
                                           day_starts_at=dt.time(9, 30), slot_minutes=25)
    buyer = Participant.objects.create(exhibition=exhibition, kind="buyer", name="خریدار", needs=["casting"])
    for i in range(3):
        Participant.objects.create(exhibition=exhibition, kind="unit", name=f"واحد {i}", offers=["casting"])
    services.build_schedule(exhibition, world.cast.national)
    client.force_login(world.cast.national)
    url = reverse("spx:exhibition_detail", args=[exhibition.pk])
    html = client.get(url, {"participant": buyer.pk}).content.decode()
    # Slot 1 starts at 09:30, slot 3 ends at 10:45; the agenda has a print button and a print style.
    assert "۰۹:۳۰–۰۹:۵۵" in html and "۱۰:۲۰–۱۰:۴۵" in html and 'data-print="1"' in html
    assert exhibition.slot_times(2) == (dt.time(9, 55), dt.time(10, 20))


def test_the_schedule_names_participants_in_persian_digits(client, world):
    exhibition = Exhibition.objects.create(name="نمایشگاه", city="تهران", province_id="23",
                                           starts_on=timezone.localdate(), slots=2, tables=2)
    Participant.objects.create(exhibition=exhibition, kind="buyer", name="ایران‌خودرو 2", needs=["casting"])
    Participant.objects.create(exhibition=exhibition, kind="knowledge_based", name="شرکت دانش‌بنیان 2",
                               offers=["casting"])
    services.build_schedule(exhibition, world.cast.national)
    client.force_login(world.cast.national)
    import re

    html = client.get(reverse("spx:exhibition_detail", args=[exhibition.pk])).content.decode()
    schedule = re.sub(r"<[^>]+>", "", re.search(r'<tbody>(.*?)</tbody>', html[html.index('id="agenda"'):],
                                                re.S).group(1))
    # In the schedule and in the list of agendas to choose from, as the unit list shows names.
    assert "ایران‌خودرو ۲" in schedule and "شرکت دانش‌بنیان ۲" in schedule and not re.search("[0-9]", schedule)
    assert re.search(r"<option [^>]*>ایران‌خودرو ۲ \(", html)


def profile_form_machines(client, unit) -> str:
    import re
    from html import unescape

    page = client.get(reverse("spx:profile_edit", args=[unit.pk])).content.decode()
    return unescape(re.search(r'<textarea name="machines"[^>]*>(.*?)</textarea>', page, re.S).group(1)).strip()


def test_the_profile_page_keeps_machines(client, world, market):
    client.force_login(market["owner"])
    response = client.post(reverse("spx:profile_edit", args=[market["shop"].pk]), {
        "processes": ["cnc_machining"], "materials": "فولاد", "products": "شفت",
        "machines": "تراش CNC، ۲، قطر ۴۰۰ میلی‌متر\nفرز, 1"})
    assert response.status_code == 302
    machines = list(CapabilityProfile.objects.get(unit=market["shop"]).machines.values_list("kind", "count", "limit"))
    # Stored normalised as text a person reads: the count is a number, the limit keeps the digits typed.
    assert machines == [("تراش CNC", 2, "قطر ۴۰۰ میلی‌متر"), ("فرز", 1, "")]
    # Shown again as the help text asks for them: Persian digits, no trailing «،» where there is no limit.
    assert profile_form_machines(client, market["shop"]) == "تراش CNC، ۲، قطر ۴۰۰ میلی‌متر\nفرز، ۱"


def test_saving_the_profile_form_unchanged_keeps_the_machines(client, world, market):
    client.force_login(market["owner"])
    url = reverse("spx:profile_edit", args=[market["shop"].pk])
    client.post(url, {"processes": ["cnc_machining"], "machines": "CNC فرز، 3\nپرس هیدرولیک، 2، 250 تن، 4 ایستگاه"})
    shown = profile_form_machines(client, market["shop"])
    assert shown == "CNC فرز، ۳\nپرس هیدرولیک، ۲، 250 تن، 4 ایستگاه"
    before = list(CapabilityProfile.objects.get(unit=market["shop"]).machines.values_list("kind", "count", "limit"))
    client.post(url, {"processes": ["cnc_machining"], "machines": shown})
    after = list(CapabilityProfile.objects.get(unit=market["shop"]).machines.values_list("kind", "count", "limit"))
    assert after == before and profile_form_machines(client, market["shop"]) == shown


def test_a_bad_machine_count_is_refused_with_its_line(client, world, market):
    client.force_login(market["owner"])
    response = client.post(reverse("spx:profile_edit", args=[market["shop"].pk]),
                           {"machines": "فرز، ۱\nپرس، چند"})
    assert response.status_code == 200
    assert "سطر ۲ («پرس، چند»): تعداد باید عدد صحیح باشد." in response.content.decode()


def test_a_machine_without_a_count_is_refused_not_saved_as_one(client, world, market):
    client.force_login(market["owner"])
    url = reverse("spx:profile_edit", args=[market["shop"].pk])
    for line in ("CNC فرز", "CNC فرز،", "CNC فرز، ، قطر ۴۰۰"):
        response = client.post(url, {"processes": ["cnc_machining"], "machines": f"تراش، ۲\n{line}"})
        # The line is named, and the profile is not saved with a guessed count.
        assert response.status_code == 200, line
        assert f"سطر ۲ («{line}»): تعداد نیامده است" in response.content.decode(), line
    assert not CapabilityProfile.objects.get(unit=market["shop"]).machines.exists()


def test_materials_keep_the_order_they_were_typed_in_each_once(client, world, market):
    client.force_login(market["owner"])
    url = reverse("spx:profile_edit", args=[market["shop"].pk])
    # «آلومينيوم» typed with an Arabic yeh, and «فولاد» twice.
    client.post(url, {"processes": ["cnc_machining"], "materials": "فولاد، چدن، آلومينيوم، فولاد"})
    assert CapabilityProfile.objects.get(unit=market["shop"]).materials == ["فولاد", "چدن", "آلومینیوم"]
    page = client.get(url).content.decode()
    assert 'value="فولاد، چدن، آلومینیوم"' in page


def test_a_new_enquiry_starts_with_no_province_for_national_staff(client, world):
    # A list that opened at the first province filed a national user's enquiry in East Azerbaijan unnoticed.
    client.force_login(world.cast.national)
    form = client.get(reverse("spx:enquiry_new")).context["form"]
    assert form["buyer_province"].value() in (None, "") and form.fields["buyer_province"].choices[0][0] == ""


@pytest.mark.parametrize("role", ["viewer", "agent", "parks_company"])
def test_roles_that_cannot_file_an_enquiry_are_refused_before_filling_the_form(client, world, role):
    client.force_login(getattr(world.cast, role))
    assert client.get(reverse("spx:enquiry_new")).status_code == 403
    assert reverse("spx:enquiry_new") not in client.get(reverse("spx:enquiry_list")).content.decode()
