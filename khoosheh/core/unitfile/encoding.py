"""Decode a CSV file without ever turning Persian names into mojibake silently.

* A byte-order mark decides: UTF-8, or UTF-16 (Excel's "Unicode text", tab-separated).
* Otherwise the file is UTF-8 if it decodes as UTF-8, strictly.
* A file that is UTF-8 but for a few invalid bytes (a truncated copy, a cell
  pasted from elsewhere) is refused, naming the lines where they are: decoding
  it as code page 1256 would make every Persian name in it mojibake.
* Code page 1256 (what Persian Windows saves as "CSV") is used only when the file
  as a whole is not UTF-8 and what it spells in cp1256 is Persian or Arabic
  text; with a warning.  Anything else is refused with a Persian message.
"""

from __future__ import annotations

import codecs
import re

from ..text import to_persian_digits


class EncodingProblem(ValueError):
    """Persian message for the person who saved the file."""


# Valid multi-byte UTF-8 sequences (2 to 4 bytes): the sign that a file is UTF-8.
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# What Persian text in cp1256 decodes to: Arabic-script letters and marks, ZWNJ, and the
# punctuation of Persian typing.  Latin-1 text decoded as cp1256 gives mostly other letters.
_PERSIAN_LOOKING = re.compile("[\u0600-\u06ff\u200c\u200d\u200e\u200f«»\u00a0]")
_MIN_PERSIAN_SHARE = 0.9


def decode_csv(raw: bytes) -> tuple[str, list[str]]:
    """The text of the file and any warnings; raises EncodingProblem with a Persian message."""
    if raw.startswith(codecs.BOM_UTF8):
        return _strict_utf8(raw[len(codecs.BOM_UTF8):]), []
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), []
        except UnicodeDecodeError:
            raise EncodingProblem("فایل با کدگذاری UTF-16 (متن یونیکد اکسل) است ولی خراب است؛ "
                                  "آن را دوباره ذخیره کنید") from None
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    multibyte = len(_UTF8_MULTIBYTE.findall(raw))
    invalid = raw.decode("utf-8", errors="replace").count("\ufffd") - raw.count("\ufffd".encode())
    if multibyte >= invalid:
        # Mostly valid UTF-8: a few bad bytes, not another code page.
        _refuse_broken_utf8(invalid, _invalid_utf8_lines(raw))
    text = raw.decode("cp1256", errors="replace")
    non_ascii = [c for c in text if ord(c) > 127]
    persian = sum(1 for c in non_ascii if _PERSIAN_LOOKING.match(c))
    if non_ascii and persian >= _MIN_PERSIAN_SHARE * len(non_ascii) and "\ufffd" not in text:
        return text, ["فایل با کدگذاری ویندوز-۱۲۵۶ خوانده شد؛ بهتر است CSV با UTF-8 ذخیره شود"]
    raise EncodingProblem("کدگذاری فایل CSV شناخته نشد؛ آن را با کدگذاری UTF-8 ذخیره کنید "
                          "(در اکسل: ذخیره به شکل «CSV UTF-8»)")


def _strict_utf8(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        invalid = raw.decode("utf-8", errors="replace").count("\ufffd") - raw.count("\ufffd".encode())
        _refuse_broken_utf8(invalid, _invalid_utf8_lines(raw))
        raise  # not reached


def _invalid_utf8_lines(raw: bytes, first: int = 5) -> list[int]:
    """The (1-based) lines of the first few invalid UTF-8 sequences."""
    lines, position = [], 0
    while len(lines) < first:
        try:
            raw[position:].decode("utf-8")
            break
        except UnicodeDecodeError as exc:
            lines.append(raw.count(b"\n", 0, position + exc.start) + 1)
            position += exc.end
    return lines


def _refuse_broken_utf8(count: int, lines: list[int]) -> None:
    where = "، ".join(to_persian_digits(n) for n in lines)
    more = f" و {to_persian_digits(count - len(lines))} جای دیگر" if count > len(lines) else ""
    raise EncodingProblem(
        f"فایل با کدگذاری UTF-8 است ولی در سطر {where}{more} نویسهٔ نامعتبر دارد؛ آن خانه‌ها را در "
        "برنامه‌ای که فایل را ساخته درست کنید و دوباره با UTF-8 ذخیره کنید (فایل خوانده نشد تا نام‌ها خراب نشوند)")
