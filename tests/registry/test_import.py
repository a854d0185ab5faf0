"""Importing unit files into the registry: all or nothing, idempotent, audited."""

import pytest

from khoosheh.accounts.models import AuditEntry
from khoosheh.core.text import match_key
from khoosheh.registry import importing
from khoosheh.registry.importing import import_units
from khoosheh.registry.models import ImportBatch, IndustrialPark, ProductionUnit, UnitStatusChange
from tests.conftest import NID_A, NID_B, NID_C, unit_row

pytestmark = pytest.mark.django_db


def registry_snapshot():
    """Everything an import may touch, to compare before and after."""
    return (
        sorted(ProductionUnit.objects.values_list("national_id", "name", "status", "employees", "park_id")),
        UnitStatusChange.objects.count(), AuditEntry.objects.count(), ImportBatch.objects.count(),
        IndustrialPark.objects.count(),
    )


def three_units():
    return [unit_row(), unit_row(national_id=NID_B, name="صنایع مبلمان آرمان", isic="3100", province="همدان",
                                 county="ملایر", lat="34.2969", lon="48.8235", park="شهرک صنعتی ملایر"),
            unit_row(national_id="", name="کارگاه سنگ‌بری کوثر", isic="2396", province="مرکزی", county="محلات",
                     lat="", lon="", status="راکد")]


def test_a_valid_file_creates_units_parks_history_and_audit(unit_file):
    outcome = import_units(unit_file(three_units()))
    assert outcome.written and (outcome.created, outcome.updated, outcome.unchanged) == (3, 0, 0)
    unit = ProductionUnit.objects.get(national_id=NID_B)
    assert unit.park.name == "شهرک صنعتی ملایر" and unit.park.county_id == unit.county_id
    assert outcome.new_parks == ["شهرک صنعتی ملایر"]
    # Each new unit starts its status history, pointing at the import that made it;
    # the import itself is audited once, with its file and counts.
    batch = ImportBatch.objects.get()
    assert batch.created == 3 and set(batch.created_units.all()) == set(ProductionUnit.objects.all())
    assert set(UnitStatusChange.objects.values_list("old_status", "source")) == {("", f"import:{batch.pk}")}
    assert UnitStatusChange.objects.count() == 3
    audit = AuditEntry.objects.get()
    assert (audit.action, audit.record_id, audit.after["created"]) == ("import", str(batch.pk), 3)


def test_a_unit_without_coordinates_is_placed_at_its_county_seat(unit_file):
    import_units(unit_file(three_units()))
    unit = ProductionUnit.objects.get(name="کارگاه سنگ‌بری کوثر")
    assert unit.lat is None and unit.location == (unit.county.lat, unit.county.lon)


def test_any_invalid_row_means_nothing_is_written(unit_file):
    import_units(unit_file([unit_row(national_id=NID_C)]))
    before = registry_snapshot()
    outcome = import_units(unit_file(three_units() + [unit_row(national_id=NID_A, isic="9999")], name="bad.csv"))
    assert not outcome.written and not outcome.accepted
    assert [(e.row, e.column) for e in outcome.errors] == [(5, "کد آیسیک")]
    assert registry_snapshot() == before


def test_skip_invalid_imports_the_valid_rows_only(unit_file):
    rows = [unit_row(), unit_row(national_id=NID_B, employees="-1"), unit_row(national_id=NID_C)]
    outcome = import_units(unit_file(rows), skip_invalid=True)
    assert outcome.written and outcome.created == 2 and outcome.skipped_rows == 1
    assert set(ProductionUnit.objects.values_list("national_id", flat=True)) == {NID_A, NID_C}


def test_dry_run_counts_but_writes_nothing(unit_file):
    before = registry_snapshot()
    outcome = import_units(unit_file(three_units()), dry_run=True)
    assert outcome.accepted and not outcome.written and outcome.created == 3
    assert registry_snapshot() == before


