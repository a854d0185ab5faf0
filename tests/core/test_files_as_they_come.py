"""Unit files as officials make them: a title above the headers, blank rows, a row-number column,
headers spelt a little differently; messages still name the spreadsheet's real rows."""

import csv
import datetime as dt

import pytest

from khoosheh.core.reference import Reference
from khoosheh.core.unitfile import read_rows, validate_rows
from khoosheh.core.unitfile.columns import COLUMNS, column_for_header
from tests.conftest import NID_B, unit_row

TODAY = dt.date(2026, 11, 26)
TITLE = "فهرست واحدهای تولیدی استان یزد ۱۴۰۲"
NAMES = [c.name for c in COLUMNS]


@pytest.fixture(scope="module")
def ref():
    return Reference.packaged()


def provincial_matrix(rows):
    """A title row, a blank row, then headers with a row-number column and an empty column, then data."""
    header = ["ردیف", "", *[c.header_fa for c in COLUMNS]]
    body = [[str(i), "", *[r.get(n, "") for n in NAMES]] for i, r in enumerate(rows, start=1)]
    return [[TITLE], [], header, *body]


def write(path, matrix):
    if path.suffix == ".xlsx":
        import xlsxwriter

        book = xlsxwriter.Workbook(str(path))
        sheet = book.add_worksheet()
        sheet.merge_range(0, 0, 0, 5, TITLE)  # a title across the top, as officials do
        for r, values in enumerate(matrix[1:], start=1):
            for c, v in enumerate(values):
                if v != "":
                    sheet.write_string(r, c, v)
        book.close()
    else:
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows(matrix)
    return path


@pytest.mark.parametrize("name", ["units.csv", "units.xlsx"])
def test_a_title_row_blank_row_and_row_number_column_are_not_in_the_way(tmp_path, ref, name):
    path = write(tmp_path / name, provincial_matrix([unit_row(), unit_row(national_id=NID_B, name="صنایع آرمان")]))
    result = validate_rows(read_rows(path), ref, today=TODAY)
    assert result.ok, result.errors
    assert result.header_row == 3
    # The data rows are the spreadsheet's rows 4 and 5.
    assert [r.row for r in result.records] == [4, 5]
    # Neither the row numbers nor the empty column is reported as an unknown column.
    assert [w for w in result.warnings if w.message.startswith("این ستون")] == []


@pytest.mark.parametrize("name", ["units.csv", "units.xlsx"])
def test_an_error_below_a_title_names_the_spreadsheet_row(tmp_path, ref, name):
    path = write(tmp_path / name, provincial_matrix([unit_row(), unit_row(national_id=NID_B, isic="9999")]))
    [error] = validate_rows(read_rows(path), ref, today=TODAY).errors
    assert (error.row, error.column) == (5, "کد آیسیک")


def test_a_file_without_a_recognisable_header_still_names_the_missing_columns(tmp_path, ref):
    # Under the title, the first row with two cells is taken as the header (the mapping step offers
    # its columns), and the missing columns are reported on that row.
    path = write(tmp_path / "u.csv", [[TITLE], ["الف", "ب"], ["1", "2"]])
    result = validate_rows(read_rows(path), ref, today=TODAY)
    assert not result.ok and {e.row for e in result.errors} == {2}
    assert "شهرستان" in {e.column for e in result.errors}


def test_without_a_title_an_unrecognised_first_row_stays_the_header(tmp_path, ref):
    path = write(tmp_path / "u.csv", [["الف", "ب"], ["1", "2"]])
    result = validate_rows(read_rows(path), ref, today=TODAY)
    assert result.header_row == 1 and {e.row for e in result.errors} == {1}


@pytest.mark.parametrize("header, column", [
    ("نام  واحد", "name"), ("نام‌واحد", "name"), ("نامواحد", "name"), ("نامِ واحد", "name"),
    ("تعداد کارکنان (نفر)", "employees"), ("شهرستان:", "county"), ("استان *", "province"),
    ("كد آيسيك", "isic"), ("Unit Name", "name"), ("تاريخ پروانه بهره برداري", "permit_date"),
    ("عرض جغرافيايي", "lat"), ("«وضعیت»", "status"),
])
def test_headers_match_whatever_the_spacing_zwnj_diacritics_or_decoration(header, column):
    assert column_for_header(header) == column


def test_a_header_unlike_any_column_is_still_unknown():
    assert column_for_header("تلفن") is None and column_for_header("ردیف") is None


