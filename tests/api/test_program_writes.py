"""Program records written through the API: the same state machines, permissions and audit
as the portal's pages, with the API named as the source in the audit trail."""

import pytest

from khoosheh.accounts.models import AuditEntry
from khoosheh.accounts.tokens import make_token
from khoosheh.programs import services
from khoosheh.programs.models import AnnualTarget, ClinicCase, ClusterDevelopment, ExportConsortium
from khoosheh.registry.models import UnitStatusChange
from tests.conftest import make_unit

pytestmark = pytest.mark.django_db


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {make_token(user)}"}


@pytest.fixture
def post(client):
    def send(user, path, data=None, method="post"):
        return getattr(client, method)(f"/api/v1/programs{path}", data or {}, content_type="application/json",
                                       **bearer(user))
    return send


def test_a_clinic_case_goes_from_intake_to_revival_through_the_api(post, world):
    unit, staff = world.units["idle_isfahan"], world.cast.isfahan
    opened = post(staff, "/clinic-cases", {"unit": unit.pk, "opened_on": "1405/01/15"})
    assert opened.status_code == 201, opened.content
    case_id = opened.json()["id"]
    assert opened.json()["opened_on_jalali"] == "1405/01/15"
    assert post(staff, f"/clinic-cases/{case_id}/diagnosis",
                {"problems": ["financial", "market"], "main_problem": "financial"}).status_code == 200
    assert post(staff, f"/clinic-cases/{case_id}/interventions",
                {"kind": "working_capital_loan", "date": "2026-05-01", "amount": 5_000_000_000}).status_code == 200
    closed = post(staff, f"/clinic-cases/{case_id}/outcome", {"outcome": "revived", "on": "1405/03/01",
                                                             "jobs_restored": 12})
    assert closed.status_code == 200 and closed.json()["stage"] == "closed"
    unit.refresh_from_db()
    assert unit.status == "active"
    assert UnitStatusChange.objects.filter(unit=unit, new_status="active", source=f"clinic:{case_id}").exists()
    trail = AuditEntry.objects.filter(record_type="programs.cliniccase", record_id=str(case_id))
    assert trail.count() >= 4 and set(trail.values_list("source", flat=True)) == {"api"}
    assert set(trail.values_list("actor", flat=True)) == {staff.pk}


def test_a_step_out_of_order_is_refused_with_the_reason_in_persian(post, world):
    case = services.open_case(world.units["idle_isfahan"], world.cast.national)
    response = post(world.cast.isfahan, f"/clinic-cases/{case.pk}/outcome", {"outcome": "revived",
                                                                           "on": "2026-06-01"})
    assert response.status_code == 422
    assert "«پذیرش»" in response.json()["detail"] or "مرحله" in response.json()["detail"]
    case.refresh_from_db()
    assert case.stage == ClinicCase.Stage.INTAKE


def test_a_case_is_opened_only_for_an_idle_unit(post, world):
    response = post(world.cast.national, "/clinic-cases", {"unit": world.units["half_yazd"].pk})
    assert response.status_code == 422 and "راکد" in response.json()["detail"]
    assert not ClinicCase.objects.exists()


def test_a_bad_jalali_date_is_refused_with_its_reason(post, world):
    response = post(world.cast.national, "/clinic-cases", {"unit": world.units["idle_yazd"].pk,
                                                          "opened_on": "1404/12/30"})
    assert response.status_code == 422 and "۲۹ روز" in str(response.json()["detail"])


def test_records_of_another_province_are_not_found_and_readers_may_not_write(post, world):
    case = services.open_case(world.units["idle_yazd"], world.cast.national)
    diagnosis = {"problems": ["legal"], "main_problem": "legal"}
    assert post(world.cast.isfahan, f"/clinic-cases/{case.pk}/diagnosis", diagnosis).status_code == 404
    assert post(world.cast.viewer, f"/clinic-cases/{case.pk}/diagnosis", diagnosis).status_code == 403
    assert post(world.cast.isfahan, "/clinic-cases", {"unit": world.units["idle_yazd"].pk}).status_code == 404
    case.refresh_from_db()
    assert case.stage == ClinicCase.Stage.INTAKE and not AuditEntry.objects.filter(source="api").exists()


