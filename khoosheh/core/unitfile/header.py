"""Find the header row of a unit file as officials make them.

A province's file often starts with a title ("فهرست واحدهای تولیدی استان یزد
۱۴۰۲"), a date or a blank row or two before the real header.  The header is the
first of the top rows that names at least two contract columns; the rows above
it are not data.  Rows keep their spreadsheet numbers, so every message still
points at the cell to fix.
"""

from __future__ import annotations

import codecs
import hashlib
import itertools
from dataclasses import dataclass
from pathlib import Path

from ..text import match_key
from .columns import BY_NAME, COLUMNS, column_for_header
from .csvcolumns import frame_rows
from .readers import FileProblem, Table, read_csv_bytes, read_rows

# How far down a header may sit; a title block is a few rows, never dozens.
MAX_ROWS_ABOVE_HEADER = 20
# Headers of the row-number column people add; it carries nothing to import.
ROW_NUMBER_HEADERS = frozenset(match_key(h) for h in ("ردیف", "رديف", "شماره", "شماره ردیف", "#", "ش", "no",
                                                      "no.", "row", "sn", "s/n", "شمارهردیف"))


def contract_columns_named(cells: list[str]) -> int:
    return len({name for cell in cells if (name := column_for_header(cell)) is not None})


def find_header(table: Table) -> tuple[int, Table]:
    """The header's row number, and the table re-cut so that its headers are that row.

    The header is the first of the top rows that names two contract columns; failing that (headers
    nobody listed, for the mapping step), the first row with two cells filled, if only titles (one
    cell) and blank rows stand above it; failing that, row 1."""
    if contract_columns_named(table.headers) >= 2:
        return 1, table
    if table.frame is not None:
        top = [(row[0], list(row[1:])) for row in table.frame.head(MAX_ROWS_ABOVE_HEADER).iter_rows()]
        i = _header_index(table.headers, top)
        if i is None:
            return 1, table
        rest = table.frame.slice(i + 1)
        return top[i][0], Table(top[i][1], frame_rows(rest), table.warnings, rest)
    looked = list(itertools.islice(table.rows, MAX_ROWS_ABOVE_HEADER))
    i = _header_index(table.headers, looked)
    if i is None:
        return 1, Table(table.headers, itertools.chain(looked, table.rows), table.warnings)
    rest = itertools.chain(looked[i + 1:], table.rows)
    return looked[i][0], Table([str(c) for c in looked[i][1]], rest, table.warnings)


def _header_index(first: list[str], top: list[tuple[int, list]]) -> int | None:
    """Which of the rows below row 1 (``top``) is the header, or None for row 1 itself."""
    for i, (_, cells) in enumerate(top):
        if contract_columns_named([str(c) for c in cells]) >= 2:
            return i
    if _filled(first) >= 2:
        return None
    for i, (_, cells) in enumerate(top):
        if _filled(cells) >= 2:
            return i
    return None


def _filled(cells) -> int:
    return sum(1 for c in cells if str(c).strip())


def is_row_number_header(header: str) -> bool:
    return match_key(header) in ROW_NUMBER_HEADERS


# --- headers nobody listed: the mapping step -------------------------------------------------

def header_signature(headers: list[str]) -> str:
    """What makes two files "have the same headers": their headers' match keys, in any order
    (a mapping names a header, never a position, so a column moved elsewhere maps the same).
    Empty and row-number headers, which are never read, do not count."""
    keys = sorted({key for h in headers if (key := match_key(h)) and key not in ROW_NUMBER_HEADERS})
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()


def missing_required(headers: list[str], mapping: dict[str, str] | None = None) -> list[str]:
    """The required contract columns that neither a header nor ``mapping`` supplies."""
    found = {name for h in headers if (name := column_for_header(h)) is not None}
    found |= {name for name, header in (mapping or {}).items() if header}
    return [c.name for c in COLUMNS if c.required and c.name not in found]


def mapped_positions(headers: list[str], mapping: dict[str, str]) -> dict[str, int | None]:
    """Each contract column the mapping names → the index of its header in ``headers``
    (compared by match key), or None for "not in this file"; raises MappingProblem for a
    column or header that does not exist."""
    index = {}
    for i, header in enumerate(headers):
        index.setdefault(match_key(header), i)
    positions: dict[str, int | None] = {}
    for name, header in mapping.items():
        if name not in BY_NAME:
            raise MappingProblem(f"ستون «{name}» در قالب فایل واحدها نیست")
        if not header:
            if BY_NAME[name].required:
                raise MappingProblem(f"ستون «{BY_NAME[name].header_fa}» لازم است و باید از ستونی از فایل خوانده شود")
            positions[name] = None
            continue
        if match_key(header) not in index:
            raise MappingProblem(f"ستون «{header}» در فایل نیست")
        if index[match_key(header)] in positions.values():
            raise MappingProblem(f"ستون «{header}» فایل برای دو ستون قالب انتخاب شده است")
        positions[name] = index[match_key(header)]
    return positions


class MappingProblem(ValueError):
    """A mapping that cannot be applied to the file; the message is Persian."""


@dataclass
class Peek:
    """The top of a file, for the mapping step: its header row and the first data rows."""

    header_row: int
    headers: list[str]
    rows: list[list[str]]

    @property
    def columns(self) -> list[str]:
        """The headers one may map from: named, once, and not the row numbers."""
        seen, out = set(), []
        for header in self.headers:
            key = match_key(header)
            if key and key not in seen and key not in ROW_NUMBER_HEADERS:
                seen.add(key)
                out.append(header)
        return out


CSV_PEEK_BYTES = 256 * 1024


def peek_file(path: str | Path, rows: int = 5) -> Peek | None:
    """The header row and the first ``rows`` data rows (empty rows skipped), cheaply: a CSV's first
    256 KiB only, a spreadsheet's top rows (calamine still parses the sheet, about 0.7 s per
    100,000 rows).  None when the file cannot be read; the import says why, as it always has."""
    path = Path(path)
    try:
        if path.suffix.lower() in (".csv", ".txt", ".tsv") and path.stat().st_size > CSV_PEEK_BYTES:
            table = _csv_prefix(path)
        else:
            table = read_rows(path, head=MAX_ROWS_ABOVE_HEADER + rows)
        number, table = find_header(table)
        top = []
        for _, cells in table.rows:
            if any(str(c).strip() for c in cells):
                top.append([str(c) for c in cells])
            if len(top) == rows:
                break
    except (FileProblem, OSError):
        return None
    width = len(table.headers)
    return Peek(number, [str(h) for h in table.headers], [(r + [""] * width)[:width] for r in top])


def _csv_prefix(path: Path) -> Table:
    with path.open("rb") as f:
        raw = f.read(CSV_PEEK_BYTES)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return read_rows(path)  # rare (Excel's «Unicode text»), and a byte cut would split a letter
    return read_csv_bytes(raw[:raw.rfind(b"\n") + 1] or raw)  # whole lines only
