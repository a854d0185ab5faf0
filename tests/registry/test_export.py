"""Export writes the contract; export then import into an empty registry gives
the same registry."""

import csv

import pytest
from python_calamine import CalamineWorkbook

from khoosheh.registry.exporting import export_units
from khoosheh.registry.importing import import_units
from khoosheh.registry.models import IndustrialPark, ProductionUnit
from tests.conftest import NID_B, NID_C, unit_row

pytestmark = pytest.mark.django_db

COMPARED = ("national_id", "name", "activity_id", "province_id", "county_id", "park__name", "lat", "lon",
            "employees", "status", "permit_date", "exporter", "capacity_utilisation")


def registry_contents():
    return sorted(ProductionUnit.objects.values_list(*COMPARED), key=repr)


def varied_units():
    return [
        unit_row(park="شهرک صنعتی میبد"),
        unit_row(national_id=NID_B, name="=HYPERLINK(\"http://x\")", status="نیمه‌تمام", permit_date="",
                 exporter="", capacity_utilisation="", employees=""),
        unit_row(national_id="", name="-کارگاه بی‌نام", lat="", lon="", status="تعطیل", exporter="خیر",
                 capacity_utilisation="12.5", isic="0111", province="فارس", county="شیراز"),
        unit_row(national_id=NID_C, name="واحد ۲", status="راکد", permit_date="1403/12/30"),
    ]


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["fa", "en"])
def test_export_then_import_into_an_empty_registry_gives_the_same_registry(unit_file, tmp_path, suffix, language):
    assert import_units(unit_file(varied_units())).written
    original = registry_contents()
    out = tmp_path / f"export.{suffix}"
    assert export_units(out, ProductionUnit.objects.all(), language=language) == 4

    ProductionUnit.objects.all().delete()
    IndustrialPark.objects.all().delete()
    outcome = import_units(out)
    assert outcome.written, outcome.errors
    assert registry_contents() == original


def test_cells_that_look_like_formulas_are_neutralised(unit_file, tmp_path):
    import_units(unit_file(varied_units()))
    out = tmp_path / "export.csv"
    export_units(out, ProductionUnit.objects.all())
    with out.open(encoding="utf-8-sig") as f:
        names = [row[1] for row in csv.reader(f)][1:]
    assert "'=HYPERLINK(\"http://x\")" in names and "'-کارگاه بی‌نام" in names
    assert not any(n.startswith(("=", "+", "-", "@")) for n in names)


def test_xlsx_export_is_right_to_left_with_persian_headers(unit_file, tmp_path):
    import_units(unit_file(varied_units()))
    out = tmp_path / "export.xlsx"
    export_units(out, ProductionUnit.objects.all())
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    assert rows[0][:3] == ["شناسه ملی", "نام واحد", "کد آیسیک"]
    # National IDs stay text, so a leading digit is never lost to a number format.
    assert all(isinstance(r[0], str) for r in rows[1:])
