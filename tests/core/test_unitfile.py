"""The unit-file contract, checked without a database (packaged reference)."""

import datetime as dt

import pytest

from khoosheh.core.reference import Reference
from khoosheh.core.unitfile import read_rows, validate_rows
from khoosheh.core.unitfile.columns import BY_NAME
from khoosheh.core.unitfile.writers import neutralise_formula
from tests.conftest import NID_A, NID_B, NID_C, unit_row, write_unit_file

TODAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def ref():
    return Reference.packaged()


@pytest.fixture
def check(tmp_path, ref):
    def run(rows, name="units.csv", headers="fa"):
        path = write_unit_file(tmp_path / name, rows, headers=headers)
        return validate_rows(read_rows(path), ref, today=TODAY)

    return run


def only_error(result):
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


# --- accepted -----------------------------------------------------------------

def test_a_clean_row_becomes_a_record(check):
    result = check([unit_row()])
    assert result.ok, result.errors
    [record] = result.records
    assert (record.national_id, record.isic, record.province_code, record.county_code) == (NID_A, "2393", "21", "2106")
    assert record.status == "active" and record.exporter is True and record.employees == 85
    assert record.permit_date == dt.date(2016, 7, 2)


@pytest.mark.parametrize("fmt", ["units.csv", "units.xlsx"])
def test_persian_arabic_and_latin_spellings_read_as_the_same_values(check, fmt):
    messy = unit_row(national_id="۱۰۱۰۱۲۳۴۵۶۵", isic="٢٣٩٣", province=" يزد ", county="ميبد",
                     employees="۸۵", permit_date="۱۳۹۵-۴-۱۲", lat="۳۲٫۲۴۵۱", status=" فعال", exporter="yes")
    clean = check([unit_row()], name="clean-" + fmt).records[0]
    result = check([messy], name=fmt)
    assert result.ok, result.errors
    assert result.records[0].data() == clean.data()


@pytest.mark.parametrize("province, county", [
    ("لرستان", "خرم‌آباد"), ("لرستان", "خرم آباد"), ("lorestan", "Khorramabad"), ("15", "1503"),
    ("IR-15", "خرمآباد"),
])
def test_province_and_county_by_name_in_any_spelling_or_by_code(check, province, county):
    result = check([unit_row(province=province, county=county, lat="33.4878", lon="48.3558")])
    assert result.ok, result.errors
    assert (result.records[0].province_code, result.records[0].county_code) == ("15", "1503")


def test_compound_province_names_with_or_without_zwnj(check):
    for spelling in ("آذربایجان‌شرقی", "آذربایجان شرقی", "East Azerbaijan"):
        result = check([unit_row(province=spelling, county="تبریز", lat="38.08", lon="46.29")])
        assert result.ok and result.records[0].province_code == "03", (spelling, result.errors)


def test_english_headers_and_values_are_accepted(check):
    result = check([unit_row(status="half-finished", exporter="no", permit_date="")], headers="en")
    assert result.ok, result.errors
    assert result.records[0].status == "half_finished" and result.records[0].exporter is False


@pytest.mark.parametrize("status, expected", [("فعال", "active"), ("راکد", "idle"), ("نیمه‌تمام", "half_finished"),
                                              ("نیمه تمام", "half_finished"), ("تعطیل", "closed"),
                                              ("closed", "closed"), ("IDLE", "idle")])
def test_statuses_in_both_languages(check, status, expected):
    assert check([unit_row(status=status)]).records[0].status == expected


def test_empty_optional_cells_mean_unknown(check):
    result = check([unit_row(national_id="", park="", lat="", lon="", employees="", permit_date="", exporter="",
                             capacity_utilisation="")])
    assert result.ok, result.errors
    record = result.records[0]
    assert record.key == "row:2"
    assert (record.lat, record.employees, record.permit_date, record.exporter) == (None, None, None, None)


def test_blank_rows_at_the_end_are_not_data(check):
    result = check([unit_row(), {k: "" for k in unit_row()}, {k: "  " for k in unit_row()}])
    assert result.ok and result.rows_read == 1


def test_excel_number_cells_are_read_as_typed(check):
    row = unit_row(national_id=10101234565, isic=2393, employees=85.0, lat=32.2451, lon=54.0087)
    result = check([row], name="numbers.xlsx")
    assert result.ok, result.errors
    assert result.records[0].national_id == NID_A and result.records[0].employees == 85


def test_leap_day_of_a_leap_year_is_a_date(check):
    assert check([unit_row(permit_date="1403/12/30")]).ok


