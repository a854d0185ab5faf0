"""Refuse an XLSX file whose first sheet would exhaust the server, before calamine reads it.

calamine keeps a sheet as a dense grid from its first to its last cell (32 bytes a cell), so a
5 KB file with one value in A1 and one in XFD1048576 asks for 550 GB, and the process aborts
(no Python exception to catch).  Its declared sizes cannot be trusted either.  So, before any
parsing, the first sheet's XML is inflated here as a stream — counting the bytes it really
inflates to, whatever the zip header says — and the extent of its cells is measured the way
calamine places them:

* the fast path (every file Excel, LibreOffice, Google Sheets, openpyxl or XlsxWriter writes):
  each cell tag starts with its reference, ``<c r="B7"``; numpy reads every reference of a chunk
  at once, so the pass costs a fraction of calamine's own read;
* otherwise (cells without references, placed by counting), a plain scan follows calamine's
  counting, tag by tag.  It is slower, and refuses comments and CDATA in the sheet, which could
  hide tags from it.

Refused: more than ``max_rows`` data rows, more than ``MAX_COLUMNS`` columns, or a grid of more
than ``MAX_CELLS`` cells; an inflated sheet or shared-strings part over ``max_bytes``.
"""

from __future__ import annotations

import copy
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

import numpy as np

from ..text import persian_number

MAX_COLUMNS = 200
# A million rows of 30 columns: calamine's dense grid then takes about 1 GB.
MAX_CELLS = 30_000_000
CHUNK = 16 << 20
_SMALL_PART = 16 << 20  # workbook.xml and its relationships are a few KB
_LONGEST_TAG = 1 << 20  # real tags are tens of bytes; a longer one is refused rather than buffered

_TERMINATORS = np.zeros(256, dtype=bool)
_TERMINATORS[[ord(c) for c in " \t\r\n>/"]] = True
_WINDOW = 16  # look-ahead past a tag: ' r="', up to 3 letters, up to 8 digits, the quote


class SheetTooLarge(ValueError):
    """The file must not be read; the message is Persian, for people."""


@dataclass
class Extent:
    first_row: int = -1  # 0-based, as calamine counts; -1: no cell yet
    last_row: int = -1
    first_col: int = -1
    last_col: int = -1

    def add_one(self, row: int, col: int) -> None:
        self.first_row = row if self.first_row < 0 else min(self.first_row, row)
        self.last_row = max(self.last_row, row)
        self.first_col = col if self.first_col < 0 else min(self.first_col, col)
        self.last_col = max(self.last_col, col)

    def add(self, rows: np.ndarray, cols: np.ndarray) -> None:
        if len(rows) == 0:
            return
        lo_r, hi_r, lo_c, hi_c = int(rows.min()), int(rows.max()), int(cols.min()), int(cols.max())
        self.first_row = lo_r if self.first_row < 0 else min(self.first_row, lo_r)
        self.last_row = max(self.last_row, hi_r)
        self.first_col = lo_c if self.first_col < 0 else min(self.first_col, lo_c)
        self.last_col = max(self.last_col, hi_c)


def check_xlsx(path, *, max_rows: int, max_bytes: int) -> None:
    """Raise SheetTooLarge if reading the first sheet of ``path`` would cost more than the limits allow."""
    with zipfile.ZipFile(path) as archive:
        sheet = _first_sheet(archive)
        if "xl/sharedStrings.xml" in archive.namelist():
            for _ in _inflate(archive, "xl/sharedStrings.xml", max_bytes):
                pass  # only its real size matters here
        if sheet is None:
            return  # no worksheet: calamine will say so
        extent = _measure(archive, sheet, max_bytes)
    _judge(extent, max_rows)


