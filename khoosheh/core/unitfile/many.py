"""A registry that comes as many files (a folder, a glob: what census microdata and distributed pipelines
produce), checked as if it were one.

Each file is validated on its own by `validate_rows` (so a worker can take it); what a single file cannot see
is a national ID repeated in another file. That is judged from a small table per file — one entry per row with
a national ID: the ID, the file's position, the row, and a digest of the row's contents — with the rule a single
file uses: an exact repeat is kept once (a warning on the later row), a repeat with different contents is an
error on both rows. Entries are judged per ID in (file, row) order, so the decisions do not depend on how the
entries were grouped: the embedded engine judges all of them at once, the Dask engine one hash bucket of IDs at
a time (issue 14), and both drop the same rows.
"""

from __future__ import annotations

import dataclasses
import glob
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from ..reference import Reference
from ..text import to_persian_digits
from .columnar import RECORD_COLUMNS
from .columns import COLUMNS
from .readers import FileProblem, read_rows
from .validate import RowError, ValidationResult, empty_frame, validate_rows

SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods", ".parquet")
_CONTENT = [c for c in RECORD_COLUMNS if c != "row"]
_ID_HEADER = next(c.header_fa for c in COLUMNS if c.name == "national_id")


class NoInputFiles(ValueError):
    """The given paths, folders and globs name no unit file."""


def expand_inputs(specs: list[str | Path]) -> list[Path]:
    """Files, folders (their unit files, sorted by name) and globs, in the order given, each file once."""
    files: list[Path] = []
    for spec in map(str, specs):
        path = Path(spec)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())
        elif any(ch in spec for ch in "*?["):
            found = sorted(Path(p) for p in glob.glob(spec, recursive=True) if Path(p).suffix.lower() in SUFFIXES)
        else:
            found = [path]
        files.extend(p for p in found if p not in files)
    if not files:
        raise NoInputFiles(f"no unit file (CSV, XLSX or Parquet) in: {' '.join(map(str, specs))}")
    return files


@dataclass
class FileCheck:
    """One file's validation: its problems (each naming the file) and its accepted rows."""

    file: str
    position: int  # the file's place in the input order
    rows_read: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    frame: pl.DataFrame = field(default_factory=empty_frame)


def check_file(path: str | Path, position: int, reference: Reference, **options) -> FileCheck:
    """`validate_rows` on one file (``options`` are its own: ``mapping`` and the rest); a file that cannot be
    read at all is one error, not an exception. Every message names the file."""
    name = Path(path).name
    try:
        result = validate_rows(read_rows(path), reference, **options)
    except FileProblem as exc:
        result = ValidationResult(errors=[RowError(0, "", "", str(exc))])
    named = lambda items: [dataclasses.replace(e, file=name) for e in items]  # noqa: E731
    return FileCheck(name, position, result.rows_read, named(result.errors), named(result.warnings), result.frame)


def id_entries(check: FileCheck) -> pl.DataFrame:
    """The file's rows with a national ID: id, file position, row, digest of the contents."""
    with_id = check.frame.filter(pl.col("national_id") != "")
    return pl.DataFrame({
        "national_id": with_id["national_id"],
        "position": pl.Series(np.full(with_id.height, check.position, dtype=np.int32)),
        "row": with_id["row"],
        "digest": with_id.select(_CONTENT).hash_rows(seed=0),
    })


def bucket_of(entries: pl.DataFrame, buckets: int) -> pl.Series:
    """Which of ``buckets`` groups each entry's ID falls in (the same ID, the same group, on every machine)."""
    return (entries["national_id"].hash(seed=0) % buckets).cast(pl.Int64)


@dataclass
class Verdicts:
    """Rows to drop from each file (by position), and the messages for them."""

    dropped: dict[int, set[int]] = field(default_factory=dict)
    errors: dict[int, list[RowError]] = field(default_factory=dict)
    warnings: dict[int, list[RowError]] = field(default_factory=dict)

    def add(self, other: Verdicts) -> Verdicts:
        for mine, theirs in ((self.dropped, other.dropped), (self.errors, other.errors),
                             (self.warnings, other.warnings)):
            for position, items in theirs.items():
                target = mine.setdefault(position, set() if isinstance(items, set) else [])
                target.update(items) if isinstance(target, set) else target.extend(items)
        return self


def judge_across_files(entries: pl.DataFrame, names: list[str]) -> Verdicts:
    """Repeated national IDs between files (within one file `validate_rows` has judged them already)."""
    verdicts = Verdicts()
    spread = entries.group_by("national_id").agg(pl.col("position").n_unique().alias("files"))
    repeated = entries.join(spread.filter(pl.col("files") > 1), on="national_id").sort("national_id", "position",
                                                                                       "row")
    for (national_id,), group in repeated.group_by("national_id", maintain_order=True):
        first = group.row(0, named=True)
        where = lambda e: f"سطر {to_persian_digits(e['row'])} فایل «{names[e['position']]}»"  # noqa: E731
        conflicting = [e for e in group.iter_rows(named=True) if e["digest"] != first["digest"]]
        for entry in group.iter_rows(named=True):
            if entry is first or entry == first:
                continue
            if entry["digest"] == first["digest"]:
                verdicts.dropped.setdefault(entry["position"], set()).add(entry["row"])
                verdicts.warnings.setdefault(entry["position"], []).append(RowError(
                    entry["row"], _ID_HEADER, national_id, f"تکرار عین {where(first)}؛ یک بار ثبت می‌شود",
                    names[entry["position"]]))
        if conflicting:
            involved = [first, *conflicting]
            for entry in involved:
                other = first if entry is not first else conflicting[0]
                verdicts.dropped.setdefault(entry["position"], set()).add(entry["row"])
                verdicts.errors.setdefault(entry["position"], []).append(RowError(
                    entry["row"], _ID_HEADER, national_id,
                    f"این شناسه ملی در {where(other)} هم آمده با اطلاعات متفاوت", names[entry["position"]]))
    return verdicts


def apply_verdicts(check: FileCheck, verdicts: Verdicts) -> FileCheck:
    """The file's check with the verdicts across files: their rows dropped, their messages added."""
    dropped = verdicts.dropped.get(check.position, set())
    frame = check.frame.filter(~pl.col("row").is_in(sorted(dropped))) if dropped else check.frame
    errors = sorted([*check.errors, *verdicts.errors.get(check.position, [])], key=lambda e: e.row)
    warnings = sorted([*check.warnings, *verdicts.warnings.get(check.position, [])], key=lambda e: e.row)
    return FileCheck(check.file, check.position, check.rows_read, errors, warnings, frame)


def with_file(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    """The accepted rows with the name of their file (a unit without a national ID is named by file and row)."""
    return frame.with_columns(pl.lit(name, dtype=pl.String).alias("file"))


def check_files(paths: list[Path], reference: Reference, *, mappings: list[dict[str, str] | None] | None = None,
                **options) -> list[FileCheck]:
    """Every file checked, then repeats across files judged: the embedded engine's way, in one process.
    ``mappings`` gives each file its own column mapping (headers no alias names; None: read as it is), since
    files from different provinces have different headers."""
    mappings = mappings or [None] * len(paths)
    checks = [check_file(path, i, reference, mapping=mapping, **options)
              for i, (path, mapping) in enumerate(zip(paths, mappings, strict=True))]
    if len(checks) > 1:
        entries = pl.concat([id_entries(c) for c in checks])
        verdicts = judge_across_files(entries, [c.file for c in checks])
        checks = [apply_verdicts(c, verdicts) for c in checks]
    return checks
