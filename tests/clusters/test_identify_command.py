"""`khoosheh identify FILE|--from-db --output OUT`."""

import csv
import json

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from python_calamine import CalamineWorkbook

from khoosheh.registry.importing import import_units

MEYBOD = (32.25014, 54.01658)
MIX = ["1010", "1410", "2220", "2511", "3100", "2395"]


@pytest.fixture
def cluster_file(tmp_path):
    """1,500 units of a general mix around Meybod, and 30 tile makers packed 8 km east (rows 1502-1531)."""
    rng = np.random.default_rng(42)
    path = tmp_path / "units.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["name", "isic", "province", "county", "lat", "lon", "employees", "status"])
        for i in range(1500):
            w.writerow([f"کارگاه {i}", rng.choice(MIX), "یزد", "میبد", MEYBOD[0] + rng.normal(0, 0.2),
                        MEYBOD[1] + rng.normal(0, 0.2), 12, "فعال"])
        for i in range(30):
            w.writerow([f"کاشی {i}", "2393", "یزد", "میبد", MEYBOD[0] + rng.normal(0, 0.008),
                        MEYBOD[1] + 0.085 + rng.normal(0, 0.008), 40, "فعال"])
    return path


def test_identify_a_file_to_json(cluster_file, tmp_path, capsys):
    out = tmp_path / "clusters.json"
    call_command("identify", str(cluster_file), "--output", str(out))
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["params"]["min_units"] == 10 and result["input"]["units"] == 1530
    [cluster] = result["clusters"]
    assert (cluster["isic"], cluster["province"], cluster["county"]) == ("2393", "21", "2106")
    planted = {f"row:{r}" for r in range(1502, 1532)}
    assert len(planted & set(cluster["members"])) >= 28 and len(cluster["members"]) <= 33
    assert cluster["centroid"][1] == pytest.approx(MEYBOD[1] + 0.085, abs=0.01)
    assert {"id", "lq", "score", "stars", "n_units", "employees"} <= set(cluster)
    assert capsys.readouterr().out.strip() == "1 clusters"


def test_identify_writes_geojson_and_excel(cluster_file, tmp_path):
    call_command("identify", str(cluster_file), "--output", str(tmp_path / "c.geojson"))
    feature = json.loads((tmp_path / "c.geojson").read_text())["features"][0]
    assert feature["geometry"]["type"] == "Point" and feature["properties"]["isic"] == "2393"
    call_command("identify", str(cluster_file), "--output", str(tmp_path / "c.xlsx"))
    book = CalamineWorkbook.from_path(str(tmp_path / "c.xlsx"))
    rows = book.get_sheet_by_index(0).to_python()
    assert rows[0][0] == "شناسه خوشه" and rows[1][1] == "2393" and "سرامیک" in rows[1][2]
    assert len(book.get_sheet_by_index(1).to_python()) >= 29  # header + members


def test_a_file_the_import_refuses_is_refused_with_the_same_report(tmp_path, unit_file):
    from tests.conftest import NID_B, unit_row

    bad = unit_file([unit_row(), unit_row(national_id=NID_B, isic="9999")])
    report = tmp_path / "report.csv"
    with pytest.raises(CommandError) as failure:
        call_command("identify", str(bad), "--output", str(tmp_path / "x.json"), "--report", str(report))
    assert failure.value.returncode == 1 and not (tmp_path / "x.json").exists()
    rows = list(csv.DictReader(report.open(encoding="utf-8-sig")))
    assert (rows[0]["row"], rows[0]["column"]) == ("3", "کد آیسیک")


@pytest.mark.django_db
def test_identify_from_the_registry(cluster_file, tmp_path):
    assert import_units(cluster_file).written
    out = tmp_path / "db.json"
    call_command("identify", "--from-db", "--output", str(out))
    [cluster] = json.loads(out.read_text())["clusters"]
    assert cluster["isic"] == "2393" and cluster["n_units"] >= 28


def test_parameters_are_checked(cluster_file, tmp_path):
    with pytest.raises(CommandError, match="alpha"):
        call_command("identify", str(cluster_file), "--output", str(tmp_path / "x.json"), "--alpha", "2")
    with pytest.raises(CommandError):
        call_command("identify", str(cluster_file), "--output", str(tmp_path / "x.pdf"))
