"""Form fields every app's pages share."""

import datetime as dt
import re

from django import forms
from django.core import validators
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy

from khoosheh.core.jalali import InvalidJalaliDate, jalali_year, parse_jalali
from khoosheh.core.text import clean, persian_sort_key, to_persian_digits
from khoosheh.web.formatting import digits


class JalaliDateInput(forms.TextInput):
    """A Jalali date box whose example is the first day of this Jalali year, worked out when the page is drawn
    (a fixed example reads as last year's after Nowruz)."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        today = timezone.localdate()
        context["widget"]["attrs"].setdefault("placeholder", digits(f"{jalali_year(today)}/01/01"))
        return context


class JalaliDateField(forms.CharField):
    """A date typed the Jalali way (1404/05/12, Persian digits welcome)."""

    def __init__(self, **kwargs):
        # data-jalali: static/khoosheh/js/jalali-picker.js adds day, month and year lists beside the box.
        kwargs.setdefault("widget", JalaliDateInput(attrs={"dir": "ltr", "data-jalali": "1"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_jalali(value)
        except InvalidJalaliDate as exc:
            raise forms.ValidationError(str(exc)) from None


class ClockInput(forms.TextInput):
    """A time of day as HH:MM in the page's digits (۰۹:۰۰).  Not <input type=time>: Chromium draws that in the
    browser's locale («09:00 AM») whatever the page's language."""

    def __init__(self, attrs=None):
        super().__init__({"placeholder": digits("09:00"), "dir": "ltr", "inputmode": "numeric", "size": 5,
                          **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, dt.time):
            value = value.strftime("%H:%M")
        return digits(super().format_value(value)) or None


_CLOCK = re.compile(r"^(\d{1,2})[:.٫](\d{2})$")


class ClockField(forms.Field):
    """A time of day typed as HH:MM (۰۹:۰۰، 9:30), Persian, Arabic-Indic or Latin digits; a dt.time."""

    widget = ClockInput

    def to_python(self, value):
        if isinstance(value, dt.time) or value in self.empty_values:
            return value or None
        match = _CLOCK.match(clean(str(value)).replace(" ", ""))
        hour, minute = (int(match[1]), int(match[2])) if match else (99, 99)
        if hour > 23 or minute > 59:
            raise forms.ValidationError(
                f"«{to_persian_digits(clean(str(value)))}» ساعت نیست؛ "
                f"ساعت و دقیقه را به شکل {to_persian_digits('09:00')} بنویسید "
                f"(از {to_persian_digits('00:00')} تا {to_persian_digits('23:59')})", code="invalid")
        return dt.time(hour, minute)


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


def bound_text(value) -> str:
    """A bound as the reader writes it: no more decimals than it has, in the page's digits (۴۰٫۵)."""
    number = float(value)
    text = str(int(number)) if number.is_integer() else repr(number)
    shown = digits(text)
    return shown.replace(".", "٫") if shown != text else text


# Django's own bound messages («… کوچکتر و یا مساوی 40.5 است.») show the bound in Latin digits and read as
# a legal notice; ours say it plainly, with the bound in the page's digits.  Their words are chosen when the
# value is checked, so they follow the reader's language.
class _Said:
    def __init__(self, limit_value, message=None, *, low=None, high=None):
        super().__init__(limit_value, message)
        self.low, self.high = low, high

    def __call__(self, value):
        if self.compare(self.clean(value), self.limit_value):
            low = self.limit_value if self.low is None else self.low
            high = self.limit_value if self.high is None else self.high
            raise forms.ValidationError(self.message, code=self.code, params={
                "limit": bound_text(self.limit_value), "low": bound_text(low), "high": bound_text(high)})


class AtLeast(_Said, validators.MinValueValidator):
    message = gettext_lazy("This value must be at least %(limit)s.")


class AtMost(_Said, validators.MaxValueValidator):
    message = gettext_lazy("This value must be at most %(limit)s.")


class _Typed:
    """``out_of_range``: one message for a value below or above the bounds, with %(low)s and %(high)s (a
    point outside Iran, rather than "at most 40.5")."""

    def __init__(self, *, out_of_range=None, **kwargs):
        kwargs.setdefault("widget", DigitsInput(decimal=self.decimal))
        super().__init__(**kwargs)
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        bounds = {"low": low, "high": high}
        self.validators = [
            AtLeast(v.limit_value, out_of_range, **bounds) if type(v) is validators.MinValueValidator
            else AtMost(v.limit_value, out_of_range, **bounds) if type(v) is validators.MaxValueValidator
            else v
            for v in self.validators]

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


class HsCodesInput(forms.TextInput):
    """An HS-code box whose example reads in the page's digits and separators (۶۹۰۷٫۲۱، ۶۹۰۸٫۱۰٫۹۰), worked out
    when the page is drawn; the field takes the example as typed."""

    def __init__(self, attrs=None, *, many=True):
        self.many = many
        super().__init__({"dir": "ltr", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].setdefault("placeholder", hs_example(many=self.many))
        return context


def hs_example(*, many: bool = False) -> str:
    codes = ["6907.21", "6908.10.90"] if many else ["6907.21"]
    if not (get_language() or "fa").startswith("fa"):
        return ", ".join(codes)
    return "، ".join(digits(c.replace(".", "٫")) for c in codes)


class HsCodesField(forms.CharField):
    """Harmonized System codes in the nomenclature's format: a heading (6907), a 6-digit subheading
    (6907.21) or Iran's 8- or 10-digit tariff line (6907.21.10); dots, spaces and Persian digits are
    accepted, the digits are stored."""

    def __init__(self, *, many=True, **kwargs):
        self.many = many
        kwargs.setdefault("widget", HsCodesInput(many=many))
        kwargs.setdefault("help_text", "کد سامانهٔ هماهنگ: سرفصل (۶۹۰۷)، شش‌رقمی (۶۹۰۷٫۲۱) یا ردیف تعرفه (۶۹۰۷٫۲۱٫۱۰)"
                          + ("؛ چند کد را با ویرگول جدا کنید" if many else ""))
        super().__init__(**kwargs)

    def to_python(self, value):
        text = clean(super().to_python(value)).replace("،", ",")
        codes = []
        for part in filter(None, (p.strip() for p in text.replace(";", ",").replace(" ", ",").split(","))):
            code = part.replace(".", "").replace(" ", "")
            if not (code.isascii() and code.isdigit() and len(code) in (4, 6, 8, 10)):
                raise forms.ValidationError(f"«{part}» کد HS نیست: چهار، شش، هشت یا ده رقم، مثل {hs_example()}")
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