def _judge(extent: Extent, max_rows: int) -> None:
    if extent.last_row < 0:
        return
    if extent.last_row > max_rows:  # rows are counted from row 1, the header
        raise SheetTooLarge(f"فایل بیش از {persian_number(max_rows)} سطر دارد؛ آن را به چند فایل تقسیم کنید")
    width = extent.last_col - extent.first_col + 1
    if width > MAX_COLUMNS:
        raise SheetTooLarge(f"برگه اول {persian_number(width)} ستون دارد و بیش از "
                            f"{persian_number(MAX_COLUMNS)} ستون پذیرفته نمی‌شود؛ "
                            "ستون‌های اضافه (حتی خانه‌های پرِ دور از جدول) را پاک کنید")
    if (extent.last_row - extent.first_row + 1) * width > MAX_CELLS:
        raise SheetTooLarge("برگه اول بیش از اندازه بزرگ است (سطرها در ستون‌ها)؛ "
                            "ستون‌های اضافه را پاک کنید یا فایل را به چند فایل تقسیم کنید")


def _first_sheet(archive: zipfile.ZipFile) -> str | None:
    """The part calamine reads as sheet 0: the first <sheet> of the workbook, through its relationship."""
    names = set(archive.namelist())
    try:
        workbook = ET.fromstring(_small(archive, "xl/workbook.xml"))
        rels = ET.fromstring(_small(archive, "xl/_rels/workbook.xml.rels"))
    except (KeyError, ET.ParseError):
        return next((n for n in sorted(names) if n.startswith("xl/worksheets/")), None)
    first = next((e for e in workbook.iter() if e.tag.rsplit("}", 1)[-1] == "sheet"), None)
    if first is None:
        return None
    rel_id = next((v for k, v in first.attrib.items() if k.rsplit("}", 1)[-1] == "id"), None)
    target = next((r.get("Target") for r in rels.iter() if r.get("Id") == rel_id), None)
    if not target:
        return None
    part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
    return part if part in names else None


def _small(archive: zipfile.ZipFile, name: str) -> bytes:
    return b"".join(_inflate(archive, name, _SMALL_PART))


def _inflate(archive: zipfile.ZipFile, name: str, max_bytes: int) -> Iterator[bytes]:
    """The part's bytes as really inflated, refused past ``max_bytes`` whatever its header declares."""
    info = copy.copy(archive.getinfo(name))
    info.file_size = max_bytes + 1  # read to the end of the compressed stream, not to the declared size
    total = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                total += len(chunk)
                if total > max_bytes:
                    raise SheetTooLarge("فایل اکسل پس از بازشدن بیش از اندازه بزرگ است و پذیرفته نمی‌شود")
                yield chunk
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        if isinstance(exc, SheetTooLarge):
            raise
        raise SheetTooLarge("فایل اکسل آسیب دیده است و خوانده نشد؛ آن را دوباره با اکسل ذخیره کنید") from exc


def _tag_aligned(chunks: Iterator[bytes]) -> Iterator[memoryview]:
    """Chunks cut just before a '<', so that no tag (or reference) is split between two."""
    carry = b""
    for chunk in chunks:
        buffer = carry + chunk
        cut = buffer.rfind(b"<")
        if cut < 0:
            carry = b""  # text alone: no tag starts in it
            continue
        if cut > 0:
            yield memoryview(buffer)[:cut]
        carry = buffer[cut:]
        if len(carry) > _LONGEST_TAG:
            raise SheetTooLarge("برگه اول ساختار نامعمولی دارد (برچسبی بسیار بلند)؛ فایل را دوباره با اکسل ذخیره کنید")
    if carry:
        yield memoryview(carry)


def _measure(archive: zipfile.ZipFile, sheet: str, max_bytes: int) -> Extent:
    extent = Extent()
    chunks = _tag_aligned(_inflate(archive, sheet, max_bytes))
    for chunk in chunks:
        if not _add_referenced_cells(chunk, extent):
            # Some cell does not start with its reference: measure it all again, by counting.
            return _measure_by_counting(_tag_aligned(_inflate(archive, sheet, max_bytes)))
    return extent


