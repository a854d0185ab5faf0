"""A registry in many files is checked as if it were one: every file by the contract, and a national ID that
repeats in another file judged by the rule a single file uses."""

import datetime as dt

import polars as pl
import pytest

from khoosheh.core.reference import Reference
from khoosheh.core.unitfile import read_rows, validate_rows
from khoosheh.core.unitfile.many import (
    NoInputFiles,
    bucket_of,
    check_files,
    expand_inputs,
    id_entries,
    judge_across_files,
)
from tests.conftest import NID_A, NID_B, NID_C, unit_row, write_unit_file


@pytest.fixture(scope="module")
def reference():
    return Reference.packaged()


def accepted_ids(check) -> list[str]:
    return check.frame["national_id"].to_list()


def test_folders_globs_and_files_expand_in_order_each_file_once(tmp_path):
    folder = tmp_path / "east"
    folder.mkdir()
    for name in ("b.csv", "a.parquet", "notes.md"):
        (folder / name).write_text("x")
    single = tmp_path / "west.xlsx"
    single.write_text("x")
    files = expand_inputs([folder, str(tmp_path / "*.xlsx"), single])
    assert [p.name for p in files] == ["a.parquet", "b.csv", "west.xlsx"]
    with pytest.raises(NoInputFiles):
        expand_inputs([str(tmp_path / "*.json")])


def test_an_exact_repeat_in_a_later_file_is_kept_once_with_a_warning(tmp_path, reference):
    first = write_unit_file(tmp_path / "1.csv", [unit_row(national_id=NID_A), unit_row(national_id=NID_B,
                                                                                          name="کارگاه دوم")])
    second = write_unit_file(tmp_path / "2.csv", [unit_row(national_id=NID_C, name="سوم"), unit_row(national_id=NID_A)])
    one, two = check_files([first, second], reference)
    assert accepted_ids(one) == [NID_A, NID_B]
    assert accepted_ids(two) == [NID_C]
    assert not one.errors and not two.errors
    [warning] = two.warnings
    assert (warning.row, warning.value) == (3, NID_A)
    assert "1.csv" in warning.message and "تکرار" in warning.message


def test_a_repeat_with_different_contents_refuses_both_rows(tmp_path, reference):
    first = write_unit_file(tmp_path / "1.csv", [unit_row(national_id=NID_A, employees="85")])
    second = write_unit_file(tmp_path / "2.csv", [unit_row(national_id=NID_B, name="دیگر"),
                                                  unit_row(national_id=NID_A, employees="90")])
    one, two = check_files([first, second], reference)
    assert accepted_ids(one) == [] and accepted_ids(two) == [NID_B]
    assert [(e.row, e.value) for e in one.errors] == [(2, NID_A)]
    assert [(e.row, e.value) for e in two.errors] == [(3, NID_A)]
    assert "2.csv" in one.errors[0].message and "1.csv" in two.errors[0].message


def test_the_verdicts_do_not_depend_on_how_ids_are_grouped(tmp_path, reference):
    """The Dask engine judges one hash bucket of IDs at a time; together the buckets decide as one judge."""
    rows = [unit_row(national_id=nid, name=f"واحد {i}") for i, nid in enumerate((NID_A, NID_B, NID_C))]
    files = [write_unit_file(tmp_path / f"{i}.csv", rows[: i + 1]) for i in range(3)]
    checks = check_files(files, reference)
    entries = pl.concat([id_entries(c) for c in checks])  # the accepted entries after judging: no repeats left
    assert entries["national_id"].is_duplicated().sum() == 0
    raw = pl.concat([id_entries(c) for c in (check_files([f], reference)[0] for f in files)])
    raw = raw.with_columns(pl.Series("position", [0, 1, 1, 2, 2, 2], dtype=pl.Int32))
    names = [f.name for f in files]
    whole = judge_across_files(raw, names)
    buckets = bucket_of(raw, 3)
    parts = [judge_across_files(raw.filter(buckets == b), names) for b in range(3)]
    merged = parts[0].add(parts[1]).add(parts[2])
    assert merged.dropped == whole.dropped
    assert sorted((p, e.row, e.message) for p, es in merged.warnings.items() for e in es) == \
        sorted((p, e.row, e.message) for p, es in whole.warnings.items() for e in es)


def test_a_parquet_file_is_checked_exactly_like_the_same_rows_in_a_csv(tmp_path, reference):
    csv_file = write_unit_file(tmp_path / "units.csv", [unit_row(), unit_row(national_id=NID_B, name="دوم",
                                                                              employees="", exporter="خیر")])
    parquet = tmp_path / "units.parquet"
    pl.DataFrame({
        "national_id": [NID_A, NID_B], "name": ["شرکت کاشی نگین", "دوم"], "isic": [2393, 2393],
        "province": ["یزد", "یزد"], "county": ["میبد", "میبد"], "park": [None, None],
        "lat": [32.2451, 32.2451], "lon": [54.0087, 54.0087], "employees": [85.0, None],
        "status": ["فعال", "فعال"], "permit_date": [dt.date(2016, 7, 2), dt.date(2016, 7, 2)],
        "exporter": ["بله", "خیر"], "capacity_utilisation": [72, 72],
    }).write_parquet(parquet)
    from_csv = validate_rows(read_rows(csv_file), reference)
    from_parquet = validate_rows(read_rows(parquet), reference)
    assert from_parquet.errors == [] and from_csv.errors == []
    assert from_parquet.frame.drop("row").to_dicts() == from_csv.frame.drop("row").to_dicts()


def test_each_file_is_read_with_its_own_mapping(tmp_path, reference):
    import csv

    standard = write_unit_file(tmp_path / "a.csv", [unit_row()])
    row = unit_row(national_id=NID_B)
    ministry_headers = {"name": "Company", "county": "County name"}  # headers no alias names
    renamed = tmp_path / "b.csv"
    with renamed.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([[ministry_headers.get(k, k) for k in row], list(row.values())])
    one, two = check_files([standard, renamed], reference, mappings=[None, ministry_headers])
    assert one.errors == [] and two.errors == []
    assert (two.frame["national_id"].to_list(), two.frame["name"].to_list()) == ([NID_B], [row["name"]])
    assert two.frame["county_code"].to_list() == one.frame["county_code"].to_list()


def test_a_parquet_files_headers_are_peeked_from_its_first_rows(tmp_path):
    from khoosheh.core.unitfile.header import peek_file

    parquet = tmp_path / "units.parquet"
    pl.DataFrame({"Company": [f"کارگاه {i}" for i in range(1000)], "isic": ["2393"] * 1000}).write_parquet(parquet)
    top = peek_file(parquet, rows=2)
    assert top.headers == ["Company", "isic"] and top.rows == [["کارگاه 0", "2393"], ["کارگاه 1", "2393"]]
