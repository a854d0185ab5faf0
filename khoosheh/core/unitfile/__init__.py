"""The unit-file contract: one place that reads, checks and writes registry files.

The import command, the upload page, ``khoosheh identify FILE`` and the API
all validate through :func:`validate_rows`, so they cannot disagree.  The
contract is documented for people in docs/file-formats.md.
"""

from .columns import COLUMNS, Column
from .readers import FileProblem, read_rows
from .validate import RowError, UnitRecord, ValidationResult, validate_rows
from .writers import neutralise_formula, write_rows

__all__ = [
    "COLUMNS", "Column", "FileProblem", "read_rows", "RowError", "UnitRecord", "ValidationResult",
    "validate_rows", "neutralise_formula", "write_rows",
]
