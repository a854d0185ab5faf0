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
    if '"' in text or "\r" in text.replace("\r\n", ""):
        return None
    lines = pl.Series([text]).str.split("\n").explode()
    if text.endswith("\n"):
        lines = lines.head(len(lines) - 1)  # csv.reader yields no row after the last line break
    if len(lines) - 1 > max_rows or len(lines) == 0:
        return None
    if "\r" in text:
        lines = lines.str.strip_suffix("\r")
    cells = lines.str.split(delimiter)
    width = cells.list.len().max()
    if width > MAX_COLUMNS or lines.str.len_chars().max() > csv.field_size_limit():
        return None
    columns = {f"c{i}": cells.list.get(i, null_on_oob=True).fill_null("") for i in range(width)}
    return pl.DataFrame({"_row": pl.int_range(1, len(lines) + 1, eager=True), **columns})


def frame_rows(frame: pl.DataFrame):
    """The frame's rows as read_rows gives them: (row number, cells)."""
    for row in frame.iter_rows():
        yield row[0], list(row[1:])
