"""What a program page shows a person: saved values in its edit forms, histories in labels (never codes), and
each step form of a clinic case under its own heading."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from khoosheh.core.jalali import format_jalali
from khoosheh.programs import services
from khoosheh.programs.models import HalfFinishedProject

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(world):
    expected = timezone.localdate() + dt.timedelta(days=200)
    return services.register_project(world.units["half_isfahan"], world.cast.national, physical_progress=40,
                                     expected_opening=expected)


def test_the_project_form_shows_the_saved_expected_opening_in_jalali(client, world, project):
    client.force_login(world.cast.national)
    page = client.get(reverse("programs:project_detail", args=[project.pk]))
    box = page.context["form"]["expected_opening"]
    assert box.value() == format_jalali(project.expected_opening)
    assert f'value="{format_jalali(project.expected_opening)}"' in str(box)


def test_saving_the_project_form_unchanged_keeps_the_expected_opening(client, world, project):
    client.force_login(world.cast.national)
    form = client.get(reverse("programs:project_detail", args=[project.pk])).context["form"]
    data = {name: form[name].value() for name in form.fields}
    client.post(reverse("programs:project_update", args=[project.pk]), data)
    assert HalfFinishedProject.objects.get(pk=project.pk).expected_opening == project.expected_opening


def test_emptying_the_expected_opening_clears_it(client, world, project):
    client.force_login(world.cast.national)
    client.post(reverse("programs:project_update", args=[project.pk]), {
        "physical_progress": 50, "investment_made": 0, "investment_needed": 0, "planned_jobs": 0,
        "expected_opening": ""})
    saved = HalfFinishedProject.objects.get(pk=project.pk)
    assert saved.physical_progress == 50 and saved.expected_opening is None


def test_a_developments_phase_history_names_the_phases_by_their_labels(client, world):
    development = services.start_development(world.cluster, world.cast.national, agent=world.cast.agent)
    services.change_phase(development, world.cast.national, "diagnostic")
    client.force_login(world.cast.national)
    html = client.get(reverse("programs:development_detail", args=[development.pk])).content.decode()
    phases = html[html.index("→") - 200:html.rindex("→") + 200]
    assert "شناسایی" in phases and "مطالعه تشخیصی" in phases
    assert "identified" not in phases and "diagnostic" not in phases


def test_a_consortiums_exports_in_its_history_read_as_labels_and_an_ungrouped_year(client, world):
    consortium = services.form_consortium(world.cast.national, name="کنسرسیوم کاشی", province_code="21",
                                          members=world.members[:3])
    services.record_exports(consortium, world.cast.national, year=1404, value_usd=1_200_000)
    client.force_login(world.cast.national)
    html = client.get(reverse("programs:consortium_detail", args=[consortium.pk])).content.decode()
    history = html[html.index('class="history"'):]
    assert "سال شمسی" in history and "صادرات (دلار)" in history
    assert "year" not in history and "value usd" not in history
    assert "۱۴۰۴" in history and "۱٬۴۰۴" not in history
    assert "۱٬۲۰۰٬۰۰۰" in history  # an amount is still grouped


def test_each_step_form_of_a_clinic_case_has_its_heading(client, world):
    case = services.open_case(world.units["idle_isfahan"], world.cast.isfahan)
    services.diagnose(case, world.cast.isfahan, problems=["legal"], main_problem="legal")
    client.force_login(world.cast.isfahan)
    html = client.get(reverse("programs:case_detail", args=[case.pk])).content.decode()
    for step, heading in [("intervention", "<h3>ثبت اقدام</h3>"), ("follow_up", "<h3>ثبت پیگیری</h3>"),
                          ("close", "<h3>بستن پرونده و نتیجه</h3>")]:
        form_at = html.index(reverse("programs:case_step", args=[case.pk, step]))
        assert html.rfind("<h3>", 0, form_at) == html.rfind(heading, 0, form_at) != -1, step


def test_a_consortiums_hs_codes_read_in_persian_digits_as_its_history_does(client, world):
    import re

    consortium = services.form_consortium(world.cast.national, name="کنسرسیوم فرش", province_code="21",
                                          members=world.members[:3], products_hs=["570110", "570242"])
    client.force_login(world.cast.national)
    html = client.get(reverse("programs:consortium_detail", args=[consortium.pk])).content.decode()
    card = re.search(r"<dt>محصولات \(کد HS\)</dt>(<dd[^>]*>.*?</dd>)", html, re.S).group(1)
    # Laid out as the other facts of the card (no left-to-right box pushing it to the far side).
    assert card == "<dd>۵۷۰۱۱۰، ۵۷۰۲۴۲</dd>"
    assert "۵۷۰۱۱۰" in html[html.index('class="history"'):]
