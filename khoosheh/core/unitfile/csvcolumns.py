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
    if not text or '"' in text or "\r" in text.replace("\r\n", ""):
        return None
    split = text.split("\n")
    if text.endswith("\n"):
        split.pop()  # csv.reader yields no row after the last line break
    lines = pl.Series(split, dtype=pl.String)
    del split
    if len(lines) - 1 > max_rows or len(lines) == 0:
        return None
    if "\r" in text:
        lines = lines.str.strip_suffix("\r")
    cells = lines.str.split(delimiter)
    width = cells.list.len().max()
    if width > MAX_COLUMNS or lines.str.len_chars().max() > csv.field_size_limit():
        return None
    names = [f"c{i}" for i in range(width)]
    columns = cells.list.to_struct(fields=names).struct.unnest().with_columns(pl.all().fill_null(""))
    return columns.insert_column(0, pl.int_range(1, len(lines) + 1, eager=True).alias("_row"))


def frame_rows(frame: pl.DataFrame):
    """The frame's rows as read_rows gives them: (row number, cells)."""
    for row in frame.iter_rows():
        yield row[0], list(row[1:])
