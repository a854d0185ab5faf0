"""The registry pages, and who may see and change what through them."""

import pytest
from django.test.html import parse_html
from django.urls import reverse

from khoosheh.core.text import to_persian_digits
from khoosheh.jobs.models import Job
from khoosheh.registry.importing import import_units
from khoosheh.registry.models import ProductionUnit, UnitStatusChange
from tests.conftest import NID_B, NID_C, unit_row
from tests.form_pages import assert_error_follows_its_field, kept, summary_links

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(unit_file):
    """A Yazd unit, an Isfahan unit and a Tehran unit."""
    import_units(unit_file([
        unit_row(name="شرکت کرمان کاشی"),
        unit_row(national_id=NID_B, name="فولاد سپاهان", isic="2410", province="اصفهان", county="اصفهان",
                 lat="32.65", lon="51.67"),
        unit_row(national_id=NID_C, name="قطعات خودرو پویا", isic="2930", province="تهران", county="تهران",
                 lat="35.69", lon="51.39", status="راکد"),
    ]))
    return {u.province_id: u for u in ProductionUnit.objects.all()}


def names(response):
    return sorted(u.name for u in response.context["page"])


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("registry:unit_list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_search_is_normalised_so_arabic_letters_find_persian_names(client, cast, units):
    client.force_login(cast.national)
    assert names(client.get(reverse("registry:unit_list"), {"q": "كرمان"})) == ["شرکت کرمان کاشی"]
    assert names(client.get(reverse("registry:unit_list"), {"q": "فولادسپاهان"})) == ["فولاد سپاهان"]


def test_search_by_national_id_in_persian_digits(client, cast, units):
    client.force_login(cast.national)
    assert names(client.get(reverse("registry:unit_list"), {"q": "۱۰۸۶۰۰"})) == ["فولاد سپاهان"]


@pytest.mark.parametrize("filters, expected", [
    ({"province": "10"}, ["فولاد سپاهان"]),
    ({"county": "2106"}, ["شرکت کرمان کاشی"]),
    ({"status": "idle"}, ["قطعات خودرو پویا"]),
    ({"activity": "24"}, ["فولاد سپاهان"]),
    ({"activity": "2930"}, ["قطعات خودرو پویا"]),
])
def test_filters(client, cast, units, filters, expected):
    client.force_login(cast.national)
    assert names(client.get(reverse("registry:unit_list"), filters)) == expected


def test_provincial_staff_see_only_their_province_in_the_list(client, cast, units):
    client.force_login(cast.isfahan)
    assert names(client.get(reverse("registry:unit_list"))) == ["فولاد سپاهان"]
    assert names(client.get(reverse("registry:unit_list"), {"province": "10"})) == ["فولاد سپاهان"]
    # Asking for another province by URL neither widens the scope nor silently answers with Isfahan's units.
    refused = client.get(reverse("registry:unit_list"), {"province": "23"})
    assert refused.status_code == 403 and "اصفهان" in refused.content.decode()


def test_provincial_staff_cannot_open_another_provinces_unit_by_guessing_its_url(client, cast, units):
    client.force_login(cast.isfahan)
    assert client.get(reverse("registry:unit_detail", args=[units["23"].pk])).status_code == 404
    assert client.get(reverse("registry:unit_detail", args=[units["10"].pk])).status_code == 200


def test_provincial_staff_cannot_change_another_provinces_unit(client, cast, units):
    client.force_login(cast.isfahan)
    url = reverse("registry:unit_change_status", args=[units["23"].pk])
    assert client.post(url, {"status": "active", "reason": "x"}).status_code == 404
    assert ProductionUnit.objects.get(pk=units["23"].pk).status == "idle"


def test_provincial_staff_export_only_their_province(client, cast, units):
    client.force_login(cast.isfahan)
    body = client.get(reverse("registry:unit_export"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "فولاد سپاهان" in body and "قطعات خودرو پویا" not in body and "کرمان" not in body
    refused = client.get(reverse("registry:unit_export"), {"format": "csv", "province": "23"})
    assert refused.status_code == 403 and "Content-Disposition" not in refused


def test_a_viewer_reads_but_cannot_change(client, cast, units):
    client.force_login(cast.viewer)
    page = client.get(reverse("registry:unit_detail", args=[units["23"].pk]))
    assert page.status_code == 200 and page.context["status_form"] is None
    url = reverse("registry:unit_change_status", args=[units["23"].pk])
    assert client.post(url, {"status": "active", "reason": "x"}).status_code == 403
    assert client.get(reverse("registry:unit_import")).status_code == 403


def test_a_status_change_is_recorded_with_who_and_why(client, cast, units):
    client.force_login(cast.tehran)
    unit = units["23"]
    client.post(reverse("registry:unit_change_status", args=[unit.pk]), {"status": "active", "reason": "احیا با وام"})
    change = UnitStatusChange.objects.filter(unit=unit).exclude(old_status="").get()
    assert (change.old_status, change.new_status, change.changed_by, change.reason) == \
        ("idle", "active", cast.tehran, "احیا با وام")
    page = client.get(reverse("registry:unit_detail", args=[unit.pk]))
    assert "احیا با وام" in page.content.decode()


def test_a_status_change_needs_a_reason(client, cast, units):
    client.force_login(cast.tehran)
    client.post(reverse("registry:unit_change_status", args=[units["23"].pk]), {"status": "active", "reason": ""})
    assert ProductionUnit.objects.get(pk=units["23"].pk).status == "idle"


def test_a_status_change_without_a_reason_is_refused_under_the_reason_box_with_the_choice_kept(client, cast, units):
    client.force_login(cast.tehran)
    page = client.post(reverse("registry:unit_change_status", args=[units["23"].pk]),
                       {"status": "active", "reason": ""})
    assert page.status_code == 200  # the unit's page again, with the refused form, not a redirect
    html = parse_html(page.content.decode())
    assert "#id_reason" in summary_links(html)
    assert "دلیل تغییر وضعیت را بنویسید" in assert_error_follows_its_field(html, "reason")
    assert kept(html, "id_status") == "active"
    assert not list(page.context["messages"])  # under its box, not a message on top
    assert ProductionUnit.objects.get(pk=units["23"].pk).status == "idle"


def test_an_accepted_status_change_goes_back_to_the_unit_saying_so(client, cast, units):
    client.force_login(cast.tehran)
    url = reverse("registry:unit_change_status", args=[units["23"].pk])
    page = client.post(url, {"status": "active", "reason": "احیا"}, follow=True)
    assert page.redirect_chain == [(reverse("registry:unit_detail", args=[units["23"].pk]), 302)]
    assert [str(m) for m in page.context["messages"]] == ["وضعیت تغییر کرد."]
    again = client.post(url, {"status": "active", "reason": "احیا"}, follow=True)
    assert [str(m) for m in again.context["messages"]] != ["وضعیت تغییر کرد."]


def test_the_upload_page_shows_errors_and_offers_the_report(client, cast, unit_file):
    client.force_login(cast.national)
    path = unit_file([unit_row(), unit_row(national_id=NID_B, permit_date="1401/12/30")])
    with path.open("rb") as f:
        page = client.post(reverse("registry:unit_import"), {"file": f}, follow=True)
    html = page.content.decode()
    assert page.status_code == 200 and "۲۹ روز" in html and ProductionUnit.objects.count() == 0
    job = page.context["job"]
    report = client.get(reverse("jobs:file", args=[job.pk]))
    assert b"".join(report.streaming_content).decode("utf-8-sig").splitlines()[1].startswith("3,")
    # Somebody else cannot fetch the report.
    client.force_login(cast.tehran)
    assert client.get(reverse("jobs:file", args=[job.pk])).status_code == 404


def test_the_upload_page_imports_a_valid_file(client, cast, unit_file):
    client.force_login(cast.isfahan)
    path = unit_file([unit_row(province="اصفهان", county="کاشان", lat="33.98", lon="51.43")], name="u.xlsx")
    with path.open("rb") as f:
        page = client.post(reverse("registry:unit_import"), {"file": f}, follow=True)
    assert page.context["job"].result["written"] and ProductionUnit.objects.get().province_id == "10"


def test_the_upload_page_imports_a_unit_just_off_the_shore_and_says_how_far_out_it_is(client, cast, unit_file):
    client.force_login(cast.national)
    # About 3 km into the sea off Bandar Abbas: within the 5 km tolerance.
    row = unit_row(province="هرمزگان", county="بندرعباس", lat="27.14", lon="56.27", isic="1020")
    with unit_file([row]).open("rb") as f:
        page = client.post(reverse("registry:unit_import"), {"file": f}, follow=True)
    assert page.context["job"].result["written"] and ProductionUnit.objects.get().county_id == "2202"
    assert "۳٫۰ کیلومتر بیرون از مرز" in page.content.decode()


def test_the_upload_page_refuses_other_file_types(client, cast, tmp_path):
    client.force_login(cast.national)
    path = tmp_path / "x.exe"
    path.write_bytes(b"MZ")
    with path.open("rb") as f:
        page = client.post(reverse("registry:unit_import"), {"file": f})
    assert page.status_code == 200 and page.context["form"].errors and not Job.objects.exists()


def test_choosing_a_county_draws_its_units_on_a_map_placing_those_without_coordinates_at_the_seat(
        client, cast, unit_file):
    from khoosheh.registry.models import County

    import_units(unit_file([
        unit_row(name="کارگاه با مختصات", lat="32.66", lon="51.68", province="اصفهان", county="اصفهان"),
        unit_row(national_id=NID_B, name="کارگاه بی‌مختصات", lat="", lon="", province="اصفهان", county="اصفهان"),
        unit_row(national_id=NID_C, name="کارگاه کاشان", lat="", lon="", province="اصفهان", county="کاشان"),
    ]))
    client.force_login(cast.isfahan)
    isfahan = County.objects.get(province_id="10", name_fa="اصفهان")
    points = client.get(reverse("registry:unit_list"), {"province": "10", "county": isfahan.code}
                        ).context["county_map"]["points"]
    by_name = {p["name"]: p for p in points}
    assert set(by_name) == {"کارگاه با مختصات", "کارگاه بی‌مختصات"}
    assert (by_name["کارگاه با مختصات"]["lat"], by_name["کارگاه با مختصات"]["by_county"]) == (32.66, False)
    assert (by_name["کارگاه بی‌مختصات"]["lat"], by_name["کارگاه بی‌مختصات"]["by_county"]) == (isfahan.lat, True)
    assert client.get(reverse("registry:unit_list"), {"province": "10"}).context["county_map"] is None


def test_the_unit_lists_province_filter_is_in_persian_alphabetical_order(client, cast):
    from khoosheh.core.text import persian_sort_key

    client.force_login(cast.national)
    names = [p.name_fa for p in client.get(reverse("registry:unit_list")).context["provinces"]]
    assert names == sorted(names, key=persian_sort_key) and names.index("بوشهر") < names.index("چهارمحال و بختیاری")
    assert names[-1] == "یزد" and names.index("کرمان") < names.index("گیلان")


def test_the_import_template_has_drop_down_lists_from_the_reference_tables(client, cast, tmp_path):
    import re
    import zipfile

    from khoosheh.core.unitfile import read_rows, validate_rows
    from khoosheh.core.unitfile.columns import COLUMNS
    from khoosheh.registry.importing import reference_from_db

    client.force_login(cast.isfahan)
    response = client.get(reverse("registry:unit_import_template"))
    assert response.status_code == 200
    path = tmp_path / "template.xlsx"
    path.write_bytes(b"".join(response.streaming_content) if response.streaming else response.content)
    with zipfile.ZipFile(path) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
        lists = book.read("xl/worksheets/sheet2.xml").decode()
        workbook = book.read("xl/workbook.xml").decode()
        strings = book.read("xl/sharedStrings.xml").decode()
    # One list rule per drop-down column, each pointing at the hidden "lists" sheet.
    letters = {c.name: chr(ord("A") + i) for i, c in enumerate(COLUMNS)}
    ranges = set(re.findall(r'sqref="([A-Z]+)2:', sheet))
    assert ranges == {letters[c] for c in ("province", "county", "isic", "status", "exporter")}
    assert sheet.count("<formula1>lists!") == 5
    assert 'state="hidden"' in workbook and "<row" in lists
    assert "اصفهان" in strings and "نیمه‌تمام" in strings and "2393" in strings
    # And the empty template is a valid unit file: its headers are the contract's.
    result = validate_rows(read_rows(path), reference_from_db())
    assert result.ok and result.rows_read == 0


def test_a_units_location_reads_in_persian_digits_and_separators(client, cast, units):
    client.force_login(cast.national)
    page = client.get(reverse("registry:unit_detail", args=[units["10"].pk])).content.decode()
    # The Persian decimal separator and comma, not "32.65000, 51.67000" in Persian digits.
    assert "۳۲٫۶۵۰۰۰، ۵۱٫۶۷۰۰۰" in page


def status_history_source(client, unit, reason: str) -> str:
    """The «source» cell (HTML) of the status-history row with this reason, on the unit's page."""
    import re

    html = client.get(reverse("registry:unit_detail", args=[unit.pk])).content.decode()
    table = html[html.index('id="status-history"'):]
    table = table[:table.index("</table>")]
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", table, re.S) if reason in r)
    return re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[-1]


def test_a_status_change_made_in_the_portal_names_its_source_in_persian(client, cast, units):
    client.force_login(cast.tehran)
    unit = units["23"]
    client.post(reverse("registry:unit_change_status", args=[unit.pk]), {"status": "active", "reason": "احیا با وام"})
    cell = status_history_source(client, unit, "احیا با وام")
    assert "پورتال" in cell and "portal" not in cell


def a_status_change_by_a_project(unit):
    """The unit's half-finished project, and the status change it made when it opened."""
    from django.utils import timezone

    from khoosheh.programs.models import HalfFinishedProject

    project = HalfFinishedProject.objects.create(unit=unit, province_id=unit.province_id)
    UnitStatusChange.objects.create(unit=unit, old_status="idle", new_status="active", reason="بهره‌برداری",
                                    source=f"project:{project.pk}", changed_at=timezone.now())
    return project


def test_a_status_change_made_by_a_project_names_the_project_with_a_link_to_it(client, cast, units):
    project = a_status_change_by_a_project(units["23"])
    client.force_login(cast.tehran)
    cell = status_history_source(client, units["23"], "بهره‌برداری")
    assert f"طرح نیمه‌تمام {to_persian_digits(str(project.pk))}" in cell
    assert f'href="{reverse("programs:project_detail", args=[project.pk])}"' in cell
    assert "project:" not in cell


def test_a_project_the_reader_may_not_open_is_named_without_a_link(client, world):
    """A cluster agent sees its cluster's units but not their projects (programs' selectors): a link would 404."""
    from khoosheh.programs import services as programs

    unit = world.units["half_yazd"]
    world.cluster.members.add(unit)
    development = programs.start_development(world.cluster, world.cast.national)
    development.agent = world.cast.agent
    development.save()
    project = a_status_change_by_a_project(unit)
    client.force_login(world.cast.agent)
    assert client.get(reverse("programs:project_detail", args=[project.pk])).status_code == 404
    cell = status_history_source(client, unit, "بهره‌برداری")
    assert f"طرح نیمه‌تمام {to_persian_digits(str(project.pk))}" in cell and "<a" not in cell


def test_a_source_naming_a_record_that_is_gone_is_not_a_link(client, cast, units):
    from django.utils import timezone

    UnitStatusChange.objects.create(unit=units["23"], old_status="idle", new_status="active", reason="بهره‌برداری",
                                    source="project:31", changed_at=timezone.now())
    client.force_login(cast.national)
    cell = status_history_source(client, units["23"], "بهره‌برداری")
    assert "طرح نیمه‌تمام ۳۱" in cell and "<a" not in cell


def test_the_upload_form_leaves_its_checks_to_the_server_and_refuses_no_file_in_persian_under_the_box(client,
                                                                                                      cast):
    from tests.form_pages import find, text_of

    client.force_login(cast.national)
    form = find(parse_html(client.get(reverse("registry:unit_import")).content.decode()), enctype="multipart/form-data")
    # No browser bubble («Please select a file.», in the browser's language): the server answers.
    assert "novalidate" in dict(form.attributes)
    response = client.post(reverse("registry:unit_import"), {"dry_run": "on"})
    page = parse_html(response.content.decode())
    block = find(page, id="id_file_field")
    assert text_of(find(block, id="id_file_error")) == "فایل واحدها را برای ورود انتخاب کنید."
    assert not Job.objects.exists()


def other_provinces_file(unit_file, n):
    rows = [unit_row(national_id="", name=f"کاشی یزد {i}") for i in range(n)]
    rows.insert(3, unit_row(national_id="", name="کاشی تاریخ", province="اصفهان", county="کاشان", lat="33.98",
                            lon="51.43", permit_date="1401/12/30"))
    return unit_file(rows)


def test_one_refusal_repeated_on_many_rows_is_listed_once_with_its_rows_and_their_count(client, cast, unit_file):
    from tests.form_pages import find, text_of

    # Isfahan's staff send Yazd's file: every row but one is refused for the same reason.
    client.force_login(cast.isfahan)
    with other_provinces_file(unit_file, 40).open("rb") as f:
        response = client.post(reverse("registry:unit_import"), {"file": f}, follow=True)
    errors = find(parse_html(response.content.decode()), class_="errors")
    lines = [text_of(tr) for tr in errors.children[1].children if hasattr(tr, "name")]
    # Rows 2-4 and 6-42 are Yazd's (row 5 is Isfahan's, with a date that is no date): one line, the rows as
    # runs with their count; the other problem its own line.
    repeated = [line for line in lines if "ردیف‌های" in line]
    assert len(lines) == 2 and len(repeated) == 1
    assert "ردیف‌های ۲ تا ۴، ۶ تا ۴۲ (۴۰ ردیف)" in repeated[0] and "اصفهان" in repeated[0]
    # The full report still lists every row.
    report = client.get(reverse("jobs:file", args=[response.context["job"].pk]))
    assert len(b"".join(report.streaming_content).decode("utf-8-sig").splitlines()) == 1 + 41


def test_a_problem_on_two_rows_is_still_listed_row_by_row(client, cast, unit_file):
    from tests.form_pages import find, text_of

    client.force_login(cast.isfahan)
    with unit_file([unit_row(national_id="", name="یک"), unit_row(national_id="", name="دو")]).open("rb") as f:
        response = client.post(reverse("registry:unit_import"), {"file": f}, follow=True)
    errors = find(parse_html(response.content.decode()), class_="errors")
    rows = [text_of(tr.children[0]) for tr in errors.children[1].children if hasattr(tr, "name")]
    assert rows == ["۲", "۳"]


def test_the_list_and_export_links_carry_a_clean_query_string(client, cast, units, monkeypatch):
    monkeypatch.setattr("khoosheh.registry.views.PAGE_SIZE", 1)
    client.force_login(cast.national)
    html = client.get(reverse("registry:unit_list")).content.decode()
    # No «?&»: with no filter the link is just the parameter.
    assert "?&" not in html and "?&amp;" not in html
    assert 'href="?page=2"' in html and f'href="{reverse("registry:unit_export")}?format=xlsx"' in html
    # A filter is kept before it.
    html = client.get(reverse("registry:unit_list"), {"status": "active", "page": "1"}).content.decode()
    assert 'href="?status=active&amp;page=2"' in html and "?status=active&amp;format=csv" in html
