"""Persian normalisation on whole columns gives exactly what text.clean / match_key give one value at a time."""

import random

import polars as pl
import pytest

from khoosheh.core import text
from khoosheh.core.text_columns import clean_column, clean_name_column, match_key_column

# Everything clean and match_key treat specially: Arabic letters and digits, ZWNJ runs beside spaces,
# Unicode spaces, invisible marks, control characters, diacritics, letters whose casefold is not lower().
ALPHABET = list("ab AZ12۱۴٢٤يكٱآأإةۀئؤ\u200c\u200c  \t\n\r\xa0\u2009\u3000\u200b\u200d\u200e\ufeff\x00\x1c\x0b\x7f"
                "ـًٌّ٪٫٬ßİΣﬁ-_.'=") + ["\u0627\u0653", "\u0648\u0654"]


@pytest.fixture(scope="module")
def tricky_values():
    rng = random.Random(2026)
    return [""] + ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 14))) for _ in range(50_000)]


def test_clean_on_a_column_equals_clean_on_each_value(tricky_values):
    assert clean_column(pl.Series(tricky_values)).to_list() == [text.clean(v) for v in tricky_values]


def test_clean_name_on_a_column_equals_clean_name_on_each_value(tricky_values):
    assert clean_name_column(pl.Series(tricky_values)).to_list() == [text.clean_name(v) for v in tricky_values]


def test_the_key_of_a_cleaned_name_column_folds_its_digits(tricky_values):
    names = pl.Series(tricky_values)
    keys = match_key_column(names, clean_name_column(names)).to_list()
    assert keys == [text.match_key(v) for v in tricky_values]


def test_match_key_on_a_column_equals_match_key_on_each_value(tricky_values):
    assert match_key_column(pl.Series(tricky_values)).to_list() == [text.match_key(v) for v in tricky_values]


def test_spellings_of_one_name_share_a_key_on_a_column():
    keys = match_key_column(pl.Series(["خرم‌آباد", "خرم آباد", "خرمآباد", "خرم\u200c \u200cآباد"])).to_list()
    assert len(set(keys)) == 1


def test_missing_cells_clean_to_empty_text():
    assert clean_column(pl.Series([None, "  "], dtype=pl.String)).to_list() == ["", ""]


def test_text_taken_as_already_clean_is_what_clean_leaves_unchanged():
    import re

    from khoosheh.core.text_columns import _ALREADY_CLEAN

    # Every character the fast path trusts, alone, inside a word, beside a ZWNJ and between words.
    python_pattern = re.sub(r"\\x\{([0-9a-f]+)\}", lambda m: f"\\u{int(m.group(1), 16):04x}", _ALREADY_CLEAN)
    pattern = re.compile(python_pattern)
    trusted = [chr(cp) for cp in range(0x0800) if pattern.fullmatch(chr(cp))]
    assert "ک" in trusted and "ك" not in trusted and "۱" not in trusted and " " not in trusted
    samples = list(trusted) + [f"ب{c}ب" for c in trusted] + [f"ب\u200c{c} {c}ا" for c in trusted]
    column = pl.Series(samples)
    assert column.str.contains(_ALREADY_CLEAN).all()
    assert [text.clean(v) for v in samples] == samples
