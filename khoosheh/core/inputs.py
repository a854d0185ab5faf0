"""The words for describing what a person (a page's form) or a client (the API) sends: each input is described
once, as a Description of named Entries, and the portal's forms, the API's schemas and the services that take
the values are all made from, or checked against, that one description.

Kept free of Django and pydantic on purpose: the description says what a value is (a day, an amount of money,
a note of at most 300 characters), each channel says how it reads one (programs/forms.py, api/common.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum, auto
from typing import Any

from .text import to_persian_digits


class Kind(Enum):
    CHOICE = auto()    # one of the entry's choices (a Django choices class)
    TEXT = auto()      # text a person reads (a note); may be empty; its digits stay as typed
    NAME = auto()      # text that must say something (a title, a name, a follow-up's note)
    CODE = auto()      # a code or a user name, normalised (digits folded)
    HS_CODE = auto()   # a Harmonized System code: 4, 6, 8 or 10 digits
    DAY = auto()       # a date, Jalali or ISO
    COUNT = auto()     # a whole number of things (jobs, targets): a PositiveIntegerField
    MONEY = auto()     # an amount: a PositiveBigIntegerField
    PERCENT = auto()   # 0 to 100
    YEAR = auto()      # a Jalali year within core.jalali's bounds
    PDF = auto()       # an uploaded PDF document: named *.pdf, its bytes opening with %PDF-, within max_bytes
    RECORD = auto()    # another record: an id in the API, picked from a list on a page
    PROVINCE = auto()  # an official two-digit province code


REQUIRED: Any = object()  # the default of an entry that must be sent


@dataclass(frozen=True)
class Entry:
    """One value of an input.  ``label`` is what a person reads (a lazy translation), ``description`` what the
    API's schema adds (units, when it is needed); ``default`` is what the service uses when it is not sent."""

    kind: Kind
    label: str = ""
    default: Any = REQUIRED
    max_length: int | None = None  # of a text (of each text, when ``many``)
    max_bytes: int | None = None  # of an uploaded file
    choices: Any = None  # a Django choices class, for Kind.CHOICE
    many: bool = False  # a list of such values
    min_items: int = 0
    max_items: int | None = None
    description: str = ""
    rows: int = 0  # a long text: the page shows a box of this many rows
    blank: str = ""  # an optional record or province: what an empty choice means (its label on a page)
    # A day (or a year) on which something happened: not after today.  A planned day (an expected opening)
    # may lie ahead.  A schema has no "today", so the service checks it.
    happened: bool = False

    @property
    def required(self) -> bool:
        return self.default is REQUIRED


@dataclass(frozen=True)
class Description:
    """The entries of one input, in the order a page shows them."""

    entries: Mapping[str, Entry]

    def accept(self, given: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
        """The values a service works with: every entry's, the defaults filled in (``partial``: only those given).
        A name the description does not know, or a required one missing, is a programming error, as an unknown
        or missing keyword argument would be."""
        unknown = sorted(set(given) - set(self.entries))
        if unknown:
            raise TypeError(f"not part of this input: {', '.join(unknown)}")
        if partial:
            return dict(given)
        missing = [name for name, entry in self.entries.items() if entry.required and name not in given]
        if missing:
            raise TypeError(f"missing from this input: {', '.join(missing)}")
        return {name: given.get(name, entry.default) for name, entry in self.entries.items()}

    def only(self, *names: str) -> Description:
        """The same entries, fewer of them (what one channel asks of an input)."""
        return Description({name: self.entries[name] for name in names})

    def without(self, *names: str) -> Description:
        return Description({name: entry for name, entry in self.entries.items() if name not in names})


PDF_SIGNATURE = b"%PDF-"  # how every PDF file begins (ISO 32000-1, 7.5.2)


def document_refusal(entry: Entry, document) -> str | None:
    """Why an uploaded file is not what a Kind.PDF entry asks for (in Persian), or None when it is.

    ``document`` is anything with a ``name``, a ``size``, ``seek`` and ``read`` (Django's uploaded and content
    files); it is left at its start.  The name and the first bytes must both say PDF: a ``.txt`` renamed
    ``.pdf`` is no study, nor is a PDF sent under another name (an officer opening it would not know)."""
    name = str(getattr(document, "name", "") or "").rsplit("/", 1)[-1]
    shown = name[:80] or "بی‌نام"
    if not name.lower().endswith(".pdf"):
        return f"تنها فایل PDF پذیرفته می‌شود؛ نام «{shown}» به ‎.pdf پایان نمی‌یابد"
    if entry.max_bytes is not None and document.size > entry.max_bytes:
        megabytes = to_persian_digits(entry.max_bytes // (1024 * 1024))
        return f"فایل «{shown}» بیش از اندازه بزرگ است؛ بیشینه {megabytes} مگابایت"
    document.seek(0)
    head = document.read(len(PDF_SIGNATURE))
    document.seek(0)
    if head != PDF_SIGNATURE:
        return f"تنها فایل PDF پذیرفته می‌شود؛ «{shown}» نامش PDF است ولی محتوایش PDF نیست"
    return None
