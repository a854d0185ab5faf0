"""The import's write step: everything in one transaction or nothing, even when it fails after the last row is
copied; an edit made while the import was planning is seen, not overwritten; parks the import creates are
linked in the units and in their audit.  (On SQLite the rows are staged outside the write lock first,
registry/staging.py; on PostgreSQL they are written with COPY.  Both run here, by DATABASE_URL.)"""

import pytest
from django.db import connection

from khoosheh.accounts.models import AuditEntry
from khoosheh.registry import importing, services
from khoosheh.registry.importing import import_units
from khoosheh.registry.models import IndustrialPark, ProductionUnit, UnitStatusChange
from tests.conftest import NID_A, NID_B, NID_C, unit_row
from tests.registry.test_import import registry_snapshot, three_units

pytestmark = pytest.mark.django_db


def test_an_import_failing_after_all_its_rows_are_written_leaves_nothing(unit_file, cast):
    import_units(unit_file([unit_row(national_id=NID_A), unit_row(national_id=NID_C, name="کاشی میبد")]))
    before = registry_snapshot()

    def fail_at_the_last_moment(outcome):
        # New units, changed units, their history and audit are all written by now.
        assert ProductionUnit.objects.filter(national_id=NID_B).exists()
        assert ProductionUnit.objects.get(national_id=NID_A).status == "idle"
        raise RuntimeError("the disk filled up")

    changed = [unit_row(national_id=NID_A, status="راکد"), *three_units()[1:]]
    with pytest.raises(RuntimeError):
        import_units(unit_file(changed, name="v2.csv"), user=cast.national, before_commit=fail_at_the_last_moment)
    # No unit, no history, no audit entry, no batch, no park of the failed import is there.
    assert registry_snapshot() == before


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_on_sqlite_a_failure_in_the_copy_itself_leaves_nothing_and_no_staging_behind(unit_file, monkeypatch):
    import_units(unit_file([unit_row(national_id=NID_A)]))
    before = registry_snapshot()
    copy = importing.staging.apply

    def copy_then_fail(*args, **kwargs):
        copy(*args, **kwargs)
        raise RuntimeError("killed in the copy")

    monkeypatch.setattr(importing.staging, "apply", copy_then_fail)
    with pytest.raises(RuntimeError):
        import_units(unit_file([unit_row(national_id=NID_A, employees="9"), *three_units()[1:]], name="v2.csv"))
    assert registry_snapshot() == before
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_temp_master WHERE name LIKE 'import_%'")
        assert cursor.fetchall() == []  # the temp tables are dropped, not left in the connection


def test_an_edit_made_while_the_import_was_planning_is_seen_not_overwritten(unit_file, cast, monkeypatch):
    import_units(unit_file([unit_row(national_id=NID_A), unit_row(national_id=NID_B, name="کاشی دوم")]))
    unit = ProductionUnit.objects.get(national_id=NID_A)
    plan = importing._plan
    edits = []

    def plan_then_someone_edits(*args, **kwargs):
        planned = plan(*args, **kwargs)
        if not edits:  # another official closes the unit after the import read it, before it writes
            edits.append(services.change_status(unit, "closed", user=cast.national, reason="تعطیل شد"))
        return planned

    monkeypatch.setattr(importing, "_plan", plan_then_someone_edits)
    outcome = import_units(unit_file([unit_row(national_id=NID_A, employees="40"),
                                      unit_row(national_id=NID_B, name="کاشی دوم", employees="7")], name="v2.csv"),
                           user=cast.national)

    # The import planned again: the file's values win, and the history says the unit went closed -> active.
    assert outcome.written and outcome.updated == 2 and outcome.status_changes == 1
    unit.refresh_from_db()
    assert (unit.status, unit.employees) == ("active", 40)
    history = list(UnitStatusChange.objects.filter(unit=unit).order_by("id").values_list("old_status", "new_status"))
    assert history == [("", "active"), ("active", "closed"), ("closed", "active")]
    audit = AuditEntry.objects.get(action="update", record_id=str(unit.pk), source=f"import:{outcome.batch_id}")
    assert audit.before == {"status": "closed", "employees": 85} and audit.after == {"status": "active",
                                                                                    "employees": 40}


def test_a_unit_moved_into_a_park_the_import_creates_is_linked_and_audited_with_its_id(unit_file):
    import_units(unit_file([unit_row(national_id=NID_A)]))
    outcome = import_units(unit_file([unit_row(national_id=NID_A, park="شهرک صنعتی تازه میبد"),
                                      unit_row(national_id=NID_B, name="کاشی دوم", park="شهرک صنعتی تازه میبد")],
                                     name="v2.csv"))
    park = IndustrialPark.objects.get(name="شهرک صنعتی تازه میبد")
    assert outcome.new_parks == [park.name]
    assert set(ProductionUnit.objects.values_list("park_id", flat=True)) == {park.pk}
    audit = AuditEntry.objects.get(action="update", source=f"import:{outcome.batch_id}")
    assert audit.before == {"park_id": None} and audit.after == {"park_id": park.pk}
