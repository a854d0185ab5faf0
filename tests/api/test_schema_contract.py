"""The OpenAPI schema says what the API accepts, and the API does what the schema says (issue 17, finding 12;
issue 16, problem 3).  Each test is one case schemathesis found; test_schemathesis.py runs the general search."""

import json
import re

import pytest

from khoosheh.accounts.tokens import make_token
from khoosheh.registry.importing import import_units
from khoosheh.registry.models import ProductionUnit
from khoosheh.spx.models import CapabilityProfile
from tests.conftest import unit_row

pytestmark = pytest.mark.django_db


def strict_json(text: str):
    """json.loads, but a key twice in one object is an error (as in Swagger UI's parser), not the last one wins."""
    def no_duplicates(pairs):
        keys = [k for k, _ in pairs]
        duplicated = sorted({k for k in keys if keys.count(k) > 1})
        assert not duplicated, f"duplicate keys {duplicated}"
        return dict(pairs)

    return json.loads(text, object_pairs_hook=no_duplicates)


@pytest.fixture
def national(cast):
    return {"HTTP_AUTHORIZATION": f"Bearer {make_token(cast.national)}"}


@pytest.fixture
def schema(client):
    return strict_json(client.get("/api/v1/openapi.json").content.decode())


def test_the_schema_has_no_key_twice_in_any_object(client):
    # ninja keyed the declared 422 by number and the shared error answers by string: two "422" keys.
    strict_json(client.get("/api/v1/openapi.json").content.decode())


def test_every_province_code_the_schema_allows_is_accepted(client, national, schema):
    codes = schema["components"]["schemas"]["TargetIn"]["properties"]["province"]["anyOf"][0]["enum"]
    assert len(codes) == 31
    for code in codes:
        response = client.put("/api/v1/programs/targets", {"year": 1405, "indicator": "jobs_created", "value": 10,
                                                           "province": code},
                              content_type="application/json", **national)
        assert response.status_code == 200, (code, response.content)


def test_a_province_code_outside_the_schema_is_refused_in_persian(client, national):
    response = client.put("/api/v1/programs/targets", {"year": 1405, "indicator": "jobs_created", "value": 10,
                                                       "province": "99"}, content_type="application/json", **national)
    assert response.status_code == 422 and "province" in response.json()["detail"]
    assert response.json()["errors"][0]["field"] == "province"


def test_a_json_list_as_a_profile_body_is_refused(client, national, unit_file):
    import_units(unit_file([unit_row()]))
    unit = ProductionUnit.objects.get()
    response = client.put(f"/api/v1/spx/profiles/{unit.pk}", [], content_type="application/json", **national)
    assert response.status_code == 422
    assert not CapabilityProfile.objects.exists()


@pytest.mark.parametrize("value", [True, [72], {"value": 72}, "72"])
def test_a_wrongly_typed_capacity_utilisation_is_refused(client, national, value):
    row = unit_row(national_id="", lat=32.2451, lon=54.0087, employees=85, capacity_utilisation=value)
    response = client.post("/api/v1/units", row, content_type="application/json", **national)
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == "capacity_utilisation"
    assert not ProductionUnit.objects.exists()


def test_a_number_sent_as_true_is_refused(client, national):
    response = client.put("/api/v1/programs/targets", {"year": 1405, "indicator": "jobs_created", "value": True},
                          content_type="application/json", **national)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "value"


def test_a_field_the_schema_does_not_name_is_refused(client, national, schema):
    assert schema["components"]["schemas"]["TargetIn"]["additionalProperties"] is False
    response = client.put("/api/v1/programs/targets", {"year": 1405, "indicator": "jobs_created", "value": 1,
                                                       "provinse": "10"}, content_type="application/json", **national)
    assert response.status_code == 422 and "provinse" in response.json()["detail"]


def test_a_query_parameter_the_operation_does_not_declare_is_refused(client, national):
    # A misspelt filter must not answer the whole country's list.
    response = client.get("/api/v1/units", {"provnce": "10"}, **national)
    assert response.status_code == 422 and "provnce" in response.json()["detail"]


def test_a_query_parameter_sent_twice_is_refused(client, national):
    response = client.get("/api/v1/clusters", {"year": ["1404", "1405"]}, **national)
    assert response.status_code == 422


def test_dates_the_server_would_read_as_jalali_are_outside_the_iso_pattern(schema):
    # "0915-12-31" is a valid ISO date, but a year below 1700 is read as Jalali and refused: the schema says so.
    day = schema["components"]["schemas"]["ContractIn"]["properties"]["on"]
    iso = next(s for s in day["anyOf"] if s.get("format") == "date")
    assert not re.search(iso["pattern"], "0915-12-31") and re.search(iso["pattern"], "2026-03-21")
