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

import xlsxwriter

from .columns import COLUMNS
from .fields import STATUS_LABELS_FA

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


# Rows of the template that carry the drop-down lists (a province's file is rarely longer).
TEMPLATE_ROWS = 20_000


def write_template(path: str | Path, reference) -> None:
    """An empty unit file (Persian headers) whose province, county, ISIC, status and exporter
    columns are drop-down lists (spreadsheet data validation).  The lists live on a hidden
    sheet: a list typed into the rule itself may not exceed 255 characters."""
    lists = {
        "province": sorted(p.name_fa for p in reference.provinces.values()),
        "county": sorted({c.name_fa for c in reference.counties.values() if c.province_code in reference.provinces}),
        "isic": sorted(reference.isic_classes),
        "status": list(STATUS_LABELS_FA.values()),
        "exporter": ["بله", "خیر"],
    }
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    sheet = workbook.add_worksheet("units")
    sheet.right_to_left()
    hidden = workbook.add_worksheet("lists")
    bold = workbook.add_format({"bold": True})
    text = workbook.add_format({"num_format": "@"})  # ISIC 0111 and national IDs keep their digits
    names = [c.name for c in COLUMNS]
    for col, column in enumerate(COLUMNS):
        sheet.write_string(0, col, column.header_fa, bold)
        sheet.set_column(col, col, 18, text if column.name in ("isic", "national_id") else None)
    for col, (name, values) in enumerate(lists.items()):
        hidden.write_string(0, col, name)
        for row, value in enumerate(values, start=1):
            hidden.write_string(row, col, value)
        letter = xlsxwriter.utility.xl_col_to_name(col)
        sheet.data_validation(1, names.index(name), TEMPLATE_ROWS, names.index(name), {
            "validate": "list", "source": f"=lists!${letter}$2:${letter}${len(values) + 1}",
            "error_title": "مقدار نادرست", "error_message": "از فهرست کشویی انتخاب کنید",
        })
    hidden.hide()
    sheet.freeze_panes(1, 0)
    sheet.activate()
    workbook.close()


def write_report(path, outcome) -> None:
    """Errors and warnings as CSV.  Values and headers come from the uploaded file, so they get
    the export's guard: a spreadsheet must not run a cell "=HYPERLINK(...)" as a formula."""
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        several = any(e.file for e in (*outcome.errors, *outcome.warnings))
        writer.writerow(["file"] * several + ["row", "column", "value", "message", "severity"])
        for severity, items in (("error", outcome.errors), ("warning", outcome.warnings)):
            for e in items:
                cells = [e.row, *(neutralise_formula(v) for v in (e.column, e.value, e.message)), severity]
                writer.writerow([neutralise_formula(e.file)] * several + cells)
