import csv

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def write_table(path, rows, header=("region", "activity", "employment", "establishments", "traded")):
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *rows])
    return path


def test_uscmp_rule_from_a_csv_table(tmp_path):
    table = write_table(tmp_path / "t.csv", [
        ("A", "X", 40, 5, "true"), ("B", "X", 40, 5, "true"), ("C", "X", 10, 2, "true"), ("D", "X", 10, 2, "true"),
        ("A", "Y", 60, 5, "true"), ("B", "Y", 60, 5, "true"), ("C", "Y", 90, 5, "true"), ("D", "Y", 90, 5, "true"),
    ])
    out = tmp_path / "out.csv"
    call_command("specialisation", str(table), "--rule", "uscmp", "--output", str(out))
    rows = {(r["region"], r["activity"]): r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert {"region", "activity", "lq", "strong"} <= set(next(iter(rows.values())))
    assert [k for k, r in rows.items() if r["strong"] == "True"] == [("A", "X"), ("B", "X")]


def test_persian_digits_and_an_xlsx_output(tmp_path):
    table = write_table(tmp_path / "t.csv", [("تهران", "۱۰", "۱٬۲۰۰", "۳۰", "")],
                        header=("region", "activity", "employment", "establishments", "traded"))
    call_command("specialisation", str(table), "--output", str(tmp_path / "o.xlsx"))
    assert (tmp_path / "o.xlsx").stat().st_size > 0


def test_bad_numbers_are_refused_with_their_row(tmp_path):
    table = write_table(tmp_path / "t.csv", [("A", "X", "many", 5, "true")])
    with pytest.raises(CommandError, match="row 2, column employment"):
        call_command("specialisation", str(table), "--output", str(tmp_path / "o.csv"))


def test_missing_columns_are_named(tmp_path):
    table = write_table(tmp_path / "t.csv", [("A", "X")], header=("region", "activity"))
    with pytest.raises(CommandError, match="employment, establishments"):
        call_command("specialisation", str(table), "--output", str(tmp_path / "o.csv"))
