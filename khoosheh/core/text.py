"""Persian text normalisation.

Two levels, for two purposes:

* ``clean`` produces the text we store and parse for codes, numbers and
  dates: digits made Latin, Arabic letters made Persian, invisible marks
  dropped, spaces and ZWNJ tidied.  It never changes meaning, so
  ``clean(clean(x)) == clean(x)`` and a person would call the result the same text.
* ``clean_name`` is ``clean`` for names and other text a person reads (units,
  parks, clusters, exhibitions, notes): the digits stay as they were typed, so
  "کارخانه ۲" is not stored as "کارخانه 2".  Persian digits stay Persian, the
  Arabic-Indic ones (٤٥٦, from Arabic keyboards) become their Persian forms
  (۴۵۶), and Latin digits stay Latin.
* ``match_key`` produces a lookup key for comparing names typed by different
  people: on top of ``clean`` it also drops every space and ZWNJ, folds
  letter variants (آ/ا, ة/ه, …) and folds every digit to Latin.  "خرم‌آباد",
  "خرم آباد" and "خرمآباد" all get the same key, and so do "کارخانه ۲" and
  "کارخانه 2".  Keys are for comparing, never for showing.

No dependency on Django: the import command, the portal and the analysis code
all normalise through this module.
"""

from __future__ import annotations

import re
import unicodedata

ZWNJ = "\u200c"

