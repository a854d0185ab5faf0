"""The upload page's mapping step: a file whose headers no known spelling names is read once the
official says which of its columns is which; the choice is remembered, per province, for the next
file with the same headers, and saving it is audited."""

import csv

import pytest
from django.urls import reverse

from khoosheh.accounts.models import AuditEntry
from khoosheh.jobs.models import Job
from khoosheh.registry.models import HeaderMapping, ProductionUnit
from tests.conftest import NID_B

pytestmark = pytest.mark.django_db

# Headers as a ministry's form might have them: none is a known spelling of a required column
# but the ISIC code; "Row" is a row-number column, never offered.
HEADERS = ["Row", "Company", "ISIC", "Prov.", "County name", "Situation", "Staff"]
FIRST = ["1", "کاشی نگین", "2393", "یزد", "میبد", "فعال", "85"]
SECOND = ["1", "صنایع آرمان", "2511", "یزد", "یزد", "راکد", "12"]
MAPPING = {"name": "Company", "province": "Prov.", "county": "County name", "status": "Situation",
           "isic": "ISIC", "employees": "Staff"}


def ministry_file(tmp_path, name, *rows):
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([HEADERS, *rows])
    return path


def upload(client, path, **options):
    with path.open("rb") as f:
        return client.post(reverse("registry:unit_import"), {"file": f, **options})


def choose(client, response, mapping, remember=True):
    form = {name: mapping.get(name, "") for name in
            ("national_id", "name", "isic", "province", "county", "park", "lat", "lon", "employees", "status",
             "permit_date", "exporter", "capacity_utilisation")}
    if remember:
        form["remember"] = "on"
    return client.post(response.url, form)


def test_a_file_missing_required_columns_is_kept_and_the_mapping_step_shown(client, cast, tmp_path):
    client.force_login(cast.national)
    response = upload(client, ministry_file(tmp_path, "a.csv", FIRST))
    # Nothing is queued yet: the page asks which column is which.
    assert response.status_code == 302 and "/map/" in response.url and not Job.objects.exists()
    page = client.get(response.url)
    html = page.content.decode()
    # The missing columns are named, the file's first rows shown, and the row numbers not offered.
    assert "نام واحد، استان، شهرستان، وضعیت" in html and "کاشی نگین" in html
    assert page.context["form"].fields["name"].choices[1:] == [(h, h) for h in HEADERS[1:]]
    # A column a known spelling names is chosen already.
    assert page.context["form"]["isic"].value() == "ISIC"


def test_mapped_columns_are_imported_and_the_mapping_remembered_with_who_saved_it(client, cast, tmp_path):
    client.force_login(cast.national)
    response = choose(client, upload(client, ministry_file(tmp_path, "a.csv", FIRST)), MAPPING)
    job = Job.objects.get()
    assert response.url == reverse("jobs:detail", args=[job.pk]) and job.result["written"]
    unit = ProductionUnit.objects.get()
    assert (unit.name, unit.county.name_fa, unit.status, unit.employees) == ("کاشی نگین", "میبد", "active", 85)
    saved = HeaderMapping.objects.get()
    assert saved.saved_by == cast.national and saved.province is None and saved.mapping["county"] == "County name"
    assert AuditEntry.objects.filter(record_type="registry.headermapping", actor=cast.national).exists()


def test_the_next_file_with_the_same_headers_is_not_asked_again(client, cast, tmp_path):
    client.force_login(cast.national)
    choose(client, upload(client, ministry_file(tmp_path, "a.csv", FIRST)), MAPPING)
    # Same headers, another order of rows and other units: straight to the job.
    response = upload(client, ministry_file(tmp_path, "b.csv", SECOND))
    assert response.url == reverse("jobs:detail", args=[Job.objects.latest("pk").pk])
    assert ProductionUnit.objects.count() == 2
    # The job's report says which columns were read by the mapping.
    warnings = Job.objects.latest("pk").result["warnings"]
    assert [1, "County name", "County name", "این ستون به جای «شهرستان» خوانده شد (نگاشت ستون‌ها)"] in warnings


def test_a_required_column_left_unchosen_or_a_column_chosen_twice_is_refused(client, cast, tmp_path):
    client.force_login(cast.national)
    step = upload(client, ministry_file(tmp_path, "a.csv", FIRST))
    page = choose(client, step, {**MAPPING, "county": ""})
    assert page.status_code == 200 and "county" in page.context["form"].errors
    page = choose(client, step, {**MAPPING, "park": "Company"})
    assert "park" in page.context["form"].errors and not Job.objects.exists()


