"""Form fields every app's pages share."""

import re

from django import forms

from khoosheh.core.jalali import InvalidJalaliDate, parse_jalali
from khoosheh.core.text import clean, persian_sort_key, to_persian_digits
from khoosheh.web.formatting import digits


class JalaliDateField(forms.CharField):
    """A date typed the Jalali way (1404/05/12, Persian digits welcome)."""

    def __init__(self, **kwargs):
        # data-jalali: static/khoosheh/js/jalali-picker.js adds day, month and year lists beside the box.
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "۱۴۰۴/۰۱/۰۱", "dir": "ltr",
                                                           "data-jalali": "1"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_jalali(value)
        except InvalidJalaliDate as exc:
            raise forms.ValidationError(str(exc)) from None


# --- numbers a person types ---------------------------------------------------------------------------
# Chromium's <input type=number> refuses Persian digits (۵۰۰۰ cannot be typed at all), so every number box is
# a text box that asks phones for their digit keyboard; the server folds Persian and Arabic-Indic digits.

class DigitsInput(forms.TextInput):
    """A number box that takes any digits and shows its value in the page's digits (Persian in Persian)."""

    def __init__(self, attrs=None, *, decimal: bool = False):
        super().__init__({"inputmode": "decimal" if decimal else "numeric", "dir": "ltr", **(attrs or {})})

    def format_value(self, value):
        text = super().format_value(value)
        if text is None:
            return None
        shown = digits(text)
        return shown.replace(".", "٫") if shown != text else text  # a Persian page: ۰٫۰۵, not ۰.۰۵


# Thousands grouped by ٬ or , (۵٬۰۰۰، 5,000): whole groups of three only, so a comma typed for a decimal sign
# (2,5) is refused rather than read as 25.
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


def fold_number(value) -> str:
    """Typed digits as Python reads them: Latin digits, '.' for ٫, thousands separators dropped."""
    text = clean(value).replace(" ", "")
    if "," in text:
        if not _GROUPED.match(text):
            raise forms.ValidationError(f"«{value}» عدد نیست؛ رقم‌ها را بی‌جداکننده یا با ٬ در هر سه رقم بنویسید")
        text = text.replace(",", "")
    return text


class _Typed:
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", DigitsInput(decimal=self.decimal))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return super().to_python(value)
        return super().to_python(fold_number(value))


class IntegerField(_Typed, forms.IntegerField):
    """A whole number typed in any digits (۵۰۰۰، ٥٠٠٠، 5000، ۵٬۰۰۰)."""

    decimal = False


class FloatField(_Typed, forms.FloatField):
    """A number with a fraction typed in any digits, ٫ or . for the decimal sign (۰٫۰۵)."""

    decimal = True


# --- choices from lists of records ----------------------------------------------------------------------
# A known thing is picked from a list, never typed: a typed name used to reach the database as a code (a 500
# on a foreign key).  Lists are sorted in Persian order; long ones carry data-search, which
# static/khoosheh/js/select-search.js turns into a filter box (no inline script).

SEARCHABLE = {"data-search": "1"}


def named_choices(rows, label):
    """(pk, label) pairs in Persian alphabetical order."""
    return sorted(((row.pk, label(row)) for row in rows), key=lambda choice: persian_sort_key(choice[1]))


def with_empty(choices, label):
    return lambda: [("", label), *choices()]


class HsCodesField(forms.CharField):
    """Harmonized System codes in the nomenclature's format: a heading (6907), a 6-digit subheading
    (6907.21) or Iran's 8- or 10-digit tariff line (6907.21.10); dots, spaces and Persian digits are
    accepted, the digits are stored."""

    def __init__(self, *, many=True, **kwargs):
        self.many = many
        kwargs.setdefault("widget", forms.TextInput(attrs={"dir": "ltr", "placeholder": "6907.21, 6908.10.90"}))
        kwargs.setdefault("help_text", "کد سامانهٔ هماهنگ: سرفصل (۶۹۰۷)، شش‌رقمی (۶۹۰۷٫۲۱) یا ردیف تعرفه (۶۹۰۷٫۲۱٫۱۰)"
                          + ("؛ چند کد را با ویرگول جدا کنید" if many else ""))
        super().__init__(**kwargs)

    def to_python(self, value):
        text = clean(super().to_python(value)).replace("،", ",")
        codes = []
        for part in filter(None, (p.strip() for p in text.replace(";", ",").replace(" ", ",").split(","))):
            code = part.replace(".", "").replace(" ", "")
            if not (code.isascii() and code.isdigit() and len(code) in (4, 6, 8, 10)):
                raise forms.ValidationError(f"«{part}» کد HS نیست: چهار، شش، هشت یا ده رقم، مثل 6907.21")
            codes.append(code)
        if not self.many:
            if len(codes) > 1:
                raise forms.ValidationError("فقط یک کد HS بنویسید")
            return codes[0] if codes else ""
        return codes


class TextListField(forms.CharField):
    """Several short texts in one box, apart by commas (Persian or Latin): target markets, say."""

    def __init__(self, *, item_max_length: int | None = None, **kwargs):
        self.item_max_length = item_max_length
        super().__init__(**kwargs)

    def to_python(self, value):
        items = [item.strip() for item in re.split(r"[,،]+", super().to_python(value)) if item.strip()]
        too_long = [item for item in items if self.item_max_length and len(item) > self.item_max_length]
        if too_long:
            raise forms.ValidationError(
                f"«{too_long[0][:30]}…» بلندتر از {to_persian_digits(self.item_max_length)} نویسه است")
        return items


class FilePicker(forms.FileInput):
    """A file box whose button and "no file chosen" read in the page's language.  Chromium words its own
    button in the browser's language («Choose File» on most machines), whatever the page's; with script
    (static/khoosheh/js/forms.js) the native box is hidden behind a button and the chosen file's name, and
    without script the native box stays as it is."""

    template_name = "forms/widgets/file_picker.html"
