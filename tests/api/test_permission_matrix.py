"""The permission matrix through the API: every role x every record type x read and write, no leak.

Each role reads each kind of record through its token and must see exactly what its role
and province give it; each role tries to write a unit and is allowed or refused accordingly."""

import pytest

from khoosheh.accounts.tokens import make_token
from khoosheh.programs import services as programs
from khoosheh.spx import services as spx
from tests.conftest import unit_row

pytestmark = pytest.mark.django_db

ROLES = ["national", "isfahan", "viewer", "agent", "parks_company", "owner"]


@pytest.fixture
def records(world_with_owner):
    world = world_with_owner
    national = world.cast.national
    programs.start_development(world.cluster, national, agent=world.cast.agent)
    case_in_park = programs.open_case(world.units["idle_isfahan"], national)
    case_yazd = programs.open_case(world.units["idle_yazd"], national)
    project_in_park = programs.register_project(world.units["half_isfahan"], national)
    project_yazd = programs.register_project(world.units["half_yazd"], national)
    programs.set_target(national, year=1405, indicator="units_revived", value=10)
    spx.save_profile(world.units["idle_yazd"], national, processes=["casting"], products="قطعه")
    spx.save_profile(world.units["idle_isfahan"], national, processes=["casting"], products="قطعه")
    enquiry_yazd = spx.create_enquiry(national, province_code="21", buyer="x", title="پمپ")
    enquiry_isfahan = spx.create_enquiry(national, province_code="10", buyer="y", title="شیر")
    u = world.units
    all_units = {x.pk for x in [*u.values(), *world.members]}
    park_units = {u["idle_isfahan"].pk, u["half_isfahan"].pk}
    isfahan_units = park_units
    world.records = {"case_in_park": case_in_park, "project_yazd": project_yazd, "enquiry_isfahan": enquiry_isfahan}
    return {
        "/api/v1/units": ("id", {
            "national": all_units, "isfahan": isfahan_units, "viewer": all_units,
            "agent": {m.pk for m in world.members}, "parks_company": park_units, "owner": {u["idle_yazd"].pk}}),
        "/api/v1/clusters": ("id", {
            "national": {world.cluster.pk}, "isfahan": set(), "viewer": {world.cluster.pk},
            "agent": {world.cluster.pk}, "parks_company": set(), "owner": set()}),
        "/api/v1/programs/clinic-cases": ("id", {
            "national": {case_in_park.pk, case_yazd.pk}, "isfahan": {case_in_park.pk},
            "viewer": {case_in_park.pk, case_yazd.pk}, "agent": set(), "parks_company": {case_in_park.pk},
            "owner": {case_yazd.pk}}),  # the case of the unit they keep
        "/api/v1/programs/projects": ("id", {
            "national": {project_in_park.pk, project_yazd.pk}, "isfahan": {project_in_park.pk},
            "viewer": {project_in_park.pk, project_yazd.pk}, "agent": set(),
            "parks_company": {project_in_park.pk}, "owner": set()}),
        "/api/v1/spx/profiles": ("unit", {
            "national": {u["idle_yazd"].pk, u["idle_isfahan"].pk}, "isfahan": {u["idle_isfahan"].pk},
            "viewer": {u["idle_yazd"].pk, u["idle_isfahan"].pk}, "agent": set(),
            "parks_company": {u["idle_isfahan"].pk}, "owner": {u["idle_yazd"].pk}}),
        "/api/v1/spx/enquiries": ("id", {
            "national": {enquiry_yazd.pk, enquiry_isfahan.pk}, "isfahan": {enquiry_isfahan.pk},
            "viewer": {enquiry_yazd.pk, enquiry_isfahan.pk}, "agent": set(), "parks_company": set(),
            "owner": set()}),
    }


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_exactly_its_records(client, world, records, role):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {make_token(getattr(world.cast, role))}"}
    for path, (key, expected) in records.items():
        seen = {item[key] for item in client.get(path, {"limit": 500}, **headers).json()["items"]}
        assert seen == expected[role], (role, path)


WRITERS = {"national": 201, "isfahan": 201, "viewer": 403, "agent": 403, "parks_company": 403, "owner": 403}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_writes_only_what_it_may(client, world, records, role):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {make_token(getattr(world.cast, role))}"}
    isfahan_unit = unit_row(national_id="", name=f"واحد {role}", province="اصفهان", county="کاشان", lat=33.98,
                            lon=51.43, employees=85, capacity_utilisation=72)
    response = client.post("/api/v1/units", isfahan_unit, content_type="application/json", **headers)
    assert response.status_code == WRITERS[role], (role, response.content)
    yazd_unit = unit_row(national_id="", name=f"واحد یزد {role}", lat=32.2451, lon=54.0087, employees=85,
                         capacity_utilisation=72)
    response = client.post("/api/v1/units", yazd_unit, content_type="application/json", **headers)
    # Provincial staff of Isfahan cannot write a Yazd unit: refused with the reason.
    assert response.status_code == {"isfahan": 422}.get(role, WRITERS[role]), (role, response.content)


