"""A small XLSX cannot make the server allocate a huge grid (issue 17, finding 3).

calamine holds a sheet as a dense grid from its first cell to its last, so a 5 KB file with one
value in A1 and one in XFD1048576 used to abort the process asking for 550 GB. Such a file is
now measured before calamine reads it and refused with a Persian message; ordinary files, and
sheets whose declared range is huge but whose cells are few, are read as before, with the
spreadsheet's own row numbers."""

import struct
import subprocess
import sys
import textwrap
import zipfile

import pytest

from khoosheh.core.text import persian_number
from khoosheh.core.unitfile import read_rows
from khoosheh.core.unitfile.xlsx_guard import MAX_COLUMNS, SheetTooLarge, check_xlsx

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def text(ref, value):
    where = f' r="{ref}"' if ref else ""
    return f'<c{where} t="inlineStr"><is><t>{value}</t></is></c>'


def number(ref, value):
    where = f' r="{ref}"' if ref else ""
    return f"<c{where}><v>{value}</v></c>"


def xlsx(path, rows: str, dimension="A1:XFD1048576"):
    """An XLSX written by hand, so that its sheet XML is exactly ``rows``."""
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


@pytest.fixture
def far_corner(tmp_path):
    """Five kilobytes: a header in A1, one number in the sheet's last cell."""
    return xlsx(tmp_path / "far.xlsx", f'<row r="1">{text("A1", "name")}</row>'
                                       f'<row r="1048576">{number("XFD1048576", 1)}</row>')


def refusal(path):
    """Read ``path`` in a child process with 1.5 GB of address space and give its refusal.

    If the file reached calamine, its dense grid would abort the child, not the test run."""
    code = textwrap.dedent(f"""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))
        from khoosheh.core.unitfile import FileProblem, read_rows
        try:
            read_rows({str(path)!r})
        except FileProblem as refused:
            print("refused:", refused)
        else:
            print("read")
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.startswith("refused:"), (done.returncode, done.stdout, done.stderr[-2000:])
    return done.stdout


def test_a_tiny_file_reaching_the_last_cell_of_the_sheet_is_refused_in_persian(far_corner):
    assert far_corner.stat().st_size < 5_000
    assert f"بیش از {persian_number(1_000_000)} سطر" in refusal(far_corner)


def test_cells_placed_by_counting_rather_than_by_reference_are_measured_too(tmp_path):
    # No r="…" anywhere: calamine counts rows and cells, so a million empty rows and a row of
    # 16,384 numbers (11 KB zipped) reach the same far corner.
    rows = f"<row>{text('', 'name')}</row>" + "<row/>" * 1_048_574 + "<row>" + number("", 1) * 16_384 + "</row>"
    path = xlsx(tmp_path / "counted.xlsx", rows, dimension="A1")
    assert path.stat().st_size < 20_000
    assert "سطر" in refusal(path)


def test_a_sheet_wider_than_the_column_limit_is_refused(tmp_path):
    path = xlsx(tmp_path / "wide.xlsx", f'<row r="1">{text("A1", "name")}{number("XFD1", 1)}</row>')
    message = refusal(path)
    assert f"بیش از {persian_number(MAX_COLUMNS)} ستون" in message


def test_a_huge_declared_range_with_few_cells_is_read_with_real_row_numbers(tmp_path):
    # The dimension says A1:XFD1048576, the cells are three: nothing is refused, rows keep their numbers.
    path = xlsx(tmp_path / "declared.xlsx", f'<row r="1">{text("A1", "name")}{text("B1", "isic")}</row>'
                                            f'<row r="2">{text("A2", "x")}</row>'
                                            f'<row r="40">{text("B40", "2393")}</row>')
    table = read_rows(path)
    rows = list(table.rows)
    assert table.headers == ["name", "isic"]
    assert rows[0] == (2, ["x", ""]) and rows[-1] == (40, ["", "2393"]) and len(rows) == 39


def test_a_sheet_starting_below_and_right_of_a1_keeps_its_row_numbers(tmp_path):
    path = xlsx(tmp_path / "offset.xlsx", f'<row r="1">{text("B1", "name")}</row>'
                                          f'<row r="3">{text("B3", "x")}</row>')
    table = read_rows(path)
    assert table.headers == ["name"] and list(table.rows) == [(2, [""]), (3, ["x"])]


def test_the_sheet_is_measured_by_its_real_size_not_the_size_its_zip_header_declares(tmp_path):
    path = xlsx(tmp_path / "lying.xlsx", f'<row r="1">{text("A1", "name")}</row>' + "<row/>" * 50_000)
    _declare_size(path, "xl/worksheets/sheet1.xml", 100)
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size == 100  # what the header now says
    with pytest.raises(SheetTooLarge):
        check_xlsx(path, max_rows=1_000_000, max_bytes=200_000)  # it inflates to about 300 KB


def _declare_size(path, name, size):
    """Rewrite the uncompressed size of one part in both the local and the central zip headers."""
    data = bytearray(path.read_bytes())
    encoded = name.encode()
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        at = data.find(signature)
        while at >= 0:
            if data[at + name_at:at + name_at + len(encoded)] == encoded:
                data[at + size_at:at + size_at + 4] = struct.pack("<I", size)
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))


def test_an_ordinary_workbook_is_measured_without_complaint(tmp_path):
    from tests.conftest import unit_row, write_unit_file

    path = write_unit_file(tmp_path / "units.xlsx", [unit_row() for _ in range(50)])
    check_xlsx(path, max_rows=1_000_000, max_bytes=10_000_000)  # XlsxWriter's r-first cells: the fast path
    assert [n for n, _ in read_rows(path).rows] == list(range(2, 52))
