"""A day on which something happened (a follow-up, an intervention, a case's outcome, a project's opening, a
year's exports) cannot be after today, on a page or through the API; a planned day (an expected opening, a
joint action's start or end) may lie ahead."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test.html import parse_html
from django.urls import reverse
from django.utils import timezone

from khoosheh.accounts.tokens import make_token
from khoosheh.core.jalali import format_jalali, jalali_year
from khoosheh.programs import services
from khoosheh.programs.models import ConsortiumExport, FollowUp, HalfFinishedProject, Intervention, JointAction
from tests.form_pages import assert_error_follows_its_field

pytestmark = pytest.mark.django_db


def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


def test_a_follow_up_dated_tomorrow_is_refused_and_not_saved(world, diagnosed_case):
    with pytest.raises(ValidationError, match="پس از امروز"):
        services.add_follow_up(diagnosed_case, world.cast.isfahan, date=tomorrow(), note="تماس تلفنی")
    assert not FollowUp.objects.exists()


def test_a_follow_up_dated_today_is_saved(world, diagnosed_case):
    services.add_follow_up(diagnosed_case, world.cast.isfahan, date=timezone.localdate(), note="تماس تلفنی")
    assert FollowUp.objects.count() == 1


def test_an_intervention_dated_tomorrow_is_refused(world, diagnosed_case):
    with pytest.raises(ValidationError, match="پس از امروز"):
        services.add_intervention(diagnosed_case, world.cast.isfahan, kind="working_capital_loan", date=tomorrow())
    assert not Intervention.objects.exists()


def test_a_cases_outcome_dated_tomorrow_is_refused_and_the_case_stays_open(world, diagnosed_case):
    with pytest.raises(ValidationError, match="پس از امروز"):
        services.close_case(diagnosed_case, world.cast.isfahan, outcome="revived", on=tomorrow())
    diagnosed_case.refresh_from_db()
    assert diagnosed_case.stage == "diagnosed"


def test_a_case_opened_tomorrow_is_refused(world):
    with pytest.raises(ValidationError, match="پس از امروز"):
        services.open_case(world.units["idle_isfahan"], world.cast.isfahan, opened_on=tomorrow())


def test_a_projects_opening_dated_tomorrow_is_refused_and_the_project_stays_unopened(world, project):
    with pytest.raises(ValidationError, match="پس از امروز"):
        services.open_project(project, world.cast.national, on=tomorrow())
    assert HalfFinishedProject.objects.get(pk=project.pk).actual_opening is None


def test_an_expected_opening_may_lie_ahead(world, project):
    next_year = timezone.localdate() + dt.timedelta(days=400)
    services.update_project(project, world.cast.national, expected_opening=next_year)
    assert HalfFinishedProject.objects.get(pk=project.pk).expected_opening == next_year


def test_exports_of_a_year_not_yet_begun_are_refused(world, consortium):
    next_year = jalali_year(timezone.localdate()) + 1
    with pytest.raises(ValidationError, match="سال جاری"):
        services.record_exports(consortium, world.cast.national, year=next_year, value_usd=1000)
    assert not ConsortiumExport.objects.exists()


def test_exports_of_this_year_are_recorded(world, consortium):
    services.record_exports(consortium, world.cast.national, year=jalali_year(timezone.localdate()), value_usd=10)
    assert ConsortiumExport.objects.get().value_usd == 10


def test_a_consortium_formed_tomorrow_is_refused(world):
    with pytest.raises(ValidationError, match="پس از امروز"):
        services.form_consortium(world.cast.national, name="کنسرسیوم", province_code="21",
                                 members=world.members[:3], formed_on=tomorrow())


def test_a_joint_action_may_be_planned_ahead(world):
    development = services.start_development(world.cluster, world.cast.national)
    start = tomorrow()
    action = services.add_joint_action(development, world.cast.national, kind="training", title="دوره آموزشی",
                                       start_date=start, end_date=start + dt.timedelta(days=30))
    assert action.start_date == start


# A joint action is planned as well as recorded (UNIDO's trust-building phase plans the first joint actions), so
# its start is not bounded by today; its end is bounded by its start.

def test_a_joint_action_cannot_end_before_it_starts(world):
    development = services.start_development(world.cluster, world.cast.national)
    start = tomorrow()
    with pytest.raises(ValidationError, match="پیش از آغاز"):
        services.add_joint_action(development, world.cast.national, kind="training", title="دوره آموزشی",
                                  start_date=start, end_date=start - dt.timedelta(days=1))
    assert not JointAction.objects.exists()


def test_a_one_day_joint_action_ends_on_the_day_it_starts(world):
    development = services.start_development(world.cluster, world.cast.national)
    action = services.add_joint_action(development, world.cast.national, kind="exhibition", title="حضور در نمایشگاه",
                                       start_date=tomorrow(), end_date=tomorrow())
    assert action.end_date == action.start_date


def test_a_joint_action_typed_on_the_page_ending_before_it_starts_is_refused_in_persian(client, world):
    development = services.start_development(world.cluster, world.cast.national)
    client.force_login(world.cast.national)
    response = client.post(reverse("programs:development_update", args=[development.pk]), {
        "kind": "training", "title": "دوره آموزشی", "start_date": "1406/02/10", "end_date": "1406/02/01",
        "budget": "0"})
    # The page again, the service's reason under the end's box.
    error = assert_error_follows_its_field(parse_html(response.content.decode()), "end_date")
    assert "پایان اقدام پیش از آغاز آن است" in error
    assert not JointAction.objects.exists()


def test_a_far_future_follow_up_typed_on_the_page_is_refused_with_a_persian_message(client, world, diagnosed_case):
    client.force_login(world.cast.isfahan)
    response = client.post(reverse("programs:case_step", args=[diagnosed_case.pk, "follow_up"]),
                           {"date": "1500/01/01", "note": "بازدید"})
    error = assert_error_follows_its_field(parse_html(response.content.decode()), "date", ids="follow_up")
    assert "پس از امروز" in error and format_jalali(timezone.localdate()) in error
    assert not FollowUp.objects.exists()


def test_the_api_refuses_a_far_future_follow_up_with_422(client, world, diagnosed_case):
    response = client.post(f"/api/v1/programs/clinic-cases/{diagnosed_case.pk}/follow-ups",
                           {"date": "1500/01/01", "note": "بازدید"}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {make_token(world.cast.isfahan)}")
    assert response.status_code == 422 and "پس از امروز" in response.json()["detail"]
    assert not FollowUp.objects.exists()


def test_a_development_started_tomorrow_is_refused(world):
    with pytest.raises(ValidationError, match="پس از امروز"):
        services.start_development(world.cluster, world.cast.national, started_on=tomorrow())
