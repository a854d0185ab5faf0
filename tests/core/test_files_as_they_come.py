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
    path = write(tmp_path / "u.csv", [[TITLE], ["الف", "ب"], ["1", "2"]])
    result = validate_rows(read_rows(path), ref, today=TODAY)
    assert not result.ok and {e.row for e in result.errors} == {1}
    assert "شهرستان" in {e.column for e in result.errors}


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
