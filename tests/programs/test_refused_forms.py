"""A program form the page refuses says why, in the person's words: each error under its field's Persian label,
never a field's code name, and never a silent redirect that saved nothing."""

import pytest
from django.urls import reverse

from khoosheh.programs import services
from khoosheh.programs.models import ConsortiumExport, HalfFinishedProject

pytestmark = pytest.mark.django_db

REQUIRED = "این فیلد لازم است"


def messages_after(client, url, data) -> list[str]:
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    return [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize(("step", "label", "code"), [
    ("intervention", "تاریخ", "date"),
    ("follow_up", "پیگیری", "note"),
    ("close", "نتیجه", "outcome"),
])
def test_an_empty_clinic_step_names_the_missing_field_by_its_persian_label(client, world, diagnosed_case, step,
                                                                           label, code):
    client.force_login(world.cast.isfahan)
    shown = messages_after(client, reverse("programs:case_step", args=[diagnosed_case.pk, step]), {})
    assert any(m.startswith(label) and REQUIRED in m for m in shown), shown
    assert not any(code in m for m in shown)


def test_an_empty_diagnosis_names_the_problems_field_by_its_label(client, world):
    case = services.open_case(world.units["idle_isfahan"], world.cast.isfahan)
    client.force_login(world.cast.isfahan)
    shown = messages_after(client, reverse("programs:case_step", args=[case.pk, "diagnose"]), {})
    assert any(m.startswith("مشکل") for m in shown) and not any("problems" in m for m in shown)


def test_an_emptied_project_form_names_its_fields_by_their_labels_and_saves_nothing(client, world, project):
    client.force_login(world.cast.national)
    shown = messages_after(client, reverse("programs:project_update", args=[project.pk]), {"physical_progress": ""})
    assert any(m.startswith("پیشرفت فیزیکی") for m in shown), shown
    assert not any("physical_progress" in m or "investment_made" in m for m in shown)
    assert HalfFinishedProject.objects.get(pk=project.pk).physical_progress == 40


def test_an_empty_opening_form_says_the_opening_day_is_missing(client, world, project):
    client.force_login(world.cast.national)
    shown = messages_after(client, reverse("programs:project_update", args=[project.pk]), {"on": ""})
    assert any(m.startswith("تاریخ افتتاح") and REQUIRED in m for m in shown), shown
    assert HalfFinishedProject.objects.get(pk=project.pk).actual_opening is None


def test_an_empty_exports_form_on_a_consortium_page_says_what_is_missing(client, world):
    consortium = services.form_consortium(world.cast.national, name="کنسرسیوم کاشی", province_code="21",
                                          members=world.members[:3])
    client.force_login(world.cast.national)
    shown = messages_after(client, reverse("programs:consortium_detail", args=[consortium.pk]),
                           {"year": "", "value_usd": ""})
    assert any(m.startswith("سال شمسی") and REQUIRED in m for m in shown), shown
    assert any(m.startswith("صادرات") for m in shown), shown
    assert not ConsortiumExport.objects.exists()


def test_an_empty_phase_form_on_a_development_page_says_the_phase_is_missing(client, world):
    development = services.start_development(world.cluster, world.cast.national)
    client.force_login(world.cast.national)
    shown = messages_after(client, reverse("programs:development_update", args=[development.pk]), {"phase": ""})
    assert any(m.startswith("رفتن به مرحله") and REQUIRED in m for m in shown), shown


def test_an_empty_joint_action_names_its_fields_by_their_labels(client, world):
    development = services.start_development(world.cluster, world.cast.national)
    client.force_login(world.cast.national)
    shown = messages_after(client, reverse("programs:development_update", args=[development.pk]),
                           {"kind": "", "title": ""})
    assert any(m.startswith("عنوان") for m in shown), shown
    assert not any("title" in m or "start_date" in m for m in shown)
