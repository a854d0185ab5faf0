"""Write rows in the unit-file contract, as CSV or XLSX.

Text cells that a spreadsheet would run as a formula (starting with = + - @,
or a tab or carriage return) get a leading apostrophe, the OWASP advice
against formula injection; the reader takes that apostrophe off again, so an
export imports back unchanged.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from .columns import COLUMNS

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def headers_for(language: str) -> list[str]:
    return [c.header_fa if language == "fa" else c.name for c in COLUMNS]


def write_rows(path: str | Path, rows: Iterable[Sequence[object]], *, language: str = "fa") -> int:
    """Write header and rows (in COLUMNS order); returns the number of rows."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        return _write_xlsx(path, rows, language)
    if path.suffix.lower() == ".csv":
        return _write_csv(path, rows, language)
    raise ValueError("export file must end in .csv or .xlsx")


def _write_csv(path: Path, rows, language: str) -> int:
    count = 0
    # utf-8-sig: the BOM makes Excel open Persian text correctly.
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(headers_for(language))
        for row in rows:
            writer.writerow(["" if v is None else neutralise_formula(v) for v in row])
            count += 1
    return count


def _write_xlsx(path: Path, rows, language: str) -> int:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                               "strings_to_numbers": False, "strings_to_urls": False})
    sheet = workbook.add_worksheet("units")
    if language == "fa":
        sheet.right_to_left()
    bold = workbook.add_format({"bold": True})
    for col, header in enumerate(headers_for(language)):
        sheet.write_string(0, col, header, bold)
    count = 0
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                sheet.write_number(r, col, value)
            else:
                sheet.write_string(r, col, str(neutralise_formula(value)))
        count += 1
    sheet.freeze_panes(1, 0)
    workbook.close()
    return count
