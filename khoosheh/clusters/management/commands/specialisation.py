import csv
import dataclasses
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from khoosheh.analysis import specialisation_uscmp
from khoosheh.core.text import clean, fold_digits, match_key
from khoosheh.core.unitfile import FileProblem, read_rows
from khoosheh.core.unitfile.writers import neutralise_formula

RULES = {"uscmp": specialisation_uscmp}
REQUIRED = ("region", "activity", "employment", "establishments")
TRUE, FALSE = {"true", "1", "yes", "بله", "t"}, {"false", "0", "no", "خیر", "f", ""}


class Command(BaseCommand):
    help = ("Regional specialisation from a region x activity table (columns region, activity, employment, "
            "establishments, and optionally traded). Rule uscmp: the US Cluster Mapping strong-cluster rule.")

    def add_arguments(self, parser):
        parser.add_argument("table", metavar="TABLE.csv|TABLE.xlsx")
        parser.add_argument("--rule", choices=sorted(RULES), default="uscmp")
        parser.add_argument("--output", "-o", required=True, metavar="OUT.csv|OUT.xlsx")

    def handle(self, *args, table, rule, output, **options):
        if not output.lower().endswith((".csv", ".xlsx")):
            raise CommandError("--output must end in .csv or .xlsx")
        columns = read_table(table)
        rows = RULES[rule](*columns)
        write(output, rows)
        strong = sum(r.strong for r in rows)
        self.stdout.write(self.style.SUCCESS(f"{len(rows)} region-activity rows, {strong} strong, written to {output}"))


def read_table(path: str):
    try:
        table = read_rows(path)
    except FileProblem as exc:
        raise CommandError(str(exc)) from exc
    names = [match_key(h) for h in table.headers]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise CommandError(f"row 1: missing column(s) {', '.join(missing)}")
    at = {c: names.index(c) for c in (*REQUIRED, "traded") if c in names}
    region, activity, employment, establishments, traded = [], [], [], [], []
    errors = []
    for number, cells in table.rows:
        get = lambda c, cells=cells: clean(cells[at[c]]) if at[c] < len(cells) else ""  # noqa: E731
        if not any(clean(c) for c in cells):
            continue
        region.append(get("region"))
        activity.append(get("activity"))
        for column, target in (("employment", employment), ("establishments", establishments)):
            text = fold_digits(get(column)).replace(",", "")
            try:
                value = float(text or 0)
                if value < 0:
                    raise ValueError
                target.append(value)
            except ValueError:
                errors.append(f"row {number}, column {column}: «{text}» is not a number ≥ 0")
                target.append(0.0)
        flag = get("traded").lower() if "traded" in at else ""
        if flag not in TRUE | FALSE:
            errors.append(f"row {number}, column traded: «{flag}» is not true/false")
        traded.append(flag in TRUE)
    if errors:
        raise CommandError("; ".join(errors[:20]) + (f" (and {len(errors) - 20} more)" if len(errors) > 20 else ""))
    return region, activity, employment, establishments, traded if "traded" in at else None


def write(path: str, rows) -> None:
    fields = [f.name for f in dataclasses.fields(rows[0])] if rows else ["region", "activity", "lq", "strong"]
    if Path(path).suffix.lower() == ".csv":
        with open(path, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(fields)
            for r in rows:
                writer.writerow([neutralise_formula(v) for v in dataclasses.astuple(r)])
        return
    import xlsxwriter

    book = xlsxwriter.Workbook(path, {"strings_to_formulas": False, "nan_inf_to_errors": True})
    sheet = book.add_worksheet("specialisation")
    sheet.write_row(0, 0, fields)
    for i, r in enumerate(rows, start=1):
        for j, value in enumerate(dataclasses.astuple(r)):
            if isinstance(value, str):
                sheet.write_string(i, j, neutralise_formula(value))
            else:
                sheet.write(i, j, value)
    book.close()
