"""SPX through the API: profiles kept by their owners, enquiries matched and followed to a
contract, each step checked and audited as on the portal's pages."""

import pytest

from khoosheh.accounts.models import AuditEntry, Role
from khoosheh.accounts.tokens import make_token
from khoosheh.spx import services
from khoosheh.spx.models import CapabilityProfile, Enquiry, EnquiryMatch

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(client):
    def send(user, path, data=None, method="post"):
        return getattr(client, method)(f"/api/v1/spx{path}", data or {}, content_type="application/json",
                                       HTTP_AUTHORIZATION=f"Bearer {make_token(user)}")
    return send


@pytest.fixture
def owner(world, django_user_model):
    user = django_user_model.objects.create_user("owner", password="x", role=Role.UNIT_OWNER)
    user.units.add(world.units["idle_yazd"])
    return user


PROFILE = {"processes": ["casting", "cnc_machining"], "materials": ["چدن", "فولاد"], "certifications": ["ISO 9001"],
           "monthly_capacity": 5000, "lead_time_days": 20, "products": "قطعات ریخته‌گری پمپ",
           "machines": [{"kind": "CNC تراش", "count": 3}]}


def test_a_unit_owner_keeps_their_own_profile_and_no_one_elses(call, world, owner):
    response = call(owner, f"/profiles/{world.units['idle_yazd'].pk}", PROFILE, method="put")
    assert response.status_code == 200, response.content
    assert response.json()["processes"] == ["casting", "cnc_machining"]
    profile = CapabilityProfile.objects.get(unit=world.units["idle_yazd"])
    assert profile.machines.get().count == 3
    assert AuditEntry.objects.get(record_type="spx.capabilityprofile").source == "api"
    other = call(owner, f"/profiles/{world.units['idle_isfahan'].pk}", PROFILE, method="put")
    assert other.status_code == 404


def test_an_unknown_process_is_refused_before_anything_is_written(call, world):
    response = call(world.cast.national, f"/profiles/{world.units['idle_yazd'].pk}",
                    {**PROFILE, "processes": ["alchemy"]}, method="put")
    assert response.status_code == 422 and not CapabilityProfile.objects.exists()


def test_an_enquiry_is_matched_sent_quoted_and_contracted(call, world):
    services.save_profile(world.units["idle_yazd"], world.cast.national, processes=["casting"], materials=["چدن"],
                          products="پروانه پمپ چدنی")
    staff = world.cast.national
    created = call(staff, "/enquiries", {"province": "21", "buyer": "پمپ‌سازی ایران", "title": "پروانه پمپ",
                                         "processes": ["casting"], "material": "چدن", "quantity": 1000,
                                         "deadline": "1420/01/15"})
    assert created.status_code == 201, created.content
    enquiry_id = created.json()["id"]
    matches = call(staff, f"/enquiries/{enquiry_id}/matching").json()
    assert matches[0]["unit"] == world.units["idle_yazd"].pk and matches[0]["reasons"]
    match_id = matches[0]["id"]
    early = call(staff, f"/matches/{match_id}/contract", {"value": 9, "on": "1405/09/01"})
    assert early.status_code == 422 and "پیشنهاد قیمت" in early.json()["detail"]
    sent = call(staff, f"/enquiries/{enquiry_id}/sent", {"matches": [match_id]}).json()
    assert next(m for m in sent if m["id"] == match_id)["status"] == "sent"
    assert call(staff, f"/matches/{match_id}/quote", {"value": 4_000_000_000}).json()["status"] == "quoted"
    signed = call(staff, f"/matches/{match_id}/contract", {"value": 3_800_000_000, "on": "1405/09/01"})
    assert signed.json()["status"] == "contracted" and signed.json()["contracted_on"] == "2026-11-22"
    assert Enquiry.objects.get().status == "contracted"
    trail = AuditEntry.objects.filter(record_type__in=["spx.enquiry", "spx.enquirymatch"])
    assert trail.count() == 4 and set(trail.values_list("source", flat=True)) == {"api"}


def test_provincial_staff_write_enquiries_only_in_their_province(call, world):
    mine = {"province": "10", "buyer": "خودروسازی", "title": "براکت"}
    assert call(world.cast.isfahan, "/enquiries", mine).status_code == 201
    assert call(world.cast.isfahan, "/enquiries", {**mine, "province": "21"}).status_code == 403
    assert call(world.cast.viewer, "/enquiries", mine).status_code == 403
    assert call(world.cast.national, "/enquiries", {**mine, "province": "99"}).status_code == 422
    yazd = services.create_enquiry(world.cast.national, province_code="21", buyer="x", title="y")
    assert call(world.cast.isfahan, f"/enquiries/{yazd.pk}/matching").status_code == 404
    assert Enquiry.objects.count() == 2 and not EnquiryMatch.objects.exists()


def test_an_enquiry_without_a_place_is_measured_from_the_province_capital(call, world):
    created = call(world.cast.national, "/enquiries", {"province": "10", "buyer": "x", "title": "y"})
    enquiry = Enquiry.objects.get(pk=created.json()["id"])
    assert (round(enquiry.lat, 1), round(enquiry.lon, 1)) == (32.7, 51.7)  # Isfahan
    half = call(world.cast.national, "/enquiries", {"province": "10", "buyer": "x", "title": "y", "lat": 33.0})
    assert half.status_code == 422


def test_an_enquiry_is_measured_from_its_buyers_county_seat(call, world):
    created = call(world.cast.national, "/enquiries", {"province": "10", "county": "1010", "buyer": "x",
                                                       "title": "y"})
    assert created.status_code == 201, created.content
    enquiry = Enquiry.objects.get(pk=created.json()["id"])
    # Kashan's seat, not Isfahan's.
    assert (round(enquiry.lat, 1), round(enquiry.lon, 1)) == (34.0, 51.4)


def test_a_buyers_county_outside_the_province_is_refused(call, world):
    response = call(world.cast.national, "/enquiries", {"province": "10", "county": "2106", "buyer": "x",
                                                        "title": "y"})
    assert response.status_code == 422 and response.json()["detail"] == "شهرستان خریدار در استان او نیست"
    unknown = call(world.cast.national, "/enquiries", {"province": "10", "county": "9999", "buyer": "x", "title": "y"})
    assert unknown.status_code == 422
    assert not Enquiry.objects.exists()
