"""The rules of :mod:`khoosheh.core.text`, applied to whole Polars columns.

``clean_column(s)`` equals ``s.map_elements(clean)``, ``clean_name_column(s)``
equals ``s.map_elements(clean_name)`` and ``match_key_column(s)``
equals ``s.map_elements(match_key)``, value for value (tests/core/test_text_columns.py
compares them on tricky text), but they run in Polars' native string kernels:
a million Persian names take a fraction of a second instead of seconds.

The one rule Polars has no kernel for is ``str.casefold``; it differs from
lower-casing only outside ASCII and the Arabic script, so values with other
letters take the Python path.
"""

from __future__ import annotations

import polars as pl

from . import text
from .text import ZWNJ

# Every mapping of clean's translate table, as literal replacements.  Each
# pattern is one character, so replacing them all in one pass is the translate.
_CLEAN_FROM = [chr(cp) for cp in text._CLEAN_TABLE]
_CLEAN_TO = ["" if v is None else v for v in text._CLEAN_TABLE.values()]
_NAME_FROM = [chr(cp) for cp in text._NAME_TABLE]
_NAME_TO = ["" if v is None else v for v in text._NAME_TABLE.values()]
_KEY_FROM = [chr(cp) for cp in text._KEY_FOLD]
_KEY_TO = ["" if v is None else v for v in text._KEY_FOLD.values()]

# The characters Python's str.split() splits on, once clean's table has removed
# the control characters (\v, \f and \x1c-\x1f among them).
_SPACE_RUN = "[\t\n\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+"
# And those str.strip() strips (the same set plus the control ones), for blank-cell tests.
PYTHON_WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680" + "".join(
    chr(c) for c in range(0x2000, 0x200B)) + "\u2028\u2029\u202f\u205f\u3000"
# Letters whose casefold is their lower-case form: ASCII, the Arabic script and the marks clean keeps.
_SIMPLE_CASE = "^[\x00-\x7f\u0600-\u06ff\u200c\u200d\u200e\u200f\ufeff]*$"
# The same without Latin capitals: text that lower-casing leaves as it is.
_SIMPLE_LOWER = r"^[\x{0}-\x{40}\x{5b}-\x{7f}\x{600}-\x{6ff}\x{200c}-\x{200f}\x{feff}]*$"


# Text that NFC leaves as it is: ASCII, Arabic letters and digits, the Arabic marks that clean drops
# anyway (reordering them changes nothing), and spaces and format characters (U+2000/2001 normalise
# to other spaces, which clean collapses all the same).  The composing marks U+0653-0655 and the
# other combining marks are not in it, so their text gets the real NFC.
_NFC_STABLE = ("^[\x00-\x7f\u00a0\u0600-\u0652\u0660-\u06d5\u06ee-\u06ff\u2000-\u200f"
               "\u2028-\u202f\u205f\u2066-\u2069\u3000\ufeff]*$")


def _stable_letters(digits: bool = False) -> str:
    """A regex class of the characters clean leaves alone wherever they stand: NFC-stable (above),
    not in clean's table, not a space, not ZWNJ (with ``digits``, Persian and Arabic-Indic digits too,
    which clean only makes Latin)."""
    ranges = [(0x00, 0x7F), (0xA0, 0xA0), (0x600, 0x652), (0x660, 0x6D5), (0x6EE, 0x6FF)]
    keep = [cp for lo, hi in ranges for cp in range(lo, hi + 1)
            if (cp not in text._CLEAN_TABLE or (digits and cp in text._DIGITS))
            and not chr(cp).isspace() and chr(cp) != ZWNJ]
    runs: list[list[int]] = []
    for cp in keep:
        if runs and runs[-1][1] == cp - 1:
            runs[-1][1] = cp
        else:
            runs.append([cp, cp])
    return "[" + "".join(f"\\x{{{a:x}}}" if a == b else f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in runs) + "]"


# Text that clean leaves as it is: words of stable characters, ZWNJ only singly inside a word, single
# spaces only between words.  Most names in a real file are like this already (and every code,
# number and Latin-digit date), so they skip the cleaning passes.
_WORD = f"{_stable_letters()}+(?:{ZWNJ}{_stable_letters()}+)*"
_ALREADY_CLEAN = f"^(?:{_WORD}(?: {_WORD})*)?$"
# The same with Persian or Arabic-Indic digits, for which clean is fold_digits (dates, numbers, IDs typed
# in Persian digits).
_DIGIT_WORD = f"{_stable_letters(True)}+(?:{ZWNJ}{_stable_letters(True)}+)*"
_CLEAN_BUT_DIGITS = f"^(?:{_DIGIT_WORD}(?: {_DIGIT_WORD})*)?$"


