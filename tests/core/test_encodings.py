"""How a CSV's bytes become text: never silently mojibake, and Excel's "Unicode text" understood."""

import datetime as dt

import pytest

from khoosheh.core.reference import Reference
from khoosheh.core.unitfile import FileProblem, read_rows, validate_rows
from tests.conftest import NID_B, unit_row, write_unit_file

TODAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def ref():
    return Reference.packaged()


def utf8_file(tmp_path, rows=None):
    path = write_unit_file(tmp_path / "u.csv", rows or [unit_row(), unit_row(national_id=NID_B)])
    return path, path.read_bytes()


def test_one_invalid_byte_in_a_utf8_file_is_refused_naming_its_line_not_read_as_cp1256(tmp_path):
    path, raw = utf8_file(tmp_path)
    lines = raw.split(b"\n")
    lines[2] = lines[2].replace("نگین".encode(), b"\xff" + "نگین".encode())  # line 3, the second unit
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(FileProblem) as refused:
        read_rows(path)
    assert "UTF-8" in str(refused.value) and "سطر ۳" in str(refused.value)


def test_a_bad_byte_after_a_utf8_bom_is_refused_too(tmp_path):
    path, raw = utf8_file(tmp_path)
    path.write_bytes(b"\xef\xbb\xbf" + raw.replace("میبد".encode(), b"\xc3" + "میبد".encode(), 1))
    with pytest.raises(FileProblem, match="UTF-8"):
        read_rows(path)


def test_a_whole_file_in_code_page_1256_is_still_read_with_a_warning(tmp_path, ref):
    path, raw = utf8_file(tmp_path)
    path.write_bytes(raw.decode("utf-8").replace("ی", "ي").replace("ک", "ك").encode("cp1256"))
    table = read_rows(path)
    assert "۱۲۵۶" in table.warnings[0]
    result = validate_rows(table, ref, today=TODAY)
    assert result.ok and result.records[0].name == "شرکت کاشی نگین"


def test_a_latin1_file_is_refused_rather_than_guessed(tmp_path):
    path = tmp_path / "u.csv"
    path.write_bytes("name,province\nCafé Crème,Ardèche\n".encode("latin-1"))
    with pytest.raises(FileProblem, match="کدگذاری"):
        read_rows(path)


def test_excels_unicode_text_utf16_with_tabs_is_read(tmp_path, ref):
    path, raw = utf8_file(tmp_path)
    text = raw.decode("utf-8").replace(",", "\t")
    path = tmp_path / "u.txt"
    path.write_bytes(text.encode("utf-16"))  # with its byte-order mark, as Excel writes it
    result = validate_rows(read_rows(path), ref, today=TODAY)
    assert result.ok, result.errors
    assert [r.name for r in result.records] == ["شرکت کاشی نگین", "شرکت کاشی نگین"]


def test_a_huge_csv_field_is_refused_in_persian_not_a_crash(tmp_path, ref):
    path = write_unit_file(tmp_path / "u.csv", [unit_row(), unit_row(national_id=NID_B, name="ن" * 140_000)])
    result = validate_rows(read_rows(path), ref, today=TODAY)
    [error] = result.errors
    assert error.row == 0 and "سطر ۳" in error.message and "نویسه" in error.message
    assert result.records == []


def test_a_file_of_more_rows_than_allowed_is_refused_clearly(tmp_path, ref):
    path = write_unit_file(tmp_path / "u.csv", [unit_row()] * 6)
    result = validate_rows(read_rows(path, max_rows=5), ref, today=TODAY)
    [error] = result.errors
    assert error.row == 0 and "بیش از ۵ سطر" in error.message and result.records == []
