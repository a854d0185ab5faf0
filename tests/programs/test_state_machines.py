"""Every program record moves only along its allowed paths."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from khoosheh.programs import services
from khoosheh.programs.models import ClinicCase, Phase
from khoosheh.registry.models import ProductionUnit, UnitStatusChange
from tests.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def development(world):
    return services.start_development(world.cluster, world.cast.national, agent=world.cast.agent)


def phases(development):
    development.refresh_from_db()
    return development.phase


def with_study(development, user):
    services.update_development(development, user, diagnostic_study=ContentFile(b"%PDF-1.4", name="study.pdf"))


# --- cluster development: identified -> diagnostic -> trust building -> joint actions -> self-governance

def test_phases_advance_one_step_at_a_time_to_self_governance(development, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = world.cast.national
    services.change_phase(development, user, Phase.DIAGNOSTIC)
    with_study(development, user)
    for phase in (Phase.TRUST_BUILDING, Phase.JOINT_ACTIONS, Phase.SELF_GOVERNANCE):
        services.change_phase(development, user, phase)
    assert phases(development) == Phase.SELF_GOVERNANCE
    assert list(development.phase_changes.order_by("id").values_list("new_phase", flat=True)) == \
        [Phase.IDENTIFIED, Phase.DIAGNOSTIC, Phase.TRUST_BUILDING, Phase.JOINT_ACTIONS, Phase.SELF_GOVERNANCE]


def test_a_jump_is_refused_naming_the_next_phase(development, world):
    with pytest.raises(ValidationError) as refusal:
        services.change_phase(development, world.cast.national, Phase.JOINT_ACTIONS)
    assert "مطالعه تشخیصی" in refusal.value.messages[0]  # the next phase is the diagnostic study
    assert phases(development) == Phase.IDENTIFIED


def test_leaving_the_diagnostic_phase_needs_the_study(development, world):
    services.change_phase(development, world.cast.national, Phase.DIAGNOSTIC)
    with pytest.raises(ValidationError, match="بارگذاری"):
        services.change_phase(development, world.cast.national, Phase.TRUST_BUILDING)


def test_the_diagnostic_phase_needs_an_agent(world):
    development = services.start_development(world.cluster, world.cast.national)
    with pytest.raises(ValidationError, match="عامل"):
        services.change_phase(development, world.cast.national, Phase.DIAGNOSTIC)


def test_going_back_one_phase_needs_a_reason(development, world):
    services.change_phase(development, world.cast.national, Phase.DIAGNOSTIC)
    with pytest.raises(ValidationError):
        services.change_phase(development, world.cast.national, Phase.IDENTIFIED)
    services.change_phase(development, world.cast.national, Phase.IDENTIFIED, note="عامل کناره گرفت")
    assert phases(development) == Phase.IDENTIFIED


def test_a_cluster_enters_development_once(development, world):
    with pytest.raises(ValidationError):
        services.start_development(world.cluster, world.cast.national)


def test_joint_actions_take_only_cluster_members(development, world):
    action = services.add_joint_action(development, world.cast.agent, kind="training", title="آموزش لعاب",
                                       start_date=TODAY, budget=500_000_000, participants=world.members[:2])
    assert action.participants.count() == 2
    with pytest.raises(ValidationError, match="عضو خوشه نیستند"):
        services.add_joint_action(development, world.cast.agent, kind="training", title="x", start_date=TODAY,
                                  participants=[world.units["idle_yazd"]])


# --- business clinic: intake -> diagnosed -> intervening -> closed (revived / closed down / still idle)

@pytest.fixture
def case(world):
    return services.open_case(world.units["idle_isfahan"], world.cast.isfahan, opened_on=TODAY)


def test_a_case_runs_from_intake_to_revival_and_revives_the_unit(case, world):
    user = world.cast.isfahan
    services.diagnose(case, user, problems=["financial", "market"], main_problem="financial")
    services.add_intervention(case, user, kind="working_capital_loan", amount=2_000_000_000, date=TODAY)
    services.add_follow_up(case, user, date=TODAY, note="تولید آزمایشی آغاز شد")
    services.close_case(case, user, outcome="revived", on=TODAY, jobs_restored=12)
    case.refresh_from_db()
    assert (case.stage, case.outcome, case.jobs_restored) == ("closed", "revived", 12)
    unit = ProductionUnit.objects.get(pk=case.unit_id)
    assert unit.status == "active"
    change = UnitStatusChange.objects.get(unit=unit)
    assert (change.old_status, change.new_status, change.changed_by) == ("idle", "active", user)
    assert change.source == f"clinic:{case.pk}"


def test_a_closed_down_outcome_closes_the_unit_and_still_idle_leaves_it(world):
    user = world.cast.national
    first = services.open_case(world.units["idle_isfahan"], user, opened_on=TODAY)
    services.diagnose(first, user, problems=["legal"], main_problem="legal")
    services.close_case(first, user, outcome="still_idle", on=TODAY)
    assert ProductionUnit.objects.get(pk=first.unit_id).status == "idle"
    second = services.open_case(world.units["idle_isfahan"], user, opened_on=TODAY)
    services.diagnose(second, user, problems=["legal"], main_problem="legal")
    services.close_case(second, user, outcome="closed_down", on=TODAY)
    assert ProductionUnit.objects.get(pk=second.unit_id).status == "closed"


@pytest.mark.parametrize("step", ["intervention", "follow_up", "close"])
def test_nothing_happens_before_diagnosis(case, world, step):
    user = world.cast.isfahan
    with pytest.raises(ValidationError, match="تشخیص|مرحله"):
        {"intervention": lambda: services.add_intervention(case, user, kind="legal_mediation", date=TODAY),
         "follow_up": lambda: services.add_follow_up(case, user, date=TODAY, note="x"),
         "close": lambda: services.close_case(case, user, outcome="revived", on=TODAY)}[step]()


def test_a_closed_case_takes_no_more_steps(case, world):
    user = world.cast.isfahan
    services.diagnose(case, user, problems=["market"], main_problem="market")
    services.close_case(case, user, outcome="still_idle", on=TODAY)
    with pytest.raises(ValidationError):
        services.add_intervention(case, user, kind="management_consulting", date=TODAY)
    with pytest.raises(ValidationError):
        services.diagnose(case, user, problems=["legal"], main_problem="legal")


def test_only_idle_units_get_a_case_and_only_one_open_case(case, world):
    with pytest.raises(ValidationError, match="راکد"):
        services.open_case(world.members[0], world.cast.national)
    with pytest.raises(ValidationError, match="باز"):
        services.open_case(world.units["idle_isfahan"], world.cast.national)


def test_the_main_problem_must_be_among_the_diagnosed(case, world):
    with pytest.raises(ValidationError):
        services.diagnose(case, world.cast.isfahan, problems=["legal"], main_problem="financial")
    with pytest.raises(ValidationError):
        services.diagnose(case, world.cast.isfahan, problems=["astrology"], main_problem="astrology")


def test_jobs_restored_only_for_a_revival(case, world):
    services.diagnose(case, world.cast.isfahan, problems=["legal"], main_problem="legal")
    with pytest.raises(ValidationError):
        services.close_case(case, world.cast.isfahan, outcome="still_idle", on=TODAY, jobs_restored=5)
    assert ClinicCase.objects.get(pk=case.pk).stage == "diagnosed"


# --- half-finished projects: registered -> updated -> opened

def test_opening_a_project_activates_its_unit(world):
    user = world.cast.isfahan
    project = services.register_project(world.units["half_isfahan"], user, physical_progress=55,
                                        investment_needed=40_000, planned_jobs=30)
    services.update_project(project, user, physical_progress=85, blockers="کمبود نقدینگی")
    services.open_project(project, user, on=TODAY)
    project.refresh_from_db()
    assert project.physical_progress == 100 and project.actual_opening == TODAY
    assert ProductionUnit.objects.get(pk=project.unit_id).status == "active"
    with pytest.raises(ValidationError):
        services.open_project(project, user, on=TODAY)
    with pytest.raises(ValidationError):
        services.update_project(project, user, physical_progress=50)


def test_only_half_finished_units_have_projects_and_progress_is_a_percentage(world):
    with pytest.raises(ValidationError):
        services.register_project(world.units["idle_isfahan"], world.cast.national)
    with pytest.raises(ValidationError):
        services.register_project(world.units["half_isfahan"], world.cast.national, physical_progress=120)


def test_consortia_need_three_members_and_real_hs_codes(world):
    with pytest.raises(ValidationError, match="عضو"):
        services.form_consortium(world.cast.national, name="x", province_code="21", members=world.members[:2])
    with pytest.raises(ValidationError, match="HS"):
        services.form_consortium(world.cast.national, name="x", province_code="21", members=world.members[:3],
                                 products_hs=["69XX"])
    consortium = services.form_consortium(world.cast.national, name="کنسرسیوم کاشی یزد", province_code="21",
                                          members=world.members[:3], clusters=[world.cluster],
                                          products_hs=["690721"], target_markets=["عراق", "افغانستان"])
    services.record_exports(consortium, world.cast.national, year=1404, value_usd=1_200_000)
    assert consortium.exports.get().value_usd == 1_200_000