def test_a_half_finished_project_is_registered_updated_and_opened(post, world):
    unit, staff = world.units["half_isfahan"], world.cast.parks_company
    created = post(staff, "/projects", {"unit": unit.pk, "physical_progress": 55, "investment_needed": 9000,
                                        "expected_opening": "1405/06/01"})
    assert created.status_code == 201, created.content
    project_id = created.json()["id"]
    assert created.json()["expected_opening"] == "2026-08-23"
    updated = post(staff, f"/projects/{project_id}", {"physical_progress": 80}, method="patch")
    assert updated.json()["physical_progress"] == 80 and updated.json()["investment_needed"] == 9000
    assert post(staff, f"/projects/{project_id}", {"physical_progress": 120}, method="patch").status_code == 422
    opened = post(staff, f"/projects/{project_id}/opening", {"on": "1405/07/01", "jobs": 30})
    assert opened.json()["physical_progress"] == 100 and opened.json()["planned_jobs"] == 30
    unit.refresh_from_db()
    assert unit.status == "active"
    again = post(staff, f"/projects/{project_id}/opening", {"on": "1405/07/02"})
    assert again.status_code == 422 and "افتتاح" in again.json()["detail"]


def test_targets_are_set_by_national_staff_only(post, world):
    target = {"year": 1405, "indicator": "units_revived", "value": 400, "province": "10"}
    assert post(world.cast.isfahan, "/targets", target, method="put").status_code == 403
    response = post(world.cast.national, "/targets", target, method="put")
    assert response.status_code == 200 and response.json()["value"] == 400
    post(world.cast.national, "/targets", {**target, "value": 450}, method="put")
    assert AnnualTarget.objects.get(year=1405, province_id="10").value == 450
    entry = AuditEntry.objects.filter(record_type="programs.annualtarget").first()
    assert (entry.before, entry.after, entry.source) == ({"value": 400}, {"value": 450}, "api")
    assert post(world.cast.national, "/targets", {**target, "province": "99"}, method="put").status_code == 422
    assert post(world.cast.national, "/targets", {**target, "year": 2026}, method="put").status_code == 422


def test_a_cluster_moves_through_unido_phases_one_at_a_time(post, world):
    started = post(world.cast.national, "/developments", {"cluster": world.cluster.pk, "agent": "agent"})
    assert started.status_code == 201 and started.json()["phase"] == "identified"
    development_id = started.json()["id"]
    jump = post(world.cast.agent, f"/developments/{development_id}/phase", {"phase": "joint_actions"})
    assert jump.status_code == 422 and "نمی‌توان" in jump.json()["detail"]
    step = post(world.cast.agent, f"/developments/{development_id}/phase", {"phase": "diagnostic"})
    assert step.status_code == 200 and step.json()["phase"] == "diagnostic"
    back = post(world.cast.agent, f"/developments/{development_id}/phase", {"phase": "identified"})
    assert back.status_code == 422 and "دلیل" in back.json()["detail"]
    assert ClusterDevelopment.objects.get().phase == "diagnostic"
    twice = post(world.cast.national, "/developments", {"cluster": world.cluster.pk})
    assert twice.status_code == 422


def test_an_export_consortium_needs_three_members_and_records_exports(post, world):
    members = [m.pk for m in world.members]
    few = post(world.cast.national, "/consortia", {"name": "کنسرسیوم کاشی", "province": "21",
                                                   "members": members[:2]})
    assert few.status_code == 422 and "۳ عضو" in few.json()["detail"]
    formed = post(world.cast.national, "/consortia", {"name": "كنسرسيوم كاشي", "province": "21",
                                                      "members": members[:3], "clusters": [world.cluster.pk],
                                                      "products_hs": ["690721"]})
    assert formed.status_code == 201, formed.content
    assert formed.json()["name"] == "کنسرسیوم کاشی"  # Arabic letters normalised
    consortium_id = formed.json()["id"]
    exported = post(world.cast.national, f"/consortia/{consortium_id}/exports", {"year": 1404,
                                                                                "value_usd": 1_200_000})
    assert exported.json()["exports"] == {"1404": 1_200_000}
    assert ExportConsortium.objects.get().members.count() == 3


def test_a_consortium_cannot_take_units_the_token_cannot_see(post, world):
    yazd_unit = make_unit("واحد دیگر", "21", "2106")
    response = post(world.cast.isfahan, "/consortia", {"name": "ک", "province": "10",
                                                       "members": [world.units["idle_isfahan"].pk,
                                                                   world.units["half_isfahan"].pk, yazd_unit.pk]})
    assert response.status_code == 404 and str(yazd_unit.pk) in response.json()["detail"]
    assert not ExportConsortium.objects.exists()