def test_headers_are_the_same_whatever_their_order_spelling_or_row_number_column():
    from khoosheh.core.unitfile.header import header_signature

    signature = header_signature(["Company", "نام شهرستان", "Situation"])
    # Arabic kaf/yeh, a ZWNJ for the space, another order and a row-number column: the same headers.
    assert header_signature(["ردیف", "Situation", "company", "نام\u200cشهرستان"]) == signature
    assert header_signature(["Company", "نام شهرستان", "Status"]) != signature


def test_a_mapping_reads_columns_no_spelling_names_and_says_so(tmp_path, ref):
    path = tmp_path / "units.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["Company", "کد آیسیک", "Prov.", "Town", "Situation", "تعداد کارکنان"],
                                 ["کاشی نگین", "2393", "یزد", "میبد", "فعال", "85"]])
    mapping = {"name": "Company", "province": "Prov.", "county": "town", "status": "Situation", "employees": ""}
    result = validate_rows(read_rows(path), ref, today=TODAY, mapping=mapping)
    assert result.ok, result.errors
    # "employees": "" says the file has no such column, so its «تعداد کارکنان» is not read.
    record = result.records[0]
    assert (record.name, record.county_code, record.employees) == ("کاشی نگین", "2106", None)
    assert "این ستون به جای «شهرستان» خوانده شد (نگاشت ستون‌ها)" in [w.message for w in result.warnings]


def test_a_mapping_naming_a_header_the_file_lacks_is_refused_on_the_header_row(tmp_path, ref):
    path = tmp_path / "units.csv"
    path.write_text("Company,کد آیسیک,استان,شهرستان,وضعیت\nکاشی,2393,یزد,میبد,فعال\n", encoding="utf-8")
    result = validate_rows(read_rows(path), ref, today=TODAY, mapping={"name": "Firm"})
    assert [(e.row, e.message) for e in result.errors] == [(1, "ستون «Firm» در فایل نیست")]


def test_the_top_of_a_large_csv_is_peeked_without_reading_it_all(tmp_path):
    from khoosheh.core.unitfile.header import CSV_PEEK_BYTES, peek_file

    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerows([[TITLE], ["ردیف", "Company", "استان"]])
        writer.writerows([str(i), f"کارگاه {i}", "یزد"] for i in range(40_000))
    assert path.stat().st_size > CSV_PEEK_BYTES
    top = peek_file(path, rows=3)
    assert (top.header_row, top.headers, top.columns) == (2, ["ردیف", "Company", "استان"], ["Company", "استان"])
    assert top.rows == [["0", "کارگاه 0", "یزد"], ["1", "کارگاه 1", "یزد"], ["2", "کارگاه 2", "یزد"]]


def test_spreadsheet_cells_that_are_not_text_read_as_a_person_typed_them(tmp_path, ref):
    import xlsxwriter

    path = tmp_path / "typed.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, [c.header_fa for c in COLUMNS])
    values = unit_row()
    for c, column in enumerate(COLUMNS):
        sheet.write_string(1, c, values[column.name])
    # Row 3 as Excel users type it: numbers as numbers, the permit date as a real (Gregorian) date,
    # the exporter flag as a boolean, the ISIC code as a number that lost its leading zero.
    row = {**unit_row(national_id=NID_B, isic="111", name="کشت و صنعت"), "lat": 32.2451, "lon": 54.0087,
           "employees": 85, "capacity_utilisation": 72.5}
    for c, column in enumerate(COLUMNS):
        value = row[column.name]
        if column.name == "isic":
            sheet.write_number(2, c, 111)
        elif column.name == "permit_date":
            sheet.write_datetime(2, c, dt.datetime(2016, 7, 2), book.add_format({"num_format": "yyyy-mm-dd"}))
        elif column.name == "exporter":
            sheet.write_boolean(2, c, True)
        elif isinstance(value, (int, float)):
            sheet.write_number(2, c, value)
        else:
            sheet.write_string(2, c, value)
    book.close()
    result = validate_rows(read_rows(path), ref, today=TODAY)
    assert result.ok, result.errors
    typed = result.records[1]
    assert (typed.isic, typed.employees, typed.capacity_utilisation, typed.exporter) == ("0111", 85, 72.5, True)
    assert (typed.lat, typed.permit_date) == (32.2451, dt.date(2016, 7, 2))


def test_the_top_of_a_spreadsheet_is_peeked_below_its_title(tmp_path):
    from khoosheh.core.unitfile.header import peek_file

    rows = [["ردیف", "Company", "استان"], *[[str(i), f"کارگاه {i}", "یزد"] for i in range(100)]]
    path = write(tmp_path / "units.xlsx", [[TITLE], [], *rows])
    top = peek_file(path, rows=2)
    assert (top.header_row, top.columns, top.rows) == (3, ["Company", "استان"],
                                                       [["0", "کارگاه 0", "یزد"], ["1", "کارگاه 1", "یزد"]])