def test_importing_the_same_file_again_changes_nothing(unit_file):
    path = unit_file(three_units())
    import_units(path)
    before = registry_snapshot()
    again = import_units(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert registry_snapshot() == before


def test_a_changed_status_is_recorded_in_the_history(unit_file, cast):
    import_units(unit_file([unit_row()]))
    outcome = import_units(unit_file([unit_row(status="راکد", employees="40")], name="v2.csv"), user=cast.national)
    assert (outcome.updated, outcome.status_changes) == (1, 1)
    change = UnitStatusChange.objects.exclude(old_status="").get()
    assert (change.old_status, change.new_status, change.changed_by) == ("active", "idle", cast.national)
    assert change.source == f"import:{outcome.batch_id}"
    audit = AuditEntry.objects.get(action="update")
    assert audit.actor == cast.national and audit.record_id == str(ProductionUnit.objects.get().pk)
    assert audit.before == {"status": "active", "employees": 85} and audit.after == {"status": "idle", "employees": 40}


def test_the_location_tolerance_is_a_setting(unit_file, settings):
    # About 3 km into the sea off Bandar Abbas.
    row = unit_row(province="هرمزگان", county="بندرعباس", lat="27.14", lon="56.27", isic="1020")
    settings.KHOOSHEH_LOCATION_TOLERANCE_KM = 2
    outcome = import_units(unit_file([row]))
    assert not outcome.written and "بیرون از ایران" in outcome.errors[0].message
    settings.KHOOSHEH_LOCATION_TOLERANCE_KM = 5
    outcome = import_units(unit_file([row], name="again.csv"))
    assert outcome.written and "کیلومتر بیرون از مرز" in outcome.warnings[0].message


def test_look_alikes_without_national_id_are_reported_not_merged(unit_file):
    lone = dict(national_id="", lat="", lon="")
    import_units(unit_file([unit_row(**lone)]))
    outcome = import_units(unit_file([unit_row(**lone, employees="12")], name="v2.csv"))
    assert outcome.created == 1 and len(outcome.warnings) == 1
    assert ProductionUnit.objects.filter(national_id="").count() == 2


def test_provincial_staff_import_only_their_province(unit_file, cast):
    before = registry_snapshot()
    outcome = import_units(unit_file(three_units()), user=cast.isfahan)
    assert not outcome.written
    assert {e.row for e in outcome.errors} == {2, 3, 4}
    assert "اصفهان" in outcome.errors[0].message
    assert registry_snapshot() == before


def test_a_crash_midway_leaves_the_registry_as_it_was(unit_file, monkeypatch):
    import_units(unit_file([unit_row(national_id=NID_C)]))
    before = registry_snapshot()

    def crash(*args, **kwargs):
        raise RuntimeError("power cut")

    # Units are already inserted when their history is written: fail there.
    monkeypatch.setattr(importing, "_start_history_of_created_units", crash)
    with pytest.raises(RuntimeError):
        import_units(unit_file(three_units()))
    assert registry_snapshot() == before


def test_an_unreadable_file_is_refused_with_a_persian_message(tmp_path):
    path = tmp_path / "units.xlsx"
    path.write_bytes(b"not a spreadsheet")
    outcome = import_units(path)
    assert not outcome.written and "اکسل" in outcome.errors[0].message


def test_a_file_of_another_type_is_refused(tmp_path):
    path = tmp_path / "units.pdf"
    path.write_bytes(b"%PDF")
    assert "پشتیبانی نمی‌شود" in import_units(path).errors[0].message


def test_parks_added_by_officials_are_matched_by_normalised_name(unit_file):
    IndustrialPark.objects.create(name="شهرک صنعتی میبد", county_id="2106")
    outcome = import_units(unit_file([unit_row(park="شهرك صنعتي  ميبد")]))
    assert outcome.new_parks == []
    assert ProductionUnit.objects.get().park.name == "شهرک صنعتی میبد"


def test_import_writes_in_bulk_not_a_query_per_row(unit_file, django_assert_max_num_queries):
    rows = [unit_row(national_id="", name=f"کارگاه {i}", lat="", lon="") for i in range(300)]
    with django_assert_max_num_queries(40):
        import_units(unit_file(rows))
    assert ProductionUnit.objects.count() == 300


def test_a_name_longer_than_the_registry_holds_is_refused_with_row_and_column(unit_file):
    # 251 characters: PostgreSQL would refuse the row with a 500 and SQLite would store it.
    outcome = import_units(unit_file([unit_row(), unit_row(national_id=NID_B, name="ن" * 251)]))
    assert not outcome.written
    [error] = outcome.errors
    assert (error.row, error.column) == (3, "نام واحد") and "۲۵۰" in error.message
    assert ProductionUnit.objects.count() == 0


def test_a_name_of_exactly_the_registry_width_is_stored_whole(unit_file):
    import_units(unit_file([unit_row(name="ن" * 250)]))
    assert ProductionUnit.objects.get().name == "ن" * 250


def test_a_park_name_longer_than_the_registry_holds_is_refused(unit_file):
    outcome = import_units(unit_file([unit_row(park="شهرک " + "ص" * 150)]))
    assert [(e.row, e.column) for e in outcome.errors] == [(2, "شهرک یا ناحیه صنعتی")]
    assert IndustrialPark.objects.count() == 0


def test_the_file_contract_widths_are_the_registry_columns_widths():
    from khoosheh.core.unitfile.columns import BY_NAME

    assert BY_NAME["name"].max_length == ProductionUnit._meta.get_field("name").max_length
    assert BY_NAME["name"].max_length == ProductionUnit._meta.get_field("name_key").max_length
    assert BY_NAME["park"].max_length == IndustrialPark._meta.get_field("name").max_length


def test_a_provincial_file_with_a_title_and_row_numbers_is_imported(tmp_path):
    from tests.core.test_files_as_they_come import provincial_matrix, write

    for name in ("units.csv", "units.xlsx"):
        ProductionUnit.objects.all().delete()
        outcome = import_units(write(tmp_path / name, provincial_matrix(three_units())))
        assert outcome.written and outcome.created == 3, (name, outcome.errors)


def test_a_name_typed_with_persian_digits_is_stored_with_them(unit_file):
    import_units(unit_file([unit_row(name="کارخانه قطعه‌سازی ۲"),
                            unit_row(national_id=NID_B, name="فاز ٤ Plant 3")]))
    # Persian digits stay Persian, Arabic-Indic ones become Persian, Latin ones stay Latin.
    assert set(ProductionUnit.objects.values_list("name", flat=True)) == {"کارخانه قطعه‌سازی ۲", "فاز ۴ Plant 3"}


def test_the_same_name_in_latin_digits_is_a_look_alike_of_the_persian_one(unit_file):
    lone = dict(national_id="", lat="", lon="")
    import_units(unit_file([unit_row(**lone, name="کارخانه ۲")]))
    outcome = import_units(unit_file([unit_row(**lone, name="کارخانه 2")], name="v2.csv"))
    # The duplicate key folds digits, so the second spelling is reported as a possible twin.
    assert len(outcome.warnings) == 1
    assert set(ProductionUnit.objects.values_list("name_key", flat=True)) == {match_key("کارخانه 2")}
