"""Find the header row of a unit file as officials make them.

A province's file often starts with a title ("فهرست واحدهای تولیدی استان یزد
۱۴۰۲"), a date or a blank row or two before the real header.  The header is the
first of the top rows that names at least two contract columns; the rows above
it are not data.  Rows keep their spreadsheet numbers, so every message still
points at the cell to fix.
"""

from __future__ import annotations

import itertools

from ..text import match_key
from .columns import column_for_header
from .csvcolumns import frame_rows
from .readers import Table

# How far down a header may sit; a title block is a few rows, never dozens.
MAX_ROWS_ABOVE_HEADER = 20
# Headers of the row-number column people add; it carries nothing to import.
ROW_NUMBER_HEADERS = frozenset(match_key(h) for h in ("ردیف", "رديف", "شماره", "شماره ردیف", "#", "ش", "no",
                                                      "no.", "row", "sn", "s/n", "شمارهردیف"))


def contract_columns_named(cells: list[str]) -> int:
    return len({name for cell in cells if (name := column_for_header(cell)) is not None})


def find_header(table: Table) -> tuple[int, Table]:
    """The header's row number, and the table re-cut so that its headers are that row."""
    if contract_columns_named(table.headers) >= 2:
        return 1, table
    if table.frame is not None:
        for i, row in enumerate(table.frame.head(MAX_ROWS_ABOVE_HEADER).iter_rows()):
            if contract_columns_named(list(row[1:])) >= 2:
                rest = table.frame.slice(i + 1)
                return row[0], Table(list(row[1:]), frame_rows(rest), table.warnings, rest)
        return 1, table
    looked = list(itertools.islice(table.rows, MAX_ROWS_ABOVE_HEADER))
    for i, (number, cells) in enumerate(looked):
        if contract_columns_named(cells) >= 2:
            rest = itertools.chain(looked[i + 1:], table.rows)
            return number, Table([str(c) for c in cells], rest, table.warnings)
    return 1, Table(table.headers, itertools.chain(looked, table.rows), table.warnings)


def is_row_number_header(header: str) -> bool:
    return match_key(header) in ROW_NUMBER_HEADERS