def _cell_tags(d: np.ndarray) -> np.ndarray:
    """Index of the 'c' of every cell start tag, <c …> or <x:c …> (a ':c' in text counts too: it only
    sends the file to the slower, exact scan)."""
    if len(d) < 3:
        return np.empty(0, dtype=np.int64)
    c = np.flatnonzero(d[1:-1] == ord("c")) + 1
    before, after = d[c - 1], d[c + 1]
    return c[((before == ord("<")) | (before == ord(":"))) & _TERMINATORS[after]]


def _is_letter(b: np.ndarray) -> np.ndarray:
    return (b >= ord("A")) & (b <= ord("Z"))


def _is_digit(b: np.ndarray) -> np.ndarray:
    return (b >= ord("0")) & (b <= ord("9"))


def _add_referenced_cells(chunk, extent: Extent) -> bool:
    """Add the chunk's cells to ``extent``; False if a cell lacks a plain ' r="B7"' right after its name."""
    d = np.frombuffer(chunk, dtype=np.uint8)
    tags = _cell_tags(d)
    if len(tags) == 0:
        return True
    d = np.concatenate([d, np.zeros(_WINDOW, dtype=np.uint8)])  # every look-ahead below stays inside
    at = lambda offset: d[tags + offset]  # noqa: E731 - the byte ``offset`` after each tag's 'c'
    if not all((at(1 + k) == byte).all() for k, byte in enumerate(b' r="')):
        return False
    # Letters (one to three: A to XFD), then digits, then the closing quote.
    first, second, third, fourth = (at(5 + k) for k in range(4))
    two, three = _is_letter(second), _is_letter(second) & _is_letter(third)
    if not _is_letter(first).all() or (three & _is_letter(fourth)).any():
        return False
    cols = first.astype(np.int32) - ord("A") + 1
    cols = np.where(two, cols * 26 + second.astype(np.int32) - ord("A") + 1, cols)
    cols = np.where(three, cols * 26 + third.astype(np.int32) - ord("A") + 1, cols)
    start = tags + 6 + two + three  # the first digit
    rows = np.zeros(len(tags), dtype=np.int64)
    going = np.ones(len(tags), dtype=bool)
    for k in range(8):  # no sheet has more than 7 digits of rows; an 8th is judged too many below
        byte = d[start + k]
        digit = going & _is_digit(byte)
        if k == 0 and not digit.all():
            return False
        closing = going & ~digit
        if (closing & (byte != ord('"'))).any():
            return False  # not a plain reference: count instead
        rows = np.where(digit, rows * 10 + byte.astype(np.int64) - ord("0"), rows)
        going = digit
    extent.add(rows - 1, cols - 1)
    return True


_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*)>")
_R = re.compile(rb"""(?:^|\s)r\s*=\s*["']([A-Z]*)([0-9]*)["']""")
_HIDDEN = (b"<!--", b"<![CDATA[")


def _measure_by_counting(chunks: Iterator[bytes]) -> Extent:
    """calamine's placing of cells without references: a row follows the last, a cell the last of its row."""
    extent, row, col = Extent(), -1, -1
    for view in chunks:
        chunk = bytes(view)
        if any(marker in chunk for marker in _HIDDEN):
            raise SheetTooLarge("برگه اول ساختار نامعمولی دارد (توضیح یا CDATA میان خانه‌ها)؛ "
                                "فایل را دوباره با اکسل ذخیره کنید")
        for match in _TAG.finditer(chunk):
            kind, attributes = match.groups()
            ref = _R.search(attributes)
            if kind == b"row":
                row = int(ref.group(2)) - 1 if ref and ref.group(2) else row + 1
                col = -1
                continue
            if ref and ref.group(1) and ref.group(2):
                col = _column_number(ref.group(1)) - 1
                cell_row = int(ref.group(2)) - 1
            else:
                col, cell_row = col + 1, max(row, 0)
            extent.add_one(cell_row, col)
    return extent


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number
