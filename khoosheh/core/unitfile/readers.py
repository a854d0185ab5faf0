"""Read a CSV or XLSX file into header and data rows of plain text.

Rows keep the number a spreadsheet shows (the header is row 1), so every
message can point at the cell a person has to fix.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jdatetime
import polars as pl

from ..text import persian_number, to_persian_digits
from .csvcolumns import frame_rows, simple_csv_frame, simple_utf8_csv_frame
from .encoding import EncodingProblem, decode_csv
from .xlsx_guard import SheetTooLarge, check_xlsx

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
    # The same rows as columns (_row, c0, c1, …) when the reader had them so (a simple CSV):
    # validation then reads these and never iterates ``rows``.
    frame: pl.DataFrame | None = None


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


def read_rows(path: str | Path, *, max_rows: int = MAX_ROWS, head: int | None = None) -> Table:
    """The file's header row and rows; with ``head``, a spreadsheet's or Parquet file's first ``head`` rows
    only (the mapping step's preview, the command line's look at the headers), without reading the rest
    (a census Parquet file can be large)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        return _read_spreadsheet(path, max_rows, head)
    if suffix in (".csv", ".txt", ".tsv"):
        return _read_csv(path, max_rows)
    if suffix == ".parquet":
        return _read_parquet(path, max_rows, head)
    raise FileProblem(f"نوع فایل «{suffix or path.name}» پشتیبانی نمی‌شود؛ فایل CSV یا XLSX بفرستید")


def _decode(raw: bytes) -> tuple[str, list[str]]:
    try:
        return decode_csv(raw)
    except EncodingProblem as exc:
        raise FileProblem(str(exc)) from None


def _read_csv(path: Path, max_rows: int) -> Table:
    return read_csv_bytes(path.read_bytes(), max_rows)