def test_not_remembering_asks_again_next_time(client, cast, tmp_path):
    client.force_login(cast.national)
    choose(client, upload(client, ministry_file(tmp_path, "a.csv", FIRST)), MAPPING, remember=False)
    assert ProductionUnit.objects.count() == 1 and not HeaderMapping.objects.exists()
    assert "/map/" in upload(client, ministry_file(tmp_path, "b.csv", SECOND)).url


def test_a_provinces_mapping_serves_that_province_only(client, cast, tmp_path):
    client.force_login(cast.isfahan)
    isfahan_row = ["1", "کاشی نگین", "2393", "اصفهان", "کاشان", "فعال", "85"]
    choose(client, upload(client, ministry_file(tmp_path, "a.csv", isfahan_row)), MAPPING)
    assert HeaderMapping.objects.get().province_id == "10"
    # Tehran's office sends a file with the same headers: it is asked, not read by Isfahan's choice.
    client.force_login(cast.tehran)
    assert "/map/" in upload(client, ministry_file(tmp_path, "b.csv", SECOND)).url


EXPIRED = "این بارگذاری منقضی شده یا به نشست دیگری تعلق دارد؛ لطفاً فایل را دوباره بارگذاری کنید."


def test_a_pending_upload_is_only_its_uploaders(client, cast, tmp_path):
    client.force_login(cast.national)
    step = upload(client, ministry_file(tmp_path, "a.csv", FIRST))
    client.force_login(cast.tehran)
    page = client.get(step.url, follow=True)
    # Another user is told the upload is not theirs to continue, on the upload page; the file is never shown.
    assert page.redirect_chain == [(reverse("registry:unit_import"), 302)]
    html = page.content.decode()
    assert EXPIRED in html and "کاشی نگین" not in html
    assert "file" in page.context["form"].fields  # the upload form, not the mapping step


def test_the_mapping_step_after_logging_in_again_says_the_upload_expired_and_links_to_the_upload_page(
        client, cast, tmp_path):
    client.force_login(cast.national)
    step = upload(client, ministry_file(tmp_path, "a.csv", FIRST))
    client.logout()
    client.force_login(cast.national)
    page = client.get(step.url, follow=True)
    assert page.status_code == 200 and page.redirect_chain == [(reverse("registry:unit_import"), 302)]
    assert EXPIRED in page.content.decode() and not Job.objects.exists()


def test_a_file_whose_headers_are_known_goes_straight_to_the_job(client, cast, unit_file):
    from tests.conftest import unit_row

    client.force_login(cast.national)
    response = upload(client, unit_file([unit_row(national_id=NID_B)]))
    assert response.url == reverse("jobs:detail", args=[Job.objects.get().pk])


def test_the_command_line_reads_the_same_mapping_from_map_options(tmp_path):
    from django.core.management import call_command

    path = ministry_file(tmp_path, "a.csv", FIRST)
    call_command("import_units", str(path), "--map", "نام واحد=Company", "--map", "استان=Prov.",
                 "--map", "county=County name", "--map", "وضعیت=Situation", "--map", "کارکنان=")
    unit = ProductionUnit.objects.get()
    # "کارکنان=" says the file has no employees column, so Staff is not read.
    assert (unit.name, unit.county.name_fa, unit.employees) == ("کاشی نگین", "میبد", None)


def test_the_command_line_uses_a_national_mapping_saved_on_the_page(client, cast, tmp_path):
    from django.core.management import call_command

    client.force_login(cast.national)
    choose(client, upload(client, ministry_file(tmp_path, "a.csv", FIRST)), MAPPING)
    call_command("import_units", str(ministry_file(tmp_path, "b.csv", SECOND)))
    assert ProductionUnit.objects.count() == 2


