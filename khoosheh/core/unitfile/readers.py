"""Read a CSV or XLSX file into header and data rows of plain text.

Rows keep the number a spreadsheet shows (the header is row 1), so every
message can point at the cell a person has to fix.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jdatetime

from khoosheh.core.text import persian_number

# Hard limits against files that would exhaust the server (or a zip bomb).
MAX_ROWS = 1_000_000
MAX_XLSX_UNCOMPRESSED_BYTES = 1_500_000_000


class FileProblem(ValueError):
    """The file as a whole cannot be read; the message is Persian, for people."""


@dataclass
class Table:
    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]  # (spreadsheet row number, cells)
    warnings: list[str]


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a person typed."""
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        # A real date cell is Gregorian: give it in Jalali, as the contract wants.
        return jdatetime.date.fromgregorian(date=value).strftime("%Y/%m/%d")
    return str(value)


def read_rows(path: str | Path, *, max_rows: int = MAX_ROWS) -> Table:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        return _read_spreadsheet(path, max_rows)
    if suffix in (".csv", ".txt", ".tsv"):
        return _read_csv(path, max_rows)
    raise FileProblem(f"نوع فایل «{suffix or path.name}» پشتیبانی نمی‌شود؛ فایل CSV یا XLSX بفرستید")


def _decode(raw: bytes) -> tuple[str, list[str]]:
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    try:
        # Persian Windows saves "CSV" in code page 1256 by default.
        return raw.decode("cp1256"), ["فایل با کدگذاری ویندوز-۱۲۵۶ خوانده شد؛ بهتر است CSV با UTF-8 ذخیره شود"]
    except UnicodeDecodeError as exc:
        raise FileProblem("کدگذاری فایل CSV شناخته نشد؛ آن را با کدگذاری UTF-8 ذخیره کنید") from exc


def _read_csv(path: Path, max_rows: int) -> Table:
    text, warnings = _decode(path.read_bytes())
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count) if first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = next(reader)
    except StopIteration:
        raise FileProblem("فایل خالی است؛ سطر اول باید عنوان ستون‌ها باشد") from None

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, cells in enumerate(reader, start=2):
            if number - 1 > max_rows:
                raise FileProblem(f"فایل بیش از {persian_number(max_rows)} سطر دارد؛ آن را به چند فایل تقسیم کنید")
            yield number, cells

    return Table(headers, rows(), warnings)


def _read_spreadsheet(path: Path, max_rows: int) -> Table:
    from python_calamine import CalamineWorkbook

    _refuse_zip_bomb(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
        data = sheet.to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own types for broken files
        raise FileProblem(f"فایل اکسل خوانده نشد ({type(exc).__name__})؛ آیا فایل سالم و از نوع XLSX است؟") from exc
    if not data:
        raise FileProblem("برگه اول فایل خالی است؛ سطر اول باید عنوان ستون‌ها باشد")
    if len(data) - 1 > max_rows:
        raise FileProblem(f"فایل بیش از {persian_number(max_rows)} سطر دارد؛ آن را به چند فایل تقسیم کنید")
    warnings = []
    if len(workbook.sheet_names) > 1:
        warnings.append(f"فقط برگه اول («{workbook.sheet_names[0]}») خوانده شد")
    headers = [cell_text(v) for v in data[0]]
    rows = ((number, [cell_text(v) for v in cells]) for number, cells in enumerate(data[1:], start=2))
    return Table(headers, rows, warnings)


def _refuse_zip_bomb(path: Path) -> None:
    import zipfile

    if not zipfile.is_zipfile(path):
        return  # an old .xls or .ods-less file: calamine judges it
    with zipfile.ZipFile(path) as archive:
        size = sum(info.file_size for info in archive.infolist())
    if size > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise FileProblem("فایل اکسل پس از بازشدن بیش از اندازه بزرگ است و پذیرفته نمی‌شود")
