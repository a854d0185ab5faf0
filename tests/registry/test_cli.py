"""The command line: `khoosheh import-units` and `khoosheh export-units`."""

import csv
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from khoosheh.registry.models import ProductionUnit
from tests.conftest import NID_B, NID_C, unit_row

pytestmark = pytest.mark.django_db


def test_import_units_reports_and_exits_non_zero_on_invalid_rows(unit_file, tmp_path):
    report = tmp_path / "report.csv"
    path = unit_file([unit_row(), unit_row(national_id=NID_B, county="تبریز")])
    with pytest.raises(CommandError) as failure:
        call_command("import_units", str(path), "--report", str(report))
    assert failure.value.returncode == 1
    assert ProductionUnit.objects.count() == 0
    with report.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0])[:4] == ["row", "column", "value", "message"]
    assert (rows[0]["row"], rows[0]["column"], rows[0]["value"]) == ("3", "شهرستان", "تبریز")


def test_import_units_with_skip_invalid_imports_the_rest(unit_file, capsys):
    path = unit_file([unit_row(), unit_row(national_id=NID_B, county="تبریز")])
    call_command("import_units", str(path), "--skip-invalid")
    assert ProductionUnit.objects.count() == 1
    assert "invalid rows: 1" in capsys.readouterr().out


def test_dry_run_writes_nothing(unit_file, capsys):
    call_command("import_units", str(unit_file([unit_row()])), "--dry-run")
    assert ProductionUnit.objects.count() == 0
    assert "dry run" in capsys.readouterr().out


def test_export_units_refuses_an_unknown_format(tmp_path):
    with pytest.raises(CommandError):
        call_command("export_units", str(tmp_path / "out.pdf"))


def test_export_units_of_one_province(unit_file, tmp_path):
    call_command("import_units", str(unit_file([unit_row(), unit_row(national_id=NID_B, province="همدان",
                                                                     county="ملایر", lat="", lon="")])))
    out = tmp_path / "hamadan.csv"
    call_command("export_units", str(out), "--province", "13")
    with out.open(encoding="utf-8-sig") as f:
        assert [r[0] for r in csv.reader(f)] == ["شناسه ملی", NID_B]


def test_the_khoosheh_console_script_runs_dashed_commands(tmp_path):
    env = {**os.environ, "KHOOSHEH_DATA_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-m", "khoosheh", "import-units", "--help"], capture_output=True,
                         text=True, env=env, check=True)
    assert "--skip-invalid" in out.stdout


def test_the_error_report_never_hands_a_spreadsheet_a_formula(unit_file, tmp_path):
    # Values echoed from a hostile file: each would run as a formula when the report is opened.
    hostile = ['=HYPERLINK("http://evil.example","click")', "+98", "-3", "@SUM(A1)"]
    rows = [unit_row(isic=hostile[0]), unit_row(national_id=NID_B, status=hostile[1]),
            unit_row(national_id=NID_C, employees=hostile[2]), unit_row(national_id="", exporter=hostile[3])]
    report = tmp_path / "report.csv"
    with pytest.raises(CommandError):
        call_command("import_units", str(unit_file(rows)), "--report", str(report))
    with report.open(encoding="utf-8-sig") as f:
        cells = [cell for row in csv.reader(f) for cell in row]
    assert {f"'{v}" for v in hostile} <= set(cells)
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