def _nfc(values: pl.Series) -> pl.Series:
    todo = ~values.str.contains(_NFC_STABLE)
    if not todo.any():
        return values
    index = todo.arg_true()
    return values.scatter(index, values.gather(index).str.normalize("NFC"))


def clean_column(values: pl.Series) -> pl.Series:
    """``text.clean`` on every value; nulls become ``""``."""
    return _normalise(values, _CLEAN_FROM, _CLEAN_TO)


def clean_name_column(values: pl.Series) -> pl.Series:
    """``text.clean_name`` on every value (digits keep their script); nulls become ``""``."""
    return _normalise(values, _NAME_FROM, _NAME_TO)


def _normalise(values: pl.Series, table_from: list[str], table_to: list[str]) -> pl.Series:
    values = values.fill_null("")
    todo = ~values.str.contains(_ALREADY_CLEAN)
    fix = _clean_or_fold if table_from is _CLEAN_FROM else (lambda v: _clean(v, table_from, table_to))
    if todo.all():
        return fix(values)
    if not todo.any():
        return values
    index = todo.arg_true()
    return values.clone().scatter(index, fix(values.gather(index)))


def _clean_or_fold(values: pl.Series) -> pl.Series:
    """``clean``: values that are clean but for their digits only need the digits folded; the rest all of
    clean.  (Not for names: clean_name keeps digits as typed, so they take _clean with its own table.)"""
    digits_only = values.str.contains(_CLEAN_BUT_DIGITS)
    if digits_only.all():
        return fold_digits_column(values)
    if not digits_only.any():
        return _clean(values, _CLEAN_FROM, _CLEAN_TO)
    cleaned = _clean(values, _CLEAN_FROM, _CLEAN_TO)
    index = digits_only.arg_true()
    return cleaned.scatter(index, fold_digits_column(values.gather(index)))


def _clean(values: pl.Series, table_from: list[str], table_to: list[str]) -> pl.Series:
    s = _nfc(values).str.replace_many(table_from, table_to)
    s = s.str.replace_all(_SPACE_RUN, " ").str.strip_chars(" ")
    # ZWNJ tidying, as text.clean does it: runs to one, one beside a space dropped, none at the ends.
    s = s.str.replace_all(ZWNJ + "{2,}", ZWNJ)
    # One pass, leftmost first, like re.sub(" ?ZWNJ ?") with its callback: a match with a space becomes
    # a space; a bare ZWNJ stays (so it need not match at all).
    s = s.str.replace_all(f" {ZWNJ} ?|{ZWNJ} ", " ")
    return s.str.strip_chars(" " + ZWNJ)


def match_key_column(values: pl.Series, cleaned: pl.Series | None = None) -> pl.Series:
    """``text.match_key`` on every value (``cleaned`` saves cleaning twice)."""
    values = values.fill_null("")
    cleaned = clean_column(values) if cleaned is None else cleaned
    # Lower-casing walks every letter of every value; Persian names have none to lower, so only the
    # values with a Latin capital or a letter outside ASCII and Arabic are lowered.
    lowered = cleaned.str.contains(_SIMPLE_LOWER)
    if lowered.all():
        keys, simple = cleaned.str.replace_many(_KEY_FROM, _KEY_TO), lowered
    else:
        index = (~lowered).arg_true()
        rest = cleaned.gather(index)
        keys = cleaned.clone().scatter(index, rest.str.to_lowercase()).str.replace_many(_KEY_FROM, _KEY_TO)
        simple = lowered.clone().scatter(index, rest.str.contains(_SIMPLE_CASE))
    if simple.all():
        return keys
    # match_key(clean(x)) == match_key(x): clean is idempotent, so the cleaned text is enough.
    odd = cleaned.filter(~simple).unique().to_list()
    fixed = dict(zip(odd, [text.match_key(v) for v in odd], strict=True))
    return pl.select(pl.when(pl.lit(simple)).then(pl.lit(keys)).otherwise(
        pl.lit(cleaned).replace_strict(fixed, default=None, return_dtype=pl.String))).to_series()


def fold_digits_column(values: pl.Series) -> pl.Series:
    return values.str.replace_many([chr(cp) for cp in text._DIGITS], list(text._DIGITS.values()))