# One write per record type; the answer each role gets: 2xx done, 403 seen but not theirs to change,
# 404 not even seen (so a guessed id reveals nothing), 422 refused for a reason stated.
RECORD_WRITES = {
    "diagnose a clinic case in the Kashan park": (
        "post", "/api/v1/programs/clinic-cases/{case_in_park}/diagnosis", {"problems": ["legal"],
                                                                          "main_problem": "legal"},
        {"national": 200, "isfahan": 200, "viewer": 403, "agent": 404, "parks_company": 200, "owner": 404}),
    "update a Yazd half-finished project": (
        "patch", "/api/v1/programs/projects/{project_yazd}", {"physical_progress": 70},
        {"national": 200, "isfahan": 404, "viewer": 403, "agent": 404, "parks_company": 404, "owner": 404}),
    "move the Yazd cluster to its diagnostic phase": (
        "post", "/api/v1/programs/developments/{development}/phase", {"phase": "diagnostic"},
        {"national": 200, "isfahan": 404, "viewer": 403, "agent": 200, "parks_company": 404, "owner": 404}),
    "set a national target": (
        "put", "/api/v1/programs/targets", {"year": 1405, "indicator": "jobs_created", "value": 5000},
        {"national": 200, "isfahan": 403, "viewer": 403, "agent": 403, "parks_company": 403, "owner": 403}),
    "keep the Yazd idle unit's capability profile": (
        "put", "/api/v1/spx/profiles/{idle_yazd}", {"processes": ["welding"]},
        {"national": 200, "isfahan": 404, "viewer": 403, "agent": 404, "parks_company": 404, "owner": 200}),
    "post an enquiry in Isfahan": (
        "post", "/api/v1/spx/enquiries", {"province": "10", "buyer": "x", "title": "y"},
        {"national": 201, "isfahan": 201, "viewer": 403, "agent": 403, "parks_company": 403, "owner": 403}),
    "match the Isfahan enquiry": (
        "post", "/api/v1/spx/enquiries/{enquiry_isfahan}/matching", {},
        {"national": 200, "isfahan": 200, "viewer": 403, "agent": 404, "parks_company": 404, "owner": 404}),
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_changes_exactly_the_records_it_may(client, world, records, role):
    from khoosheh.accounts.models import AuditEntry

    headers = {"HTTP_AUTHORIZATION": f"Bearer {make_token(getattr(world.cast, role))}"}
    ids = {name: record.pk for name, record in world.records.items()}
    ids |= {"development": world.cluster.development.pk, "idle_yazd": world.units["idle_yazd"].pk}
    for action, (method, path, data, expected) in RECORD_WRITES.items():
        before = AuditEntry.objects.count()
        response = getattr(client, method)(path.format(**ids), data, content_type="application/json", **headers)
        assert response.status_code == expected[role], (role, action, response.content)
        written = AuditEntry.objects.count() > before
        assert written == (response.status_code < 300 and action != "match the Isfahan enquiry"), (role, action)


# Overview reads: national and provincial figures are for staff.  Agents, parks companies and unit owners see
# only their own records; the targets and achievements or the identification runs would tell them about every
# other unit (issue 17, finding 7).
OVERVIEW_READS = ["/api/v1/programs/targets?year=1405", "/api/v1/clusters/runs"]
SEES_OVERVIEW = {"national": 200, "isfahan": 200, "viewer": 200, "agent": 403, "parks_company": 403, "owner": 403}


@pytest.mark.parametrize("path", OVERVIEW_READS)
@pytest.mark.parametrize("role", ROLES)
def test_only_staff_read_targets_and_identification_runs(client, world, records, role, path):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {make_token(getattr(world.cast, role))}"}
    response = client.get(path, **headers)
    assert response.status_code == SEES_OVERVIEW[role], (role, path, response.content)


# Asking for another province (a new user's walk found `?province=` answered silently with the token's own
# province): a token bound to a province may name its own or none; another is refused (403) with the reason in
# Persian, as reports and dashboards are; national roles name any; a code naming no province is refused (422).
# One rule for all of them: accounts.scoping.province_asked.
PROVINCE_FILTERED = ["/api/v1/units", "/api/v1/programs/targets?year=1405"]
REFUSED_VALUE = "باید یکی از مقادیری باشد که طرح API (openapi.json) نام می‌برد"
REFUSAL = {"detail": "این حساب تنها استان اصفهان را می‌بیند؛ استان یزد را نمی‌توان خواست"}


def _get(client, path, user, **query):
    from urllib.parse import parse_qsl

    path, _, given = path.partition("?")
    return client.get(path, dict(parse_qsl(given)) | query, HTTP_AUTHORIZATION=f"Bearer {make_token(user)}")


@pytest.fixture
def isfahan_viewer(django_user_model):
    from khoosheh.accounts.models import Role

    return django_user_model.objects.create_user("isfahan-viewer", password="x", role=Role.VIEWER, province_id="10")


@pytest.mark.parametrize("path", PROVINCE_FILTERED)
def test_a_provincial_token_naming_its_own_province_or_none_is_answered(client, world, records, path):
    for query in ({"province": "10"}, {}):
        assert _get(client, path, world.cast.isfahan, **query).status_code == 200, (path, query)


@pytest.mark.parametrize("path", PROVINCE_FILTERED)
def test_a_provincial_token_naming_another_province_is_refused_with_the_reason(client, world, records, path):
    response = _get(client, path, world.cast.isfahan, province="21")
    assert response.status_code == 403 and response.json() == REFUSAL


@pytest.mark.parametrize("path", PROVINCE_FILTERED)
def test_a_viewer_bound_to_a_province_is_refused_another_province_too(client, world, records, isfahan_viewer, path):
    assert _get(client, path, isfahan_viewer, province="10").status_code == 200
    response = _get(client, path, isfahan_viewer, province="21")
    assert response.status_code == 403 and response.json() == REFUSAL


@pytest.mark.parametrize("role", ["national", "viewer"])
@pytest.mark.parametrize("path", PROVINCE_FILTERED)
def test_national_roles_name_any_province(client, world, records, role, path):
    for province in ("10", "21"):
        assert _get(client, path, getattr(world.cast, role), province=province).status_code == 200, province


def test_a_national_tokens_province_filter_lists_that_province_only(client, world, records):
    listed = _get(client, "/api/v1/units", world.cast.national, province="21", limit=500).json()["items"]
    assert listed and {unit["province"] for unit in listed} == {"21"}


@pytest.mark.parametrize("role", ["national", "isfahan"])
@pytest.mark.parametrize("path", PROVINCE_FILTERED)
def test_an_unknown_province_code_is_refused_not_ignored(client, world, records, role, path):
    # The schema lists the 31 codes (an enum), so the refusal is the schema's, in the API's usual shape.
    for code in ("99", "ZZ"):
        response = _get(client, path, getattr(world.cast, role), province=code)
        assert response.status_code == 422, code
        assert response.json()["errors"] == [{"field": "province", "message": REFUSED_VALUE}], code


def test_the_schema_names_the_refusal_on_every_operation_taking_a_province():
    from khoosheh.api.v1 import api

    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            takes = any(p["in"] == "query" and p["name"] == "province" for p in operation.get("parameters", ()))
            says = "names another" in operation["responses"]["403"]["description"]
            assert takes == says, (method, path)


# A county or park names a province too: the same rule, so a provincial token asking for a Yazd county or park
# is refused and told why, not handed an empty list that reads as "no units there".
@pytest.fixture
def yazd_park(world):
    from khoosheh.registry.models import IndustrialPark

    return IndustrialPark.objects.create(name="شهرک صنعتی میبد", county_id="2106")


def test_a_provincial_token_naming_another_provinces_county_or_park_is_refused_with_the_reason(client, world,
                                                                                             yazd_park):
    for query in ({"county": "2106"}, {"park": str(yazd_park.pk)}):
        response = _get(client, "/api/v1/units", world.cast.isfahan, **query)
        assert response.status_code == 403 and response.json() == REFUSAL, query


def test_a_provincial_token_narrows_to_its_own_county_or_park(client, world):
    for query in ({"county": "1010"}, {"park": str(world.park.pk)}):
        listed = _get(client, "/api/v1/units", world.cast.isfahan, limit=500, **query).json()["items"]
        assert listed and {unit["county"] for unit in listed} == {"1010"}, query


def test_a_county_or_park_naming_none_is_refused_saying_so(client, world):
    county = _get(client, "/api/v1/units", world.cast.national, county="9999")  # not in the schema's list
    assert county.status_code == 422 and "county" in county.json()["detail"]
    park = _get(client, "/api/v1/units", world.cast.national, park="987654")  # well formed, but no such park
    assert park.status_code == 404 and park.json()["detail"] == "شهرکی با شناسه «987654» نیست"


def test_a_status_filter_naming_no_status_is_refused_not_ignored(client, world):
    assert _get(client, "/api/v1/units", world.cast.national, status="idle").status_code == 200
    assert _get(client, "/api/v1/units", world.cast.national, status="asleep").status_code == 422


def test_an_unauthenticated_call_and_a_record_outside_the_scope_are_answered_in_persian(client, world):
    response = client.get("/api/v1/units")
    assert response.status_code == 401 and "توکن معتبری فرستاده نشد" in response.json()["detail"]
    yazd_unit = world.units["idle_yazd"]
    response = _get(client, f"/api/v1/units/{yazd_unit.pk}", world.cast.isfahan)
    assert response.status_code == 404 and response.json() == {"detail": "پیدا نشد، یا در دسترس این توکن نیست"}
