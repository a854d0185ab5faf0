"""The program pages: they show what the role may see, and act through the services."""

import pytest
from django.core.files.base import ContentFile
from django.test.html import parse_html
from django.urls import reverse
from django.utils import timezone

from khoosheh.core.jalali import format_jalali
from khoosheh.programs import services
from khoosheh.programs.models import ClinicCase, ClusterDevelopment, HalfFinishedProject
from khoosheh.registry.models import ProductionUnit
from tests.form_pages import assert_error_follows_its_field

pytestmark = pytest.mark.django_db


def test_a_case_is_opened_and_worked_through_the_pages(client, world):
    # The page opens the case today (Tehran time), so its steps are dated today too.
    today_fa, today = format_jalali(timezone.localdate()), format_jalali(timezone.localdate(), persian_digits=False)
    client.force_login(world.cast.isfahan)
    unit = world.units["idle_isfahan"]
    response = client.post(reverse("programs:case_open", args=[unit.pk]))
    case = ClinicCase.objects.get(unit=unit)
    assert response.url == reverse("programs:case_detail", args=[case.pk])
    client.post(reverse("programs:case_step", args=[case.pk, "diagnose"]),
                {"problems": ["financial", "legal"], "main_problem": "financial"})
    client.post(reverse("programs:case_step", args=[case.pk, "intervention"]),
                {"kind": "working_capital_loan", "amount": 1000, "date": today_fa})
    client.post(reverse("programs:case_step", args=[case.pk, "close"]),
                {"outcome": "revived", "on": today, "jobs_restored": 4})
    case.refresh_from_db()
    assert (case.stage, case.outcome, case.jobs_restored) == ("closed", "revived", 4)
    assert ProductionUnit.objects.get(pk=unit.pk).status == "active"
    page = client.get(reverse("programs:case_detail", args=[case.pk])).content.decode()
    assert today_fa in page


def test_a_refused_step_is_explained_on_the_page(client, world):
    client.force_login(world.cast.isfahan)
    case = services.open_case(world.units["idle_isfahan"], world.cast.isfahan)
    response = client.post(reverse("programs:case_step", args=[case.pk, "close"]),
                           {"outcome": "revived", "on": "1405/09/05", "jobs_restored": 1}, follow=True)
    assert "تشخیص" in response.content.decode()
    assert ClinicCase.objects.get(pk=case.pk).stage == "intake"


def test_a_bad_jalali_date_in_a_form_is_refused(client, world):
    client.force_login(world.cast.isfahan)
    case = services.open_case(world.units["idle_isfahan"], world.cast.isfahan)
    services.diagnose(case, world.cast.isfahan, problems=["legal"], main_problem="legal")
    response = client.post(reverse("programs:case_step", args=[case.pk, "follow_up"]),
                           {"date": "1401/12/30", "note": "x"}, follow=True)
    assert "۲۹ روز" in response.content.decode() and not case.follow_ups.exists()


def test_provincial_staff_cannot_reach_another_provinces_case(client, world):
    case = services.open_case(world.units["idle_yazd"], world.cast.national)
    client.force_login(world.cast.isfahan)
    assert client.get(reverse("programs:case_detail", args=[case.pk])).status_code == 404
    assert client.post(reverse("programs:case_step", args=[case.pk, "diagnose"]),
                       {"problems": ["legal"], "main_problem": "legal"}).status_code == 404
    assert client.post(reverse("programs:case_open", args=[world.units["idle_yazd"].pk])).status_code == 404


def test_cluster_development_through_the_pages(client, world):
    client.force_login(world.cast.national)
    client.post(reverse("programs:development_start", args=[world.cluster.pk]))
    development = ClusterDevelopment.objects.get()
    response = client.post(reverse("programs:development_update", args=[development.pk]),
                           {"phase": "joint_actions"}, follow=True)
    assert "نمی‌توان" in response.content.decode()  # a jump, refused with a message
    development.refresh_from_db()
    assert development.phase == "identified"


