"""`khoosheh identify FILE… --map COLUMN=HEADER`: a province's file whose headers no alias names is read as
`import-units` reads it — by the mapping given on the command line, else by the national mapping remembered
for its headers on the upload page — and a mapping that does not fit the file is refused before any work."""

import csv
import json

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from khoosheh.registry import mappings

MEYBOD = (32.25014, 54.01658)
MIX = ["1010", "1410", "2220", "2511", "3100", "2395"]
STANDARD = ["name", "isic", "province", "county", "lat", "lon", "employees", "status"]
# A ministry's form: the ISIC code and the coordinates are known spellings, the other required columns not.
MINISTRY = ["Company", "ISIC", "Prov.", "County name", "lat", "lon", "Staff", "Situation"]
MAP = ["--map", "نام واحد=Company", "--map", "استان=Prov.", "--map", "county=County name",
       "--map", "وضعیت=Situation", "--map", "employees=Staff"]


def units(seed: int = 7) -> list[list]:
    """300 units of a general mix around Meybod and 25 tile makers packed 8 km east."""
    rng = np.random.default_rng(seed)
    rows = [[f"کارگاه {i}", rng.choice(MIX), "یزد", "میبد", MEYBOD[0] + rng.normal(0, 0.2),
             MEYBOD[1] + rng.normal(0, 0.2), 12, "فعال"] for i in range(300)]
    rows += [[f"کاشی {i}", "2393", "یزد", "میبد", MEYBOD[0] + rng.normal(0, 0.008),
              MEYBOD[1] + 0.085 + rng.normal(0, 0.008), 40, "فعال"] for i in range(25)]
    return rows


def write(path, headers, rows):
    path.parent.mkdir(exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([headers, *rows])
    return path


def clusters(path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["clusters"]


@pytest.mark.django_db
def test_a_file_whose_headers_no_alias_names_is_refused_naming_the_missing_columns(tmp_path, capsys):
    ministry = write(tmp_path / "yazd.csv", MINISTRY, units())
    with pytest.raises(CommandError) as failure:
        call_command("identify", str(ministry), "--output", str(tmp_path / "out.json"))
    assert failure.value.returncode == 1 and not (tmp_path / "out.json").exists()
    assert "ستون «شهرستان» (county) در فایل نیست" in capsys.readouterr().err


def test_with_map_the_file_gives_the_clusters_of_the_same_rows_under_the_standard_headers(tmp_path):
    standard = write(tmp_path / "standard" / "yazd.csv", STANDARD, units())
    ministry = write(tmp_path / "ministry" / "yazd.csv", MINISTRY, units())
    call_command("identify", str(standard), "--output", str(tmp_path / "standard.json"))
    call_command("identify", str(ministry), *MAP, "--output", str(tmp_path / "mapped.json"))
    expected = clusters(tmp_path / "standard.json")
    assert [c["isic"] for c in expected] == ["2393"]
    assert clusters(tmp_path / "mapped.json") == expected


@pytest.mark.django_db
def test_without_map_the_national_mapping_remembered_for_the_headers_is_used(tmp_path, cast):
    mapping = {"name": "Company", "province": "Prov.", "county": "County name", "status": "Situation",
               "employees": "Staff"}
    mappings.remember(MINISTRY, mapping, cast.national)
    standard = write(tmp_path / "standard" / "yazd.csv", STANDARD, units())
    ministry = write(tmp_path / "ministry" / "yazd.csv", MINISTRY, units())
    call_command("identify", str(standard), "--output", str(tmp_path / "standard.json"))
    call_command("identify", str(ministry), "--output", str(tmp_path / "remembered.json"))
    assert clusters(tmp_path / "remembered.json") == clusters(tmp_path / "standard.json")


@pytest.mark.django_db
def test_several_files_are_each_read_with_the_mapping_remembered_for_their_own_headers(tmp_path, cast):
    mappings.remember(MINISTRY, {"name": "Company", "province": "Prov.", "county": "County name",
                                 "status": "Situation", "employees": "Staff"}, cast.national)
    rows = units()
    standard = [write(tmp_path / "standard" / name, STANDARD, part)
                for name, part in (("a.csv", rows[::2]), ("b.csv", rows[1::2]))]
    mixed = [write(tmp_path / "mixed" / "a.csv", STANDARD, rows[::2]),
             write(tmp_path / "mixed" / "b.csv", MINISTRY, rows[1::2])]
    call_command("identify", *map(str, standard), "--output", str(tmp_path / "standard.json"))
    call_command("identify", *map(str, mixed), "--output", str(tmp_path / "mixed.json"))
    assert clusters(tmp_path / "mixed.json") == clusters(tmp_path / "standard.json") != []


@pytest.mark.parametrize("item", ["Company", "نام شرکت=Company"])
def test_a_map_item_that_is_not_column_equals_header_is_refused(tmp_path, item):
    ministry = write(tmp_path / "yazd.csv", MINISTRY, units())
    with pytest.raises(CommandError, match="expected COLUMN=HEADER"):
        call_command("identify", str(ministry), "--map", item, "--output", str(tmp_path / "out.json"))


def test_a_map_naming_a_header_the_file_lacks_is_refused_naming_the_column_and_the_header(tmp_path):
    ministry = write(tmp_path / "yazd.csv", MINISTRY, units())
    wrong = [*MAP[:-2], "--map", "employees=Staff count"]
    with pytest.raises(CommandError) as failure:
        call_command("identify", str(ministry), *wrong, "--output", str(tmp_path / "out.json"))
    message = str(failure.value)
    assert "yazd.csv" in message and "«Staff count» در فایل نیست" in message and "«تعداد کارکنان»" in message
    assert not (tmp_path / "out.json").exists()


def test_a_map_that_leaves_a_required_column_unread_is_refused_naming_it(tmp_path):
    ministry = write(tmp_path / "yazd.csv", MINISTRY, units())
    without_status = MAP[:-4] + MAP[-2:]
    with pytest.raises(CommandError, match=r"«وضعیت» \(status\) در فایل نیست"):
        call_command("identify", str(ministry), *without_status, "--output", str(tmp_path / "out.json"))


def test_an_explicit_map_applies_to_every_file_and_is_refused_where_one_does_not_fit(tmp_path):
    rows = units()
    fits = write(tmp_path / "a.csv", MINISTRY, rows[::2])
    other = write(tmp_path / "b.csv", STANDARD, rows[1::2])  # its headers are the contract's, not Company …
    with pytest.raises(CommandError, match=r"b\.csv: --map name=Company: ستون «Company» در فایل نیست"):
        call_command("identify", str(fits), str(other), *MAP, "--output", str(tmp_path / "out.json"))


@pytest.mark.slow
def test_the_dask_engine_reads_the_file_with_the_same_mapping(tmp_path):
    pytest.importorskip("distributed")
    ministry = write(tmp_path / "yazd.csv", MINISTRY, units())
    call_command("identify", str(ministry), *MAP, "--output", str(tmp_path / "embedded.json"))
    call_command("identify", str(ministry), *MAP, "--engine", "dask", "--workers", "1",
                 "--output", str(tmp_path / "dask.json"))
    assert clusters(tmp_path / "dask.json") == clusters(tmp_path / "embedded.json") != []
