"""Provincial staff cannot reach another province's unit through its national ID.

A row written as Isfahan but carrying a Tehran unit's national ID used to move that unit to
Isfahan, rename it and close it, audited as the Isfahan user (issue 17, finding 1). Every
door that writes units — the upload page, ``import_units`` as a user, ``POST`` and ``PUT``
of the API — must refuse such a row with the same words it uses for any row the user may
not write, so that the refusal tells nothing about where (or what) the other unit is."""

import pytest
from django.urls import reverse

from khoosheh.accounts.models import AuditEntry
from khoosheh.accounts.tokens import make_token
from khoosheh.registry.importing import import_units, out_of_scope_message
from khoosheh.registry.models import ProductionUnit, UnitStatusChange
from tests.conftest import NID_A, NID_B, NID_D, unit_row

pytestmark = pytest.mark.django_db


def tehran_row(**overrides):
    row = unit_row(national_id=NID_A, name="قطعه‌سازی پویا", isic="2930", province="تهران", county="تهران",
                   lat="35.69", lon="51.39", status="فعال")
    row.update(overrides)
    return row


def takeover_row(**overrides):
    """The Tehran unit's national ID, written as an Isfahan unit with a new name, closed (numbers as the API takes
    them: JSON numbers; a file's import reads the same values as text)."""
    row = unit_row(national_id=NID_A, name="تصاحب شده", isic="2930", province="اصفهان", county="کاشان",
                   lat=33.98, lon=51.43, employees=85, capacity_utilisation=72, status="تعطیل")
    row.update(overrides)
    return row


@pytest.fixture
def tehran_unit(unit_file, cast):
    import_units(unit_file([tehran_row()], name="tehran.csv"), user=cast.national)
    return ProductionUnit.objects.get(national_id=NID_A)


def unit_state(unit):
    unit.refresh_from_db()
    return (unit.name, unit.province_id, unit.county_id, unit.status, unit.updated_at)


def isfahan_traces(user):
    """What the Isfahan user may have left in the record of changes."""
    return (AuditEntry.objects.filter(actor=user).count(), UnitStatusChange.objects.filter(changed_by=user).count())


# What an Isfahan user is told for any row out of their reach.
OUT_OF_SCOPE_MESSAGE = out_of_scope_message("اصفهان")


def forbidden_messages(outcome):
    return [e.message for e in outcome.errors]


def unknown_but_forbidden_message(unit_file, user):
    """The refusal for a row the user may not write whose national ID is in no registry at all."""
    outcome = import_units(unit_file([tehran_row(national_id=NID_D)], name="unknown.csv"), user=user, dry_run=True)
    assert forbidden_messages(outcome) == [OUT_OF_SCOPE_MESSAGE], outcome.errors
    return OUT_OF_SCOPE_MESSAGE


def test_an_import_as_provincial_staff_does_not_take_over_another_provinces_unit(unit_file, cast, tehran_unit):
    before = unit_state(tehran_unit)
    outcome = import_units(unit_file([takeover_row()]), user=cast.isfahan)
    # The row is refused, nothing is written, the Tehran unit is as it was.
    assert not outcome.written and [e.row for e in outcome.errors] == [2]
    assert unit_state(tehran_unit) == before
    assert isfahan_traces(cast.isfahan) == (0, 0)


def test_the_refusal_reads_as_for_any_row_the_user_may_not_write(unit_file, cast, tehran_unit):
    outcome = import_units(unit_file([takeover_row()]), user=cast.isfahan)
    # Same words as for an unknown ID in another province: the text does not say the ID exists elsewhere.
    assert forbidden_messages(outcome) == [unknown_but_forbidden_message(unit_file, cast.isfahan)]
    assert outcome.errors[0].column == "شناسه ملی"
    for revealing in ("تهران", tehran_unit.name):
        assert all(revealing not in f"{e.value} {e.message}" for e in outcome.errors), revealing


def test_a_dry_run_refuses_the_same_row_in_the_same_words(unit_file, cast, tehran_unit):
    outcome = import_units(unit_file([takeover_row()]), user=cast.isfahan, dry_run=True)
    # The dry run does not count the row as an update (which would say the unit exists) but refuses it.
    assert not outcome.accepted and outcome.updated == 0 and outcome.created == 0
    assert forbidden_messages(outcome) == [OUT_OF_SCOPE_MESSAGE]


