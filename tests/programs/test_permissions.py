"""The permission matrix: every role x every record type x read / change, no leak.

Each role is checked against a record in its own reach and one outside it."""

import pytest
from django.core.exceptions import PermissionDenied

from khoosheh.programs import services
from khoosheh.programs.models import (
    AnnualTarget,
    ClinicCase,
    ClusterDevelopment,
    ExportConsortium,
    HalfFinishedProject,
)
from khoosheh.programs.permissions import can_change
from khoosheh.programs.selectors import visible

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(world, django_user_model):
    national = world.cast.national
    yazd_dev = services.start_development(world.cluster, national, agent=world.cast.agent)
    consortium = services.form_consortium(national, name="ک", province_code="21", members=world.members[:3],
                                          clusters=[world.cluster])
    case_in_park = services.open_case(world.units["idle_isfahan"], national)  # Isfahan, in the parks company's park
    case_yazd = services.open_case(world.units["idle_yazd"], national)
    project_in_park = services.register_project(world.units["half_isfahan"], national)
    project_yazd = services.register_project(world.units["half_yazd"], national)
    national_target = services.set_target(national, year=1404, indicator="units_revived", value=10)
    isfahan_target = services.set_target(national, year=1404, indicator="units_revived", value=3, province_code="10")
    yazd_target = services.set_target(national, year=1404, indicator="units_revived", value=2, province_code="21")
    return {
        ClusterDevelopment: ([yazd_dev], {"national": [yazd_dev], "isfahan": [], "viewer": [yazd_dev],
                                          "agent": [yazd_dev], "parks_company": []}),
        ExportConsortium: ([consortium], {"national": [consortium], "isfahan": [], "viewer": [consortium],
                                          "agent": [consortium], "parks_company": []}),
        ClinicCase: ([case_in_park, case_yazd], {"national": [case_in_park, case_yazd], "isfahan": [case_in_park],
                                                 "viewer": [case_in_park, case_yazd], "agent": [],
                                                 "parks_company": [case_in_park]}),
        HalfFinishedProject: ([project_in_park, project_yazd], {
            "national": [project_in_park, project_yazd], "isfahan": [project_in_park],
            "viewer": [project_in_park, project_yazd], "agent": [], "parks_company": [project_in_park]}),
        AnnualTarget: ([national_target, isfahan_target, yazd_target], {
            "national": [national_target, isfahan_target, yazd_target],
            "isfahan": [national_target, isfahan_target], "viewer": [national_target, isfahan_target, yazd_target],
            "agent": [], "parks_company": []}),
    }


# Who may change what, of what they can see.
CHANGES = {
    "national": {ClusterDevelopment, ExportConsortium, ClinicCase, HalfFinishedProject, AnnualTarget},
    "isfahan": {ClinicCase, HalfFinishedProject},  # (the Isfahan ones it sees)
    "viewer": set(),
    "agent": {ClusterDevelopment},
    "parks_company": {ClinicCase, HalfFinishedProject},
}
ROLES = ["national", "isfahan", "viewer", "agent", "parks_company"]
MODELS = [ClusterDevelopment, ExportConsortium, ClinicCase, HalfFinishedProject, AnnualTarget]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("role", ROLES)
def test_read(world, records, role, model):
    user = getattr(world.cast, role)
    everything, expected = records[model]
    assert set(visible(user, model.objects.all())) == set(expected[role])


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("role", ROLES)
def test_change(world, records, role, model):
    user = getattr(world.cast, role)
    everything, expected = records[model]
    for record in everything:
        allowed = model in CHANGES[role] and record in expected[role]
        assert can_change(user, record) == allowed, (role, model.__name__, record)


def test_services_enforce_the_matrix(world, records):
    case_yazd = records[ClinicCase][0][1]
    with pytest.raises(PermissionDenied):
        services.diagnose(case_yazd, world.cast.isfahan, problems=["legal"], main_problem="legal")
    with pytest.raises(PermissionDenied):
        services.diagnose(case_yazd, world.cast.parks_company, problems=["legal"], main_problem="legal")
    with pytest.raises(PermissionDenied):
        services.set_target(world.cast.isfahan, year=1404, indicator="units_revived", value=1, province_code="10")
    with pytest.raises(PermissionDenied):
        services.open_case(world.units["idle_yazd"], world.cast.viewer)


# --- overview pages: national and provincial figures are for staff (issue 17, finding 7) ------------------------

OVERVIEW_ROLES = ["national", "isfahan", "viewer", "agent", "parks_company", "owner"]
STAFF = {"national", "isfahan", "viewer"}


@pytest.fixture
def overview_pages(world, django_user_model):
    from khoosheh.accounts.models import Role
    from khoosheh.clusters.models import IdentificationRun

    owner = django_user_model.objects.create_user("owner", password="x", role=Role.UNIT_OWNER)
    owner.units.add(world.units["idle_yazd"])
    world.cast.owner = owner
    services.set_target(world.cast.national, year=1404, indicator="units_revived", value=987654)
    older = IdentificationRun.objects.create(params={}, n_units=1, n_candidates=0)
    newer = IdentificationRun.objects.create(params={}, n_units=1, n_candidates=0)
    return [f"/clusters/runs/compare/?a={older.pk}&b={newer.pk}", "/clusters/runs/", f"/clusters/runs/{newer.pk}/",
            "/dashboard/province/21/", "/dashboard/report.xlsx?year=1404"]


@pytest.mark.parametrize("role", OVERVIEW_ROLES)
def test_only_staff_open_run_comparisons_dashboards_and_area_reports(client, world, overview_pages, role):
    client.force_login(getattr(world.cast, role))
    for path in overview_pages:
        status = client.get(path).status_code
        if role in STAFF:
            outside = role == "isfahan" and path == "/dashboard/province/21/"  # Yazd: another province, refused
            assert status == (403 if outside else 200), (role, path, status)
        else:
            assert status == 403, (role, path, status)


@pytest.mark.parametrize("role", OVERVIEW_ROLES)
def test_roles_without_the_overview_land_on_their_own_records_not_the_targets(client, world, overview_pages, role):
    client.force_login(getattr(world.cast, role))
    for path in ("/", "/programs/?year=1404"):
        response = client.get(path, follow=True)
        assert response.status_code == 200, (role, path)
        # The national target (987,654) is shown to staff only.
        shown = "۹۸۷٬۶۵۴" in response.content.decode() or "987,654" in response.content.decode()
        assert shown == (role in {"national", "viewer"} and path.startswith("/programs")), (role, path)
