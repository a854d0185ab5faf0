"""Achievements are computed from records, by Jalali year (1 Farvardin to the end of Esfand)."""

import pytest

from khoosheh.programs import services
from khoosheh.programs.achievements import achievements, idle_causes, targets_vs_achievements
from khoosheh.programs.models import ClinicCase, Indicator

pytestmark = pytest.mark.django_db


def revive(world, unit, on, jobs=5):
    user = world.cast.national
    case = services.open_case(unit, user, opened_on=on)
    services.diagnose(case, user, problems=["financial"], main_problem="financial")
    services.close_case(case, user, outcome="revived", on=on, jobs_restored=jobs)
    return case


def test_a_unit_revived_on_29_esfand_counts_in_the_old_year_and_on_1_farvardin_in_the_new(world, jalali):
    # 1402 is not a leap year: 29 Esfand is its last day.
    revive(world, world.units["idle_isfahan"], jalali(1402, 12, 29), jobs=7)
    revive(world, world.units["idle_yazd"], jalali(1403, 1, 1), jobs=3)
    assert achievements(1402)[Indicator.UNITS_REVIVED] == 1
    assert achievements(1403)[Indicator.UNITS_REVIVED] == 1
    assert achievements(1402)[Indicator.JOBS_CREATED] == 7
    assert achievements(1403, province="21")[Indicator.JOBS_CREATED] == 3
    assert achievements(1403, province="10")[Indicator.UNITS_REVIVED] == 0


def test_30_esfand_of_a_leap_year_is_still_the_old_year(world, jalali):
    revive(world, world.units["idle_isfahan"], jalali(1403, 12, 30))
    assert achievements(1403)[Indicator.UNITS_REVIVED] == 1 and achievements(1404)[Indicator.UNITS_REVIVED] == 0


def test_every_indicator_counts_its_own_records(world, jalali):
    user = world.cast.national
    services.start_development(world.cluster, user, started_on=jalali(1404, 2, 1))
    services.form_consortium(user, name="کنسرسیوم", province_code="21", members=world.members[:3],
                             formed_on=jalali(1404, 5, 1))
    project = services.register_project(world.units["half_yazd"], user, physical_progress=90, planned_jobs=40)
    services.open_project(project, user, on=jalali(1404, 8, 1))
    revive(world, world.units["idle_yazd"], jalali(1404, 9, 1), jobs=6)
    assert achievements(1404) == {
        Indicator.CLUSTERS_IN_DEVELOPMENT: 1, Indicator.CONSORTIA_FORMED: 1, Indicator.UNITS_REVIVED: 1,
        Indicator.PROJECTS_OPENED: 1, Indicator.JOBS_CREATED: 46,
    }


def test_targets_are_set_by_national_staff_and_shown_against_achievements(world, jalali):
    services.set_target(world.cast.national, year=1404, indicator=Indicator.UNITS_REVIVED, value=4)
    services.set_target(world.cast.national, year=1404, indicator=Indicator.UNITS_REVIVED, value=2)  # revised
    revive(world, world.units["idle_yazd"], jalali(1404, 3, 3))
    rows = {r.indicator: r for r in targets_vs_achievements(1404)}
    assert (rows["units_revived"].target, rows["units_revived"].achieved, rows["units_revived"].percent) == (2, 1, 50)
    assert rows["consortia_formed"].target is None


def test_what_keeps_units_idle_by_province(world, jalali):
    user = world.cast.national
    for unit, cause in ((world.units["idle_isfahan"], "financial"), (world.units["idle_yazd"], "market")):
        case = services.open_case(unit, user, opened_on=jalali(1404, 1, 10))
        services.diagnose(case, user, problems=[cause, "legal"], main_problem=cause)
    rows = idle_causes(ClinicCase.objects.all(), 1404)
    assert {(r["province_id"], r["main_problem"], r["share"]) for r in rows} == {("10", "financial", 1.0),
                                                                                 ("21", "market", 1.0)}