def test_skip_invalid_skips_the_forbidden_row_and_imports_the_rest(unit_file, cast, tehran_unit):
    before = unit_state(tehran_unit)
    own = takeover_row(national_id=NID_B, name="کاشی کاشان", status="فعال")
    outcome = import_units(unit_file([takeover_row(), own]), user=cast.isfahan, skip_invalid=True)
    assert outcome.written and outcome.created == 1 and outcome.updated == 0
    assert unit_state(tehran_unit) == before
    assert ProductionUnit.objects.get(national_id=NID_B).province_id == "10"


def test_the_upload_page_refuses_the_row_and_leaves_the_unit_alone(client, cast, unit_file, tehran_unit):
    before = unit_state(tehran_unit)
    client.force_login(cast.isfahan)
    for dry_run in (True, False):
        with unit_file([takeover_row()]).open("rb") as f:
            page = client.post(reverse("registry:unit_import"), {"file": f, "dry_run": dry_run or ""},
                               follow=True)  # the job page, once the import ran
        assert page.status_code == 200
        assert OUT_OF_SCOPE_MESSAGE in page.content.decode()
        assert tehran_unit.name not in page.content.decode()
    assert unit_state(tehran_unit) == before
    assert isfahan_traces(cast.isfahan) == (0, 0)


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {make_token(user)}"}


def as_json(row):
    """The file's row as a JSON client sends it: numbers as JSON numbers."""
    numbers = {"lat": float, "lon": float, "employees": int, "capacity_utilisation": float}
    return {k: numbers[k](v) if k in numbers and v != "" else v for k, v in row.items()}


def test_api_post_refuses_another_provinces_national_id_like_any_forbidden_row(client, cast, unit_file, tehran_unit):
    before = unit_state(tehran_unit)
    response = client.post("/api/v1/units", as_json(takeover_row()), content_type="application/json",
                           **bearer(cast.isfahan))
    assert response.status_code == 422, response.content
    assert [e["message"] for e in response.json()["errors"]] == [unknown_but_forbidden_message(unit_file,
                                                                                                 cast.isfahan)]
    assert unit_state(tehran_unit) == before
    assert isfahan_traces(cast.isfahan) == (0, 0)


def test_api_put_on_an_own_unit_cannot_borrow_another_provinces_national_id(client, cast, unit_file, tehran_unit):
    import_units(unit_file([takeover_row(national_id=NID_B, name="کاشی کاشان", status="فعال")], name="own.csv"),
                 user=cast.isfahan)
    own = ProductionUnit.objects.get(national_id=NID_B)
    before, own_before, traces = unit_state(tehran_unit), unit_state(own), isfahan_traces(cast.isfahan)
    response = client.put(f"/api/v1/units/{own.pk}", as_json(takeover_row()), content_type="application/json",
                          **bearer(cast.isfahan))
    # Not "409 this ID belongs to another unit": the same refusal as for any row out of reach.
    assert response.status_code == 422, response.content
    assert [e["message"] for e in response.json()["errors"]] == [OUT_OF_SCOPE_MESSAGE]
    assert unit_state(tehran_unit) == before and unit_state(own) == own_before
    assert isfahan_traces(cast.isfahan) == traces


def test_api_put_on_another_provinces_unit_answers_404(client, cast, tehran_unit):
    before = unit_state(tehran_unit)
    response = client.put(f"/api/v1/units/{tehran_unit.pk}", as_json(takeover_row()), content_type="application/json",
                          **bearer(cast.isfahan))
    assert response.status_code == 404
    assert unit_state(tehran_unit) == before


def test_national_staff_still_move_a_unit_between_provinces_audited(unit_file, cast, tehran_unit):
    outcome = import_units(unit_file([takeover_row()]), user=cast.national)
    assert outcome.written and outcome.updated == 1
    tehran_unit.refresh_from_db()
    assert (tehran_unit.province_id, tehran_unit.status) == ("10", "closed")
    entry = AuditEntry.objects.get(actor=cast.national, action="update", record_id=str(tehran_unit.pk))
    assert (entry.before["province_id"], entry.after["province_id"]) == ("23", "10")
