from khoosheh.core.text import ZWNJ, clean, clean_name, fold_digits, match_key, to_persian_digits


def test_persian_and_arabic_indic_digits_read_as_latin():
    assert fold_digits("۱۴۰۲/۰۷/۰۹") == "1402/07/09"
    assert fold_digits("٢٣٩٣") == "2393"


def test_arabic_yeh_and_kaf_become_persian():
    assert clean("كرمان") == "کرمان"
    assert clean("ياسوج") == "یاسوج"


def test_spaces_and_invisible_marks_are_tidied():
    assert clean("  شرکت\u200f   کاشی\t ") == "شرکت کاشی"
    assert clean("خرم" + ZWNJ + ZWNJ + "آباد") == "خرم" + ZWNJ + "آباد"
    # A ZWNJ next to a space is a slip: the space already separates the words.
    assert clean("خرم " + ZWNJ + "آباد") == "خرم آباد"


def test_clean_is_idempotent():
    text = " آذربايجان\u200c\u200cشرقي ۱۲ "
    assert clean(clean(text)) == clean(text)


def test_zwnj_space_or_nothing_between_word_parts_match():
    spellings = ["خرم‌آباد", "خرم آباد", "خرمآباد", " خرم  آباد "]
    assert len({match_key(s) for s in spellings}) == 1
    assert match_key("آذربایجان‌شرقی") == match_key("آذربایجان شرقی")


def test_match_key_folds_arabic_letters_and_case():
    assert match_key("كرمانشاه") == match_key("کرمانشاه")
    assert match_key("Tehran") == match_key("TEHRAN")


def test_different_names_keep_different_keys():
    assert match_key("کرمان") != match_key("کرمانشاه")


def test_digits_for_readers():
    assert to_persian_digits("1402/07/09") == "۱۴۰۲/۰۷/۰۹"


def test_control_characters_are_dropped():
    # NUL and friends come from broken exports (and PostgreSQL refuses NUL in text).
    assert clean("کاشی\x00 میبد\x07") == "کاشی میبد"
    assert clean("ab\x00c") == "abc"


def test_persian_names_sort_in_alphabetical_order_not_code_point_order():
    from khoosheh.core.text import persian_sort_key

    provinces = ["یزد", "گیلان", "کرمان", "چهارمحال و بختیاری", "بوشهر", "پیش‌نمونه", "زنجان", "ژرفا", "آذربایجان شرقی",
                 "اصفهان"]
    assert sorted(provinces, key=persian_sort_key) == [
        "آذربایجان شرقی", "اصفهان", "بوشهر", "پیش‌نمونه", "چهارمحال و بختیاری", "زنجان", "ژرفا", "کرمان", "گیلان",
        "یزد"]
    # Arabic kaf and yeh sort as their Persian letters.
    assert persian_sort_key("كرمان") == persian_sort_key("کرمان")


def test_numbers_in_persian_text_get_persian_digits_and_the_persian_separator():
    from khoosheh.core.text import persian_number

    assert persian_number(326.4) == "۳۲۶" and persian_number(1234567) == "۱٬۲۳۴٬۵۶۷"


def test_a_name_keeps_the_digits_it_was_typed_in():
    # Persian digits stay Persian, Latin ones stay Latin: the registry shows a name as the official typed it.
    assert clean_name("کارخانه ۲") == "کارخانه ۲"
    assert clean_name("Plant 2 كرمان") == "Plant 2 کرمان"
    # Arabic-Indic digits (٤٥٦, from Arabic keyboards) take their Persian forms, as Arabic ي/ك take theirs.
    assert clean_name("فاز ٤٥٦") == "فاز ۴۵۶"
    # Everything else is clean's work.
    assert clean_name("  صنایع\u200c  ٢ ") == "صنایع ۲"


def test_codes_and_numbers_still_read_in_latin_digits():
    assert clean("۱۲۳٫۵") == "123.5"


def test_a_name_with_persian_digits_and_one_with_latin_digits_share_a_key():
    assert match_key(clean_name("کارخانه ۲")) == match_key("کارخانه 2") == match_key("کارخانه ٢")