_DIGITS = {ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")}
_DIGITS.update({ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")})

_LETTERS = {
    ord("ي"): "ی",  # Arabic yeh
    ord("ى"): "ی",  # Arabic alef maksura, typed for yeh on some keyboards
    ord("ك"): "ک",  # Arabic kaf
    ord("ٱ"): "ا",  # alef wasla
}

# Marks that carry no letter: tatweel, Arabic diacritics (harakat), and the
# directional / zero-width characters that Excel and Word leave in cells.
_DROPPED = {ord("ـ"): None}
_DROPPED.update({cp: None for cp in range(0x064B, 0x0653)})  # fathatan .. sukun
_DROPPED.update({cp: None for cp in (0x0670, 0x200B, 0x200D, 0x200E, 0x200F, 0x202A,
                                     0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067,
                                     0x2068, 0x2069, 0xFEFF)})

# Control characters (NUL among them) never belong in a name or a code, and PostgreSQL refuses NUL outright.
_CONTROL = {cp: None for cp in (*range(9), 11, 12, *range(14, 32), 127)}

_CLEAN_TABLE = {**_DIGITS, **_LETTERS, **_DROPPED, **_CONTROL}
# Arabic percent, decimal and thousands signs to their Latin forms.
_CLEAN_TABLE.update({ord("٪"): "%", ord("٫"): ".", ord("٬"): ","})

# For names: the same, except that digits keep their script (Arabic-Indic ones take their Persian forms).
_PERSIAN_DIGIT_FORMS = {ord(c): p for c, p in zip("٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹", strict=True)}
_NAME_TABLE = {cp: to for cp, to in _CLEAN_TABLE.items() if cp not in _DIGITS} | _PERSIAN_DIGIT_FORMS

_KEY_FOLD = {
    ord("آ"): "ا", ord("أ"): "ا", ord("إ"): "ا",
    ord("ؤ"): "و", ord("ة"): "ه", ord("ۀ"): "ه", ord("ئ"): "ی",
    ord(ZWNJ): None, ord(" "): None, ord("-"): None, ord("_"): None, ord("."): None,
    **_DIGITS,  # a name keeps its Persian digits (clean_name), its key compares them with Latin ones
}

_ZWNJ_RUN = re.compile(ZWNJ + "{2,}")
_ZWNJ_NEXT_TO_SPACE = re.compile(f" ?{ZWNJ} ?")


def fold_digits(text: str) -> str:
    """Persian and Arabic-Indic digits to Latin digits, nothing else."""
    return text.translate(_DIGITS)


def clean(value: object) -> str:
    """Normalised text for storing codes, numbers and dates (Latin digits); ``None`` becomes ``""``."""
    return _normalise(value, _CLEAN_TABLE)


def clean_name(value: object) -> str:
    """Normalised text for a name a person reads: as ``clean``, but digits stay as typed (٤ becomes ۴)."""
    return _normalise(value, _NAME_TABLE)


# What no file name may hold on the systems officials save downloads to: Windows' reserved characters and the
# path separators.
_NOT_IN_FILE_NAMES = re.compile(r'[<>:"/\\|?*]')


def file_name(value: object) -> str:
    """A name read by a person (a cluster's, say) made fit to name a downloaded file: as ``clean_name`` (no
    control or direction marks, so no header breaks and no extension is disguised), without the characters a
    file name may not hold; Persian letters, digits and the ZWNJ stay.

    >>> file_name('خوشه کاشی/سرامیک: "میبد"')
    'خوشه کاشی سرامیک میبد'
    """
    return " ".join(_NOT_IN_FILE_NAMES.sub(" ", clean_name(value)).split())


def _normalise(value: object, table: dict) -> str:
    if value is None:
        return ""
    text = str(value)
    if text.isascii():
        # The common case (codes, numbers, Latin names): only spaces to tidy.
        if not text.isprintable():
            text = text.translate(_CONTROL)
        return " ".join(text.split())
    text = unicodedata.normalize("NFC", text).translate(table)
    # str.split() splits on every Unicode space (NBSP, thin space, …) but not on ZWNJ.
    text = " ".join(text.split())
    if ZWNJ in text:
        text = _ZWNJ_RUN.sub(ZWNJ, text)
        # A ZWNJ beside a space is a typing slip: the space already separates.
        text = _ZWNJ_NEXT_TO_SPACE.sub(lambda m: " " if " " in m.group() else ZWNJ, text)
        text = text.strip(" " + ZWNJ)
    return text


def match_key(value: object) -> str:
    """Key under which two spellings of one name compare equal (digits of any script among them)."""
    return clean(value).casefold().translate(_KEY_FOLD)


def to_persian_digits(value: object) -> str:
    """Latin digits to Persian ones, for text a person reads."""
    return str(value).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


# Persian alphabetical order (as in dictionaries and the official lists of provinces); in code-point order
# پ چ ژ گ come after ی, and ک/ی sit apart from their place.  Letter variants sort with their base letter.
_ALPHABET = ["آ", "اأإٱ", "ب", "پ", "ت", "ث", "ج", "چ", "ح", "خ", "د", "ذ", "ر", "ز", "ژ", "س", "ش", "ص", "ض",
             "ط", "ظ", "ع", "غ", "ف", "ق", "کك", "گ", "ل", "م", "ن", "وؤ", "هةۀ", "یيىئ"]
_SORT_TABLE = {ord(variant): chr(0xE000 + rank) for rank, letters in enumerate(_ALPHABET) for variant in letters}
_SORT_TABLE.update({ord(ZWNJ): None, **_DIGITS})


def persian_sort_key(value: object) -> str:
    """Key that sorts Persian names in alphabetical order (Latin text and digits before Persian letters)."""
    return clean(value).casefold().translate(_SORT_TABLE)


def persian_number(value: float) -> str:
    """A whole number as a Persian reader writes it: Persian digits, the Arabic thousands separator (٬)."""
    return to_persian_digits(f"{round(value):,}".replace(",", "٬"))


def persian_decimal(value: float) -> str:
    """A parameter as a Persian reader writes it, no more decimals than it has: Persian digits, the
    Persian decimal sign (٫).

    >>> persian_decimal(15.0), persian_decimal(0.01), persian_decimal(1.5)
    ('۱۵', '۰٫۰۱', '۱٫۵')
    """
    return to_persian_digits(f"{value:g}".replace(".", "٫"))


def in_persian_order(items, name=str) -> list:
    """Places, parks, people… sorted by name in Persian alphabetical order."""
    return sorted(items, key=lambda item: persian_sort_key(name(item)))