def test_saving_the_action_plan_keeps_the_diagnostic_study_uploaded_before(client, world):
    development = services.start_development(world.cluster, world.cast.national, agent=world.cast.agent)
    services.update_development(development, world.cast.national,
                                diagnostic_study=ContentFile(b"%PDF-1.4", name="study.pdf"))
    client.force_login(world.cast.national)
    client.post(reverse("programs:development_update", args=[development.pk]),
                {"action_plan": "آموزش مشترک", "diagnostic_study-clear": "on"})
    development.refresh_from_db()
    assert development.action_plan == "آموزش مشترک" and development.diagnostic_study.name.endswith(".pdf")


def test_the_pipeline_shows_projects_near_completion(client, world):
    services.register_project(world.units["half_isfahan"], world.cast.national, physical_progress=75)
    services.register_project(world.units["half_yazd"], world.cast.national, physical_progress=30)
    client.force_login(world.cast.national)
    page = client.get(reverse("programs:project_pipeline"))
    assert [p.unit.name for p in page.context["near"]] == ["طرح نیمه‌تمام"]
    page = client.get(reverse("programs:project_pipeline"), {"threshold": "۲۵"})
    assert len(page.context["near"]) == 2
    client.force_login(world.cast.parks_company)
    page = client.get(reverse("programs:project_pipeline"), {"threshold": "0"})
    assert [p.unit.name for p in page.context["near"]] == ["طرح نیمه‌تمام"]
    assert HalfFinishedProject.objects.count() == 2


def test_the_pipeline_says_how_many_projects_it_lists_of_how_many(client, world, monkeypatch):
    from khoosheh.programs import views

    monkeypatch.setattr(views, "PIPELINE_OTHERS_SHOWN", 1)  # stands for the 300 a page lists
    services.register_project(world.units["half_isfahan"], world.cast.national, physical_progress=20)
    services.register_project(world.units["half_yazd"], world.cast.national, physical_progress=30)
    client.force_login(world.cast.national)
    page = client.get(reverse("programs:project_pipeline"))
    assert [p.physical_progress for p in page.context["others"]] == [30]  # the most advanced first
    html = " ".join(page.content.decode().split())
    assert "دیگر طرح‌های نیمه‌تمام: ۲" in html and "۱ طرحِ پیشرفته‌تر از ۲ طرح فهرست شده است." in html


def test_the_overview_shows_targets_against_achievements(client, world):
    services.set_target(world.cast.national, year=1405, indicator="units_revived", value=10)
    client.force_login(world.cast.national)
    page = client.get(reverse("programs:overview"), {"year": "1405"})
    rows = {r.indicator: r for r in page.context["rows"]}
    assert rows["units_revived"].target == 10 and rows["units_revived"].achieved == 0
    client.force_login(world.cast.isfahan)
    response = client.post(reverse("programs:set_target"), {"year": 1405, "indicator": "units_revived", "value": 1})
    assert response.status_code == 403


def test_a_target_for_a_province_typed_by_name_is_refused_under_the_province(client, world):
    from khoosheh.programs.models import AnnualTarget

    client.force_login(world.cast.national)
    response = client.post(reverse("programs:set_target"), {"year": 1405, "indicator": "units_revived",
                                                            "province": "اصفهان", "value": 3})
    assert response.status_code == 200 and not AnnualTarget.objects.exists()
    assert "استان" in assert_error_follows_its_field(parse_html(response.content.decode()), "province")


def test_the_target_form_offers_the_provinces_by_name(client, world):
    client.force_login(world.cast.national)
    html = client.get(reverse("programs:overview")).content.decode()
    assert '<select name="province"' in html and '<option value="10">اصفهان</option>' in html
    client.post(reverse("programs:set_target"), {"year": 1405, "indicator": "units_revived", "province": "10",
                                                 "value": 3})
    assert services.AnnualTarget.objects.get().province_id == "10"