def read_csv_bytes(raw: bytes, max_rows: int = MAX_ROWS) -> Table:
    fast = _simple_utf8(raw, max_rows)
    if fast is not None:
        return fast
    text, warnings = _decode(raw)
    delimiter = _delimiter(text)
    frame = simple_csv_frame(text, delimiter, max_rows)
    if frame is not None:
        data = frame.slice(1)
        return Table(list(frame.row(0)[1:]), frame_rows(data), warnings, data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = next(reader)
    except StopIteration:
        raise FileProblem("فایل خالی است؛ سطر اول باید عنوان ستون‌ها باشد") from None
    except csv.Error as exc:
        raise _csv_problem(1, exc) from None

    def rows() -> Iterator[tuple[int, list[str]]]:
        number = 1
        try:
            for number, cells in enumerate(reader, start=2):  # noqa: B007 (number is read after the loop)
                if number - 1 > max_rows:
                    raise FileProblem(f"فایل بیش از {persian_number(max_rows)} سطر دارد؛ "
                                      "آن را به چند فایل تقسیم کنید")
                yield number, cells
        except csv.Error as exc:
            raise _csv_problem(number + 1, exc) from None

    return Table(headers, rows(), warnings)


def _read_parquet(path: Path, max_rows: int, head: int | None = None) -> Table:
    """A Parquet file (what distributed pipelines write): its columns are the contract's, as a CSV's would be.
    Every cell becomes the text a person would have typed (`cell_text`'s rules on columns: 85.0 is "85", a date
    is Jalali, a boolean 1 or 0), so it is validated exactly like the same rows in a CSV."""
    try:
        frame = pl.read_parquet(path, n_rows=head)
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise FileProblem(f"فایل Parquet خوانا نیست: {exc}") from None
    if frame.height > max_rows:
        raise FileProblem(f"فایل بیش از {persian_number(max_rows)} سطر دارد؛ آن را به چند فایل تقسیم کنید")
    cells = [_as_text(frame[name]).alias(f"c{i}") for i, name in enumerate(frame.columns)]
    data = pl.DataFrame(cells, schema={f"c{i}": pl.String for i in range(len(cells))}) if cells else pl.DataFrame()
    data = data.insert_column(0, pl.int_range(2, frame.height + 2, eager=True).alias("_row"))
    return Table([str(name) for name in frame.columns], frame_rows(data), [], data)


def _as_text(column: pl.Series) -> pl.Series:
    dtype = column.dtype
    if dtype == pl.String:
        return column.fill_null("")
    if dtype.is_float():
        whole = column.is_finite() & (column == column.floor())
        return (pl.select(pl.when(whole).then(column.cast(pl.Int64, strict=False).cast(pl.String))
                          .otherwise(column.cast(pl.String))).to_series().fill_null(""))
    if dtype == pl.Boolean:
        return column.cast(pl.UInt8).cast(pl.String).fill_null("")
    if dtype in (pl.Date, pl.Datetime):
        return column.map_elements(cell_text, return_dtype=pl.String, skip_nulls=False).fill_null("")
    return column.cast(pl.String).fill_null("")
def _delimiter(text: str) -> str:
    """The separator the top lines use most (a title line above the header has none)."""
    top = text[:20_000].split("\n", 20)[:20]
    return max(",;\t", key=lambda d: sum(line.count(d) for line in top))


def _simple_utf8(raw: bytes, max_rows: int) -> Table | None:
    """The common file, UTF-8 without quotes, read without decoding it in Python; what decode_csv
    would read as UTF-8 reads the same here (anything else returns None and goes the careful way)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    body = raw[len(codecs.BOM_UTF8):] if raw.startswith(codecs.BOM_UTF8) else raw
    # 20,000 characters are at most 80,000 bytes; a letter cut at the end is not a separator anyway.
    frame = simple_utf8_csv_frame(body, _delimiter(body[:80_000].decode("utf-8", errors="ignore")), max_rows)
    if frame is None:
        return None
    data = frame.slice(1)
    return Table(list(frame.row(0)[1:]), frame_rows(data), [], data)


def _csv_problem(row: int, exc: csv.Error) -> FileProblem:
    if "field larger than field limit" in str(exc):
        return FileProblem(f"سطر {to_persian_digits(row)}: خانه‌ای بیش از "
                           f"{persian_number(csv.field_size_limit())} نویسه دارد؛ "
                           "چنین خانه‌ای در فهرست واحدها نیست، فایل را بررسی کنید")
    return FileProblem(f"سطر {to_persian_digits(row)} فایل CSV خوانده نشد؛ آیا فایل سالم است؟")


def _read_spreadsheet(path: Path, max_rows: int, head: int | None = None) -> Table:
    from python_calamine import CalamineWorkbook

    _refuse_zip_bomb(path, max_rows)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
    except Exception as exc:  # calamine raises its own types for broken files
        # The reader's own error (ZipError, CalamineError...) means nothing to people; it stays chained for the log.
        raise FileProblem("فایل اکسل خوانده نشد: فایل آسیب دیده است یا از نوع XLSX نیست") from exc
    if sheet.end is None:
        raise FileProblem("برگه اول فایل خالی است؛ سطر اول باید عنوان ستون‌ها باشد")
    if sheet.end[0] > max_rows:  # the last row's number past the header's (row 1)
        raise FileProblem(f"فایل بیش از {persian_number(max_rows)} سطر دارد؛ آن را به چند فایل تقسیم کنید")
    warnings = []
    if len(workbook.sheet_names) > 1:
        warnings.append(f"فقط برگه اول («{workbook.sheet_names[0]}») خوانده شد")
    # Row by row, from row 1 (empty rows above the first cell included, so numbers stay the
    # spreadsheet's), but only from the first used column: no grid of empty cells is built.
    data = sheet.iter_rows()
    headers = [cell_text(v) for v in next(data)]
    if head is not None:
        top = itertools.islice(data, head)
        return Table(headers, ((n, [cell_text(v) for v in cells]) for n, cells in enumerate(top, start=2)), warnings)
    frame = _sheet_frame(data)
    return Table(headers, frame_rows(frame), warnings, frame)


SHEET_CHUNK_ROWS = 100_000


def _sheet_frame(rows: Iterator[list]) -> pl.DataFrame:
    """The sheet's data rows as columns (_row, c0, c1, …), as a simple CSV gives them: a hundred
    thousand rows at a time turned into Polars columns, so no more than that many rows are ever
    Python objects.  A column of text cells (the usual case) goes in as it is; any other column
    cell by cell through cell_text."""
    parts, number = [], 2
    while block := list(itertools.islice(rows, SHEET_CHUNK_ROWS)):
        width = max(map(len, block))
        if min(map(len, block)) < width:
            block = [[*r, *[""] * (width - len(r))] for r in block]
        names = [f"c{i}" for i in range(width)]
        if set(map(type, itertools.chain.from_iterable(block))) == {str}:  # all text: Polars transposes
            part = pl.DataFrame(block, schema=dict.fromkeys(names, pl.String), orient="row")
        else:
            columns = {}
            for name, cells in zip(names, zip(*block, strict=True), strict=True):
                try:
                    columns[name] = pl.Series(cells, dtype=pl.String, strict=True)
                except TypeError:  # numbers, dates, booleans: as a person typed them
                    columns[name] = pl.Series([cell_text(v) for v in cells], dtype=pl.String)
            part = pl.DataFrame(columns)
        parts.append(part.insert_column(0, pl.int_range(number, number + len(block), eager=True).alias("_row")))
        number += len(block)
    if not parts:
        return pl.DataFrame({"_row": pl.Series([], dtype=pl.Int64)})
    return pl.concat(parts, how="diagonal").with_columns(pl.exclude("_row").fill_null(""))


def _refuse_zip_bomb(path: Path, max_rows: int = MAX_ROWS) -> None:
    if not zipfile.is_zipfile(path):
        return  # an old .xls or .ods-less file: calamine judges it
    with zipfile.ZipFile(path) as archive:
        size = sum(info.file_size for info in archive.infolist())
    if size > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise FileProblem("فایل اکسل پس از بازشدن بیش از اندازه بزرگ است و پذیرفته نمی‌شود")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        # Declared sizes can lie, and calamine holds a sheet as a dense grid from its first cell to
        # its last: measure the real sheet before calamine may allocate it (xlsx_guard).
        try:
            check_xlsx(path, max_rows=max_rows, max_bytes=MAX_XLSX_UNCOMPRESSED_BYTES)
        except SheetTooLarge as exc:
            raise FileProblem(str(exc)) from None