def test_a_unit_on_an_island_is_in_iran(check):
    result = check([unit_row(province="هرمزگان", county="قشم", lat="26.95", lon="56.27", isic="1020")])
    assert result.ok, result.errors


# --- refused, with row, column, value and a Persian message ---------------------

@pytest.mark.parametrize("column, value, words", [
    ("national_id", "1010123456", "۱۱ رقم"),
    ("national_id", "10101234566", "رقم کنترل"),
    ("national_id", "1010123456X", "رقم"),
    ("isic", "9999", "وجود ندارد"),
    ("isic", "101", "۴ رقمی"),
    ("province", "کالیفرنیا", "شناخته نشد"),
    ("employees", "-3", "منفی"),
    ("employees", "دوازده", "عدد"),
    ("employees", "12.5", "صحیح"),
    ("status", "نیمه فعال", "وضعیت"),
    ("status", "", "خالی"),
    ("permit_date", "1401/13/40", "ماه"),
    ("permit_date", "1401/12/30", "وجود ندارد"),
    ("permit_date", "2021/05/01", "میلادی"),
    ("permit_date", "1410/01/01", "آینده"),
    ("exporter", "شاید", "بله"),
    ("capacity_utilisation", "140", "۱۰۰"),
    ("name", "", "خالی"),
])
def test_invalid_cells_are_refused_with_row_column_value_and_message(check, column, value, words):
    result = check([unit_row(), unit_row(**{"national_id": NID_B, column: value})])
    error = only_error(result)
    assert error.row == 3  # the header is row 1, so the second data row is row 3
    assert error.column == BY_NAME[column].header_fa
    assert error.value == value
    assert words in error.message
    assert [r.row for r in result.records] == [2]


def test_a_county_in_another_province_is_named(check):
    error = only_error(check([unit_row(province="اصفهان", county="میبد")]))
    assert error.column == "شهرستان" and "یزد" in error.message


def test_location_outside_iran_is_refused(check):
    error = only_error(check([unit_row(lat="25.20", lon="55.27")]))  # Dubai
    assert error.column == "عرض جغرافیایی" and "بیرون از ایران" in error.message


def test_a_unit_on_the_shore_of_the_persian_gulf_is_accepted(check):
    result = check([unit_row(province="هرمزگان", county="بندرعباس", lat="27.18", lon="56.27", isic="1020")])
    assert result.ok, result.errors
    assert result.warnings == []


def test_a_location_just_off_the_shore_is_accepted_with_a_warning_saying_how_far(check):
    # 27.14N 56.27E is about 3 km into the sea off Bandar Abbas: within the 5 km tolerance.
    result = check([unit_row(province="هرمزگان", county="بندرعباس", lat="27.14", lon="56.27", isic="1020")])
    assert result.ok, result.errors
    assert len(result.records) == 1
    [warning] = result.warnings
    assert (warning.row, warning.column, warning.value) == (2, "عرض جغرافیایی", "27.14, 56.27")
    assert "۳٫۰ کیلومتر بیرون از مرز" in warning.message


def test_a_location_beyond_the_tolerance_is_refused_saying_how_far_is_allowed(check):
    # About 5.2 km off Bandar Abbas.
    error = only_error(check([unit_row(province="هرمزگان", county="بندرعباس", lat="27.12", lon="56.27")]))
    assert "بیرون از ایران" in error.message and "۵ کیلومتر" in error.message


def test_the_tolerance_is_a_parameter_of_validation(tmp_path, ref):
    row = unit_row(province="هرمزگان", county="بندرعباس", lat="27.12", lon="56.27", isic="1020")
    path = write_unit_file(tmp_path / "units.csv", [row])
    assert validate_rows(read_rows(path), ref, today=TODAY, location_tolerance_km=6).ok
    assert not validate_rows(read_rows(path), ref, today=TODAY, location_tolerance_km=2).ok


def test_swapped_latitude_and_longitude_get_a_hint(check):
    error = only_error(check([unit_row(lat="54.0087", lon="32.2451")]))
    assert "جابه‌جا" in error.message


def test_location_far_from_its_county_is_refused(check):
    # Meybod (Yazd) is at about 32.25N 54.01E; Tabriz is 900 km away.
    error = only_error(check([unit_row(lat="38.08", lon="46.29")]))
    assert "کیلومتر" in error.message and "میبد" in error.message


def test_half_a_location_is_refused(check):
    error = only_error(check([unit_row(lon="")]))
    assert error.column == "طول جغرافیایی"


