"""`--map COLUMN=HEADER` on the command line: how `import-units` and `identify` read a file whose headers
no alias names, as the upload page's mapping step reads it (mappings.py).  One parser and one set of
messages for both commands; the command line acts for no province, so it sees national mappings only."""

from __future__ import annotations

from django.core.management.base import CommandError

from khoosheh.core.text import match_key
from khoosheh.core.unitfile.columns import BY_NAME, column_for_header
from khoosheh.core.unitfile.header import MappingProblem, mapped_positions, missing_required, peek_file

from . import mappings

MAP_HELP = ("read the contract column COLUMN (any of its spellings: شهرستان, county) from the file's column "
            "HEADER; 'COLUMN=' for not in the file. Repeatable. Without it, a mapping saved on the upload page "
            "by national staff for the same headers is used")


def add_map_option(parser, *, more_help: str = "") -> None:
    """The option itself, as ``mapping`` (a list of COLUMN=HEADER items)."""
    parser.add_argument("--map", action="append", default=[], metavar="COLUMN=HEADER", dest="mapping",
                        help=MAP_HELP + more_help)


def parse_mapping(items: list[str]) -> dict[str, str]:
    """--map 'شهرستان=County name' … as {contract column: header}."""
    mapping = {}
    for item in items:
        column, sep, header = item.partition("=")
        name = column_for_header(column)
        if not sep or name is None:
            raise CommandError(f"--map {item!r}: expected COLUMN=HEADER with COLUMN a column of the unit file "
                               "(e.g. شهرستان or county)")
        mapping[name] = header.strip()
    return mapping


def remembered_mapping(file) -> dict[str, str] | None:
    """The national mapping saved for this file's headers, if its headers miss a required column
    (the command line acts for no province; without one, the reader names the missing columns)."""
    return mappings.reading_for(peek_file(file), None).mapping


def refuse_unfitting(file, mapping: dict[str, str]) -> None:
    """Refuse, before any work, a file that a mapping given by hand does not fit: a header it names that
    the file lacks, or a required column that neither a header nor the mapping supplies (Persian messages
    naming the column and the header, as the reader's).  A file that cannot be read at all is left to the
    reader, which says why."""
    top = peek_file(file)
    if top is None:
        return
    present = {match_key(h) for h in top.headers}
    for name, header in mapping.items():
        if header and match_key(header) not in present:
            raise CommandError(f"{file}: --map {name}={header}: ستون «{header}» در فایل نیست "
                               f"(برای ستون «{BY_NAME[name].header_fa}» نام برده شد)")
    try:
        mapped_positions(top.headers, mapping)  # a header chosen twice, a required column mapped to nothing
    except MappingProblem as exc:
        raise CommandError(f"{file}: --map: {exc}") from exc
    if missing := missing_required(top.headers, mapping):
        named = "، ".join(f"«{BY_NAME[name].header_fa}» ({name})" for name in missing)
        raise CommandError(f"{file}: ستون {named} در فایل نیست و --map هم آن را از ستونی نمی‌خواند")
