"""Read a simple CSV straight into columns, without a Python string per cell.

"Simple" means what Python's csv module would read by splitting: no quote
character anywhere (so no quoted separators or line breaks inside cells) and no
bare carriage return (which csv also takes as a line break).  Such a file is
split into lines and cells by Polars and gives exactly the rows csv.reader
gives, with the same row numbers; anything else — quotes, very wide lines, a cell
over csv's field limit, more rows than allowed — returns None and is read by
csv.reader, which also produces the Persian refusals.
"""

from __future__ import annotations

import csv

import polars as pl

MAX_COLUMNS = 500  # a unit file has a dozen; wider files go the careful way


def simple_csv_frame(text: str, delimiter: str, max_rows: int) -> pl.DataFrame | None:
    """Every line of the file as columns c0, c1, … ("" where a line is short) and _row (its number)."""
    if not text or '"' in text or text.endswith("\r"):
        return None
    return _split(pl.Series([text], dtype=pl.String), text.endswith("\n"), delimiter, max_rows)


def simple_utf8_csv_frame(raw: bytes, delimiter: str, max_rows: int) -> pl.DataFrame | None:
    """The same from a file's bytes, when they are UTF-8 (without a byte-order mark): Polars checks
    the encoding and splits the lines, so the text never becomes one Python string and a million
    Python strings.  None when the bytes are not UTF-8, or the file is not simple."""
    if not raw or b'"' in raw or raw.endswith(b"\r"):
        return None  # (a carriage return anywhere but before a line break is found once split, below)
    try:
        whole = pl.Series([raw], dtype=pl.Binary).cast(pl.String)  # strict: invalid UTF-8 raises
    except pl.exceptions.ComputeError:
        return None
    return _split(whole, raw.endswith(b"\n"), delimiter, max_rows)


def _split(whole: pl.Series, ends_with_line_break: bool, delimiter: str, max_rows: int) -> pl.DataFrame | None:
    lines = whole.str.split("\n").explode()
    del whole
    if ends_with_line_break:
        lines = lines.slice(0, len(lines) - 1)  # csv.reader yields no row after the last line break
    if len(lines) - 1 > max_rows or len(lines) == 0:
        return None
    if lines.str.contains("\r", literal=True).any():
        lines = lines.str.strip_suffix("\r")
        if lines.str.contains("\r", literal=True).any():
            return None  # a bare carriage return, which csv also takes as a line break
    width = lines.str.count_matches(delimiter, literal=True).max() + 1
    limit = csv.field_size_limit()
    if width > MAX_COLUMNS or (lines.str.len_bytes().max() > limit and lines.str.len_chars().max() > limit):
        return None
    # Split straight into a struct as wide as the widest line (short lines get nulls, then "").
    names = [f"c{i}" for i in range(width)]
    columns = (lines.str.split_exact(delimiter, width - 1).struct.rename_fields(names).struct.unnest()
               .with_columns(pl.all().fill_null("")))
    return columns.insert_column(0, pl.int_range(1, len(lines) + 1, eager=True).alias("_row"))


def frame_rows(frame: pl.DataFrame):
    """The frame's rows as read_rows gives them: (row number, cells)."""
    for row in frame.iter_rows():
        yield row[0], list(row[1:])
