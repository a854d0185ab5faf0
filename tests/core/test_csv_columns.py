"""A simple CSV read straight into columns gives exactly the rows Python's csv module gives."""

import csv
import io

import pytest

from khoosheh.core.unitfile.csvcolumns import frame_rows, simple_csv_frame, simple_utf8_csv_frame


def by_csv_module(text, delimiter=","):
    return [(n, row) for n, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1)]


def by_columns(text, delimiter=","):
    frame = simple_csv_frame(text, delimiter, max_rows=1000)
    assert frame is not None
    return [(n, cells[:len(cells)]) for n, cells in frame_rows(frame)]


def padded(rows):
    width = max((len(r) for _, r in rows), default=0)
    return [(n, r + [""] * (width - len(r))) for n, r in rows]


@pytest.mark.parametrize("text", [
    "a,b,c\n1,2,3\n",
    "a,b,c\n1,2,3",                      # no final line break
    "a,b,c\r\n1,2,3\r\n",                # Windows line ends
    "a,b,c\n\n1,2,3\n\n",                # blank lines keep their row numbers
    "a,b,c\n1,2\n1,2,3,4\n",             # short and long rows
    "نام,استان\nشرکت کاشی,یزد\n, ,\n",   # Persian, and cells of spaces
    "a,b\nx\x00y,z\n",                   # NUL, which csv accepts
    "a,b\n'=1+1,\u2028\n",               # an apostrophe, a Unicode line separator inside a cell
])
def test_simple_text_splits_into_the_rows_csv_reads(text):
    assert by_columns(text) == padded(by_csv_module(text))
    # Straight from the file's UTF-8 bytes, the same rows.
    frame = simple_utf8_csv_frame(text.encode(), ",", max_rows=1000)
    assert list(frame_rows(frame)) == by_columns(text)


@pytest.mark.parametrize("raw", [b"a,b\n\xff,1\n", b"a,b\n\xed\xa0\x80,1\n", 'نام\nكاشي'.encode("cp1256")])
def test_bytes_that_are_not_utf8_are_left_to_the_encoding_rules(raw):
    assert simple_utf8_csv_frame(raw, ",", max_rows=1000) is None


@pytest.mark.parametrize("raw", [b"", b'a,b\n"1,5",2\n', b"a,b\r1,2\r"])
def test_bytes_of_a_file_that_is_not_simple_go_to_the_csv_module(raw):
    assert simple_utf8_csv_frame(raw, ",", max_rows=1000) is None


def test_semicolons_and_tabs_work_the_same():
    text = "a;b\n1;2\n"
    assert by_columns(text, ";") == by_csv_module(text, ";")
    assert by_columns(text.replace(";", "\t"), "\t") == by_csv_module(text, ";")


@pytest.mark.parametrize("text", ['a,b\n"1,5",2\n', "a,b\r1,2\r", "a,b\r\n1\r2,3\r\n", "a,b\r\n1,2\r",
                                  "a,b\n" + "x" * 200_000 + ",1\n"])
def test_quotes_bare_carriage_returns_and_huge_cells_go_to_the_csv_module(text):
    assert simple_csv_frame(text, ",", max_rows=1000) is None
    assert simple_utf8_csv_frame(text.encode(), ",", max_rows=1000) is None


def test_more_rows_than_allowed_go_to_the_csv_module_which_refuses_them():
    assert simple_csv_frame("a\n1\n2\n3\n", ",", max_rows=2) is None


def test_an_empty_file_goes_to_the_csv_module_which_says_it_is_empty():
    assert simple_csv_frame("", ",", max_rows=1000) is None
