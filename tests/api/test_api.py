"""The open API: tokens, the portal's scoping, and unit writes through the import's validation."""

import pytest
from django.core.management import call_command

from khoosheh.accounts.models import AuditEntry
from khoosheh.accounts.tokens import make_token
from khoosheh.registry.importing import import_units
from khoosheh.registry.models import ProductionUnit, UnitStatusChange
from tests.conftest import NID_B, NID_C, unit_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(unit_file):
    import_units(unit_file([
        unit_row(),  # Yazd
        unit_row(national_id=NID_B, name="فولاد سپاهان", isic="2410", province="اصفهان", county="اصفهان",
                 lat="32.65", lon="51.67"),
    ]))
    return {u.province_id: u for u in ProductionUnit.objects.all()}


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {make_token(user)}"}


def body(**overrides):
    """A unit as a JSON client sends it: the file's row, with numbers as JSON numbers."""
    row = unit_row(national_id=NID_C, name="قطعه‌سازی پویا", province="تهران", county="تهران", lat=35.69,
                   lon=51.39, employees=85, capacity_utilisation=72)
    row.update(overrides)
    return row


def test_without_a_token_the_api_answers_401(client, units):
    assert client.get("/api/v1/units").status_code == 401
    assert client.get("/api/v1/units", HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401


def test_the_openapi_schema_is_published(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "khoosheh API" and "/api/v1/units" in schema["paths"]


def test_api_token_command_prints_a_token_that_works(client, cast, units, capsys):
    call_command("api_token", "national")
    token = capsys.readouterr().out.strip()
    assert token.startswith("kh_")
    assert client.get("/api/v1/units", HTTP_AUTHORIZATION=f"Bearer {token}").json()["count"] == 2


def test_provincial_tokens_see_only_their_province(client, cast, units):
    headers = bearer(cast.isfahan)
    listed = client.get("/api/v1/units", **headers).json()
    assert [u["province"] for u in listed["items"]] == ["10"]
    # Naming another province is refused, not answered with Isfahan's units (tests/api/test_permission_matrix.py).
    assert client.get("/api/v1/units", {"province": "21"}, **headers).status_code == 403
    assert client.get(f"/api/v1/units/{units['21'].pk}", **headers).status_code == 404
    assert client.get(f"/api/v1/units/{units['10'].pk}", **headers).json()["name"] == "فولاد سپاهان"


def test_units_are_filtered_and_paginated_with_jalali_dates(client, cast, units):
    page = client.get("/api/v1/units", {"q": "كاشي", "limit": 1}, **bearer(cast.national)).json()
    assert page["count"] == 1 and page["items"][0]["permit_date"] == "2016-07-02"
    assert page["items"][0]["permit_date_jalali"] == "1395/04/12"


def test_creating_a_unit_uses_the_imports_validation_and_audit(client, cast, units):
    response = client.post("/api/v1/units", body(), content_type="application/json", **bearer(cast.national))
    assert response.status_code == 201, response.content
    unit = ProductionUnit.objects.get(national_id=NID_C)
    assert response.json()["id"] == unit.pk
    assert UnitStatusChange.objects.filter(unit=unit, old_status="").exists()
    assert AuditEntry.objects.filter(action="import", after__file__startswith="api:").exists()


def test_a_unit_named_with_persian_digits_keeps_them(client, cast, units):
    response = client.post("/api/v1/units", body(name="قطعه‌سازی پویا ٢"), content_type="application/json",
                           **bearer(cast.national))
    assert response.status_code == 201, response.content
    # As typed, with the Arabic-Indic two in its Persian form.
    assert response.json()["name"] == ProductionUnit.objects.get(national_id=NID_C).name == "قطعه‌سازی پویا ۲"


def test_a_refused_unit_gets_row_column_and_a_persian_message(client, cast, units):
    response = client.post("/api/v1/units", body(permit_date="1401/12/30", isic="9999"),
                           content_type="application/json", **bearer(cast.national))
    assert response.status_code == 422
    problems = {e["column"]: e["message"] for e in response.json()["errors"]}
    assert "۲۹ روز" in problems["permit_date"] and "وجود ندارد" in problems["isic"]
    assert not ProductionUnit.objects.filter(national_id=NID_C).exists()


def test_provincial_tokens_cannot_write_another_province(client, cast, units):
    response = client.post("/api/v1/units", body(), content_type="application/json", **bearer(cast.isfahan))
    assert response.status_code == 422 and "اصفهان" in response.json()["errors"][0]["message"]
    response = client.put(f"/api/v1/units/{units['21'].pk}", body(province="اصفهان", county="کاشان", lat="",
                                                                  lon=""),
                          content_type="application/json", **bearer(cast.isfahan))
    assert response.status_code == 404


def test_viewers_cannot_write(client, cast, units):
    response = client.post("/api/v1/units", body(), content_type="application/json", **bearer(cast.viewer))
    assert response.status_code == 403


def test_updating_a_unit_records_its_status_change(client, cast, units):
    unit = units["10"]
    data = body(national_id=NID_B, name="فولاد سپاهان", isic="2410", province="اصفهان", county="اصفهان",
                lat=32.65, lon=51.67, status="راکد")
    response = client.put(f"/api/v1/units/{unit.pk}", data, content_type="application/json",
                          **bearer(cast.isfahan))
    assert response.status_code == 200 and response.json()["status"] == "idle"
    change = UnitStatusChange.objects.filter(unit=unit).exclude(old_status="").get()
    assert (change.old_status, change.new_status, change.changed_by) == ("active", "idle", cast.isfahan)


def test_a_national_id_belongs_to_one_unit(client, cast, units):
    response = client.put(f"/api/v1/units/{units['10'].pk}", body(national_id="10101234565"),
                          content_type="application/json", **bearer(cast.national))
    assert response.status_code == 409


def test_targets_with_achievements(client, cast, units):
    rows = client.get("/api/v1/programs/targets", {"year": 1404}, **bearer(cast.isfahan)).json()
    assert {r["indicator"] for r in rows} >= {"units_revived", "jobs_created"}
    assert client.get("/api/v1/programs/targets", {"year": 1404, "province": "23"},
                      **bearer(cast.isfahan)).status_code == 403  # another province: refused, as reports are




def test_an_empty_unit_is_refused_not_a_server_error(client, cast, units):
    empty = {k: "" for k in body()}
    response = client.post("/api/v1/units", empty, content_type="application/json", **bearer(cast.national))
    assert response.status_code == 422 and "خالی" in response.json()["errors"][0]["message"]


def test_a_huge_offset_is_refused_not_a_server_error(client, cast, units):
    assert client.get("/api/v1/units", {"offset": 10**30}, **bearer(cast.national)).status_code == 422