def test_a_target_for_an_unknown_province_code_is_refused_by_the_service(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.set_target(world.cast.national, year=1405, indicator="units_revived", value=1, province_code="99")


def test_a_consortium_is_formed_from_a_cluster_by_ticking_its_units(client, world):
    for i, unit in enumerate(world.members):
        unit.national_id = ["10101234565", "10860012342", "10320456783", "14102223335"][i]
        unit.save()
    client.force_login(world.cast.national)
    url = reverse("programs:consortium_new", args=[world.cluster.pk])
    # The cluster's units are offered by name, county and national ID, in Persian digits.
    html = client.get(url).content.decode()
    assert html.count('name="members"') == 4 and "کاشی ۰ · میبد · \u2066۱۰۱۰۱۲۳۴۵۶۵\u2069" in html
    response = client.post(url, {
        "name": "کنسرسیوم کاشی میبد", "members": [u.pk for u in world.members[:3]],
        "products_hs": "6907.21 ۶۹۰۷۲۲", "target_markets": "عراق، افغانستان", "formed_on": "1405/01/15"})
    assert response.status_code == 302
    page = client.get(response.url)
    consortium = page.context["c"]
    assert consortium.members.count() == 3 and consortium.target_markets == ["عراق", "افغانستان"]
    assert consortium.products_hs == ["690721", "690722"]


def test_a_consortium_member_outside_the_cluster_or_a_bad_hs_code_is_refused(client, world):
    client.force_login(world.cast.national)
    response = client.post(reverse("programs:consortium_new", args=[world.cluster.pk]), {
        "name": "ک", "members": [world.units["idle_yazd"].pk, *[u.pk for u in world.members[:2]]],
        "products_hs": "69-07", "formed_on": "1405/01/15"})
    form = response.context["form"]
    assert response.status_code == 200 and set(form.errors) == {"members", "products_hs"}
    assert "HS" in form.errors["products_hs"][0]


def test_a_records_change_history_is_on_its_page(client, world):
    client.force_login(world.cast.isfahan)
    case = services.open_case(world.units["idle_isfahan"], world.cast.isfahan)
    services.diagnose(case, world.cast.isfahan, problems=["legal"], main_problem="legal")
    html = client.get(reverse("programs:case_detail", args=[case.pk])).content.decode()
    # Who (isfahan), and the stage before and after the diagnosis, in words: the field's label, the
    # choices' labels, the problems as a list of labels (never a Python list), the opening date in Jalali.
    history = html[html.index('class="history"'):]
    assert "isfahan" in history and "مرحله" in history
    assert "پذیرش" in history and "تشخیص داده‌شده" in history and "stage" not in history
    assert "[" not in history and "legal" not in history and "حقوقی" in history
    opened = format_jalali(timezone.localdate())
    assert opened in history and "20" + str(timezone.localdate().year)[2:] not in history


@pytest.mark.parametrize("url_name", ["programs:case_list", "programs:consortium_list", "programs:project_pipeline"])
def test_an_empty_program_list_says_why_and_where_records_come_from(client, world, url_name):
    """A parks company with no case, consortium or project yet is told so, not shown a table with a dash."""
    client.force_login(world.cast.parks_company)
    html = client.get(reverse(url_name)).content.decode()
    assert "در دسترس شما نیست" in html
    assert 'class="muted">—</td>' not in html


def test_the_agent_is_named_by_their_full_name_on_the_development_pages(client, world):
    agent = world.cast.agent
    agent.first_name = "مریم احمدی"
    agent.save()
    development = services.start_development(world.cluster, world.cast.national, agent=agent)
    client.force_login(world.cast.national)
    detail = client.get(reverse("programs:development_detail", args=[development.pk])).content.decode()
    listed = client.get(reverse("programs:development_list")).content.decode()
    # The person's name, not the username they sign in with.
    assert "عامل توسعه: مریم احمدی" in detail and "<td>مریم احمدی</td>" in listed
    assert f"<td>{agent.username}</td>" not in listed


def test_an_agent_without_a_name_is_shown_by_username(client, world):
    development = services.start_development(world.cluster, world.cast.national, agent=world.cast.agent)
    client.force_login(world.cast.national)
    detail = client.get(reverse("programs:development_detail", args=[development.pk])).content.decode()
    assert f"عامل توسعه: {world.cast.agent.username}" in detail


def test_the_targets_form_has_its_own_heading(client, world):
    client.force_login(world.cast.national)
    page = client.get(reverse("programs:overview")).content.decode()
    # A section heading like the page's others, right before the form it names.
    heading = page.index("<h2>تعیین هدف سالانه</h2>")
    assert page.index(f'action="{reverse("programs:set_target")}"') > heading
    assert "<h2>" not in page[heading + 5:page.index(f'action="{reverse("programs:set_target")}"')]