def test_the_command_line_without_a_mapping_names_the_missing_columns(tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("import_units", str(ministry_file(tmp_path, "a.csv", FIRST)))
    assert not ProductionUnit.objects.exists()


def test_a_remembered_mapping_can_be_chosen_again_by_hand(client, cast, tmp_path):
    client.force_login(cast.national)
    choose(client, upload(client, ministry_file(tmp_path, "a.csv", FIRST)), MAPPING)
    # Saved wrongly, say: the official asks to match the columns again and gets the step, prefilled.
    step = upload(client, ministry_file(tmp_path, "b.csv", SECOND), choose_columns="on")
    assert "/map/" in step.url
    page = client.get(step.url)
    assert page.context["form"]["county"].value() == "County name" and "remembered" in page.content.decode()
    choose(client, step, {**MAPPING, "employees": ""})
    assert HeaderMapping.objects.get().mapping["employees"] == ""
    # The change is audited with what it was before.
    change = AuditEntry.objects.filter(record_type="registry.headermapping", action="update").get()
    assert change.before == {"mapping": {**saved_mapping(), "employees": "Staff"}}


def test_known_headers_can_be_matched_by_hand_too(client, cast, unit_file):
    from tests.conftest import unit_row

    client.force_login(cast.national)
    step = upload(client, unit_file([unit_row()]), choose_columns="on")
    assert "/map/" in step.url
    assert "missing-columns" not in client.get(step.url).content.decode()


def saved_mapping():
    names = ("national_id", "name", "isic", "province", "county", "park", "lat", "lon", "employees", "status",
             "permit_date", "exporter", "capacity_utilisation")
    return {name: MAPPING.get(name, "") for name in names}


def test_an_upload_left_on_the_mapping_step_is_removed_after_the_jobs_keep_days(client, cast, tmp_path, settings,
                                                                                unit_file):
    import os
    import time

    from khoosheh.registry import uploads
    from khoosheh.registry.views import PENDING_IMPORTS
    from tests.conftest import unit_row

    client.force_login(cast.national)
    upload(client, ministry_file(tmp_path, "a.csv", FIRST))  # left on the mapping step
    [pending] = client.session[PENDING_IMPORTS].values()
    abandoned = uploads.kept_path(pending["file"])
    upload(client, unit_file([unit_row()]))  # imported: its file is the job's
    imported = uploads.kept_path(Job.objects.get().input_file)
    old = time.time() - (settings.KHOOSHEH_JOB_KEEP_DAYS + 1) * 86_400
    for path in (abandoned, imported):
        os.utime(path, (old, old))
    assert uploads.remove_abandoned() == 1
    # The abandoned upload is gone; the job's file stays until the job itself expires.
    assert not abandoned.exists() and imported.exists()


def test_the_command_line_refuses_a_map_naming_a_header_the_file_lacks_before_reading_it(tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = ministry_file(tmp_path, "a.csv", FIRST)
    with pytest.raises(CommandError, match="Company name"):
        call_command("import_units", str(path), "--map", "نام واحد=Company name", "--map", "استان=Prov.",
                     "--map", "county=County name", "--map", "وضعیت=Situation", "--background")
    # Refused before the job was queued: nothing waits for a worker, nothing was written.
    assert not Job.objects.exists() and not ProductionUnit.objects.exists()


def test_the_mapping_step_leaves_its_checks_to_the_server_so_its_refusal_is_in_persian(client, cast, tmp_path):
    from django.test.html import parse_html

    from tests.form_pages import find

    client.force_login(cast.national)
    step = upload(client, ministry_file(tmp_path, "a.csv", FIRST))
    # No browser bubble («Please select an item in the list.», in the browser's language): the form says
    # novalidate, and the server answers.
    form = find(parse_html(client.get(step.url).content.decode()), id="mapping-form")
    assert "novalidate" in dict(form.attributes)


def test_a_required_column_left_unchosen_is_refused_under_its_list_keeping_the_other_choices(client, cast,
                                                                                          tmp_path):
    from django.test.html import parse_html

    from tests.form_pages import find, kept, text_of

    client.force_login(cast.national)
    step = upload(client, ministry_file(tmp_path, "a.csv", FIRST))
    response = choose(client, step, {**MAPPING, "county": ""})
    page = parse_html(response.content.decode())
    refusal = "این ستون لازم است؛ ستون فایل را برای آن انتخاب کنید."
    # Under the county's list, and only there.
    assert response.context["form"].errors == {"county": [refusal]}
    assert text_of(find(page, id="id_county_error")) == refusal
    # What was chosen stays chosen.
    assert [kept(page, f"id_{name}") for name in ("name", "province", "status", "employees", "county")] == [
        "Company", "Prov.", "Situation", "Staff", ""]
    assert not Job.objects.exists()
