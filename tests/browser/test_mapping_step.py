"""The upload page's mapping step in a real browser: a file whose headers no known spelling names
is mapped column by column with plain selects, imported, and the next file with the same headers
goes straight to its import without asking again."""

import csv

import pytest

from tests.browser.conftest import assert_nothing_ran
from tests.browser.signing import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADERS = ["ردیف", "Company", "Activity code", "Prov.", "County name", "Situation", "Staff"]


@pytest.fixture
def official(django_user_model):
    from django.core.management import call_command

    from khoosheh.accounts.models import Role

    call_command("sync_reference", verbosity=0)  # a transactional test empties the reference tables too
    return django_user_model.objects.create_user("yazd", password="pw", role=Role.PROVINCIAL, province_id="21")


def ministry_file(tmp_path, name, rows):
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([HEADERS, *rows])
    return path


def upload(page, live_server, path):
    page.goto(f"{live_server.url}/registry/units/import/")
    page.set_input_files("#id_file", str(path))
    page.click("form button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_unknown_headers_are_mapped_once_and_the_same_headers_are_not_asked_again(
        watched, live_server, official, tmp_path, artefact):
    from khoosheh.registry.models import HeaderMapping, ProductionUnit

    page = watched
    sign_in(page, live_server.url, "yazd", "pw")

    first = ministry_file(tmp_path, "ministry-1.csv", [
        ["1", "کاشی نگین", "2393", "یزد", "میبد", "فعال", "85"],
        ["2", "صنایع آرمان", "2511", "یزد", "یزد", "راکد", "12"]])
    upload(page, live_server, first)
    # The mapping step: the missing columns named, the file's first rows shown.
    page.wait_for_selector("#mapping-form")
    assert page.locator("#missing-columns").inner_text() == "نام واحد، کد آیسیک، استان، شهرستان، وضعیت"
    assert page.locator("#file-preview tbody tr").count() == 2
    assert "کاشی نگین" in page.locator("#file-preview").inner_text()
    # The row-number column is not offered.
    assert "ردیف" not in page.locator("#id_name").inner_text()
    for field, header in (("name", "Company"), ("isic", "Activity code"), ("province", "Prov."),
                          ("county", "County name"), ("status", "Situation"), ("employees", "Staff")):
        page.select_option(f"#id_{field}", header)
    page.screenshot(path=artefact("mapping-step.png"), full_page=True)
    page.click("#mapping-form button[type=submit]")
    page.wait_for_selector("#outcome")
    assert page.locator("#outcome h2").first.inner_text() == "ثبت شد"
    page.screenshot(path=artefact("mapping-step-imported.png"), full_page=True)
    assert ProductionUnit.objects.count() == 2
    assert ProductionUnit.objects.get(name="کاشی نگین").employees == 85
    assert HeaderMapping.objects.get().province_id == "21"

    # A second file with the same headers: no mapping step, straight to its import.
    second = ministry_file(tmp_path, "ministry-2.csv", [["1", "فولاد کویر", "2410", "یزد", "اردکان", "فعال", "40"]])
    upload(page, live_server, second)
    page.wait_for_selector("#outcome")
    assert "/jobs/" in page.url and page.locator("#mapping-form").count() == 0
    assert page.locator("#outcome h2").first.inner_text() == "ثبت شد" and ProductionUnit.objects.count() == 3
    page.screenshot(path=artefact("mapping-remembered.png"), full_page=True)
    assert_nothing_ran(page, "the mapping step")


def test_the_file_box_reads_in_persian_shows_the_chosen_name_and_is_reached_by_the_keyboard(
        watched, live_server, official, tmp_path, artefact):
    page = watched
    sign_in(page, live_server.url, "yazd", "pw")
    page.goto(f"{live_server.url}/registry/units/import/")
    # Chromium's own box says «Choose File / No file chosen» in the browser's language; ours speaks Persian.
    assert page.locator(".file-pick-button").inner_text() == "برگزیدن پرونده"
    assert page.locator(".file-pick-name").inner_text() == "پرونده‌ای برگزیده نشده است"
    assert page.locator("#id_file").bounding_box()["width"] <= 1  # the native box is out of sight
    # Sent without a file: refused under the box, in Persian; choosing one takes the refusal away.
    page.click("form button[type=submit]")
    refusal = page.locator("form .errorlist").first
    assert "فایل واحدها را برای ورود انتخاب کنید" in refusal.inner_text()
    page.set_input_files("#id_file", str(ministry_file(tmp_path, "واحدهای یزد.csv", [])))
    assert page.locator(".file-pick-name").inner_text() == "واحدهای یزد.csv"
    assert not refusal.is_visible()
    page.screenshot(path=artefact("import-file-picker.png"))
    # The keyboard reaches the box itself: its own label names it, and its focus ring is on the button.
    page.focus("#id_file")
    assert page.evaluate("document.activeElement.id") == "id_file"
    assert page.locator(".file-pick-button").evaluate("b => getComputedStyle(b).outlineStyle") == "solid"
    assert_nothing_ran(page, "the import page")