def test_one_national_id_twice_with_conflicting_data_refuses_both_rows(check):
    result = check([unit_row(), unit_row(employees="90"), unit_row(national_id=NID_C)])
    assert {(e.row, e.column) for e in result.errors} == {(2, "شناسه ملی"), (3, "شناسه ملی")}
    assert "تعداد کارکنان" in result.errors[0].message
    assert [r.row for r in result.records] == [4]


def test_an_identical_repeated_row_is_kept_once_with_a_warning(check):
    result = check([unit_row(), unit_row()])
    assert result.ok and len(result.records) == 1 and len(result.warnings) == 1


def test_look_alike_units_without_national_id_are_reported_not_merged(check):
    result = check([unit_row(national_id=""), unit_row(national_id="", name="شرکت  كاشي نگين", employees="3")])
    assert result.ok and len(result.records) == 2
    assert [w.row for w in result.warnings] == [3]


def test_missing_required_columns_are_named(tmp_path, ref):
    path = tmp_path / "short.csv"
    path.write_text("نام واحد,استان\nکارگاه,یزد\n", encoding="utf-8")
    result = validate_rows(read_rows(path), ref, today=TODAY)
    missing = {e.column for e in result.errors}
    assert {"کد آیسیک", "شهرستان", "وضعیت"} <= missing and all(e.row == 1 for e in result.errors)


def test_unknown_columns_are_ignored_with_a_warning(tmp_path, ref):
    path = write_unit_file(tmp_path / "u.csv", [unit_row()])
    text = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([text[0] + ",تلفن", text[1] + ",021"]) + "\n", encoding="utf-8")
    result = validate_rows(read_rows(path), ref, today=TODAY)
    assert result.ok and result.warnings[0].column == "تلفن"


def test_csv_saved_by_persian_windows_is_read(tmp_path, ref):
    path = write_unit_file(tmp_path / "u.csv", [unit_row()])
    # Code page 1256 has only the Arabic yeh and kaf, so such files carry those.
    text = path.read_text(encoding="utf-8").replace("ی", "ي").replace("ک", "ك")
    path.write_bytes(text.encode("cp1256"))
    result = validate_rows(read_rows(path), ref, today=TODAY)
    assert result.ok and result.records[0].name == "شرکت کاشی نگین"


def test_formula_looking_text_is_neutralised_for_spreadsheets():
    assert [neutralise_formula(v) for v in ("=1+1", "+98", "-2", "@SUM(A1)", "کاشی", 5)] == \
        ["'=1+1", "'+98", "'-2", "'@SUM(A1)", "کاشی", 5]


# --- every problem of a row at once ---------------------------------------------------------

def test_a_row_with_other_errors_still_has_its_location_judged(check):
    # Dubai's coordinates and an unknown ISIC code: the official sees both, in the row's column order.
    result = check([unit_row(lat="25.20", lon="55.27", isic="9999")])
    assert [(e.row, e.column) for e in result.errors] == [(2, "عرض جغرافیایی"), (2, "کد آیسیک")]
    assert "بیرون از ایران" in result.errors[0].message
    # The ISIC message is the one a row with only that error gets.
    assert result.errors[1].message == only_error(check([unit_row(isic="9999")])).message


def test_a_point_far_from_its_county_seat_is_reported_beside_a_bad_date(check):
    # Tabriz's coordinates for a unit in Meybod, and a 30 Esfand that does not exist.
    result = check([unit_row(lat="38.08", lon="46.29", permit_date="1401/12/30")])
    assert [e.column for e in result.errors] == ["عرض جغرافیایی", "تاریخ پروانه بهره‌برداری"]
    assert "کیلومتر با مرکز شهرستان میبد" in result.errors[0].message and "۲۹ روز" in result.errors[1].message


def test_a_location_is_judged_even_when_the_county_is_unknown(check):
    # No county to measure from, but a point in the sea is still outside Iran.
    result = check([unit_row(county="ناکجاآباد", lat="25.20", lon="55.27")])
    assert [e.column for e in result.errors] == ["شهرستان", "عرض جغرافیایی"]
    # And a point on land with an unknown county gets the county's message only.
    assert [e.column for e in check([unit_row(county="ناکجاآباد")]).errors] == ["شهرستان"]


def test_errors_of_many_rows_come_row_by_row(check):
    rows = [unit_row(national_id="", name=f"واحد {i}", lat="25.20", lon="55.27", employees="-1") for i in range(3)]
    result = check(rows)
    assert [(e.row, e.column) for e in result.errors] == [
        (r, c) for r in (2, 3, 4) for c in ("عرض جغرافیایی", "تعداد کارکنان")]
    assert result.records == []
