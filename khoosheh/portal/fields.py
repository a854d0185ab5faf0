"""Form fields every app's pages share."""

from django import forms

from khoosheh.core.jalali import InvalidJalaliDate, parse_jalali


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


# --- choices for the things the registry knows --------------------------------------------------------
# A province, county, park or activity is picked from a list, never typed: a typed name used to reach the
# database as a code (a 500 on a foreign key).  Lists are sorted in Persian order; long ones carry
# data-search, which static/khoosheh/js/select-search.js turns into a filter box (no inline script).

SEARCHABLE = {"data-search": "1"}


def _named(rows, label):
    from khoosheh.core.text import persian_sort_key

    return sorted(((row.pk, label(row)) for row in rows), key=lambda choice: persian_sort_key(choice[1]))


def province_choices():
    from khoosheh.registry.models import Province

    return _named(Province.objects.all(), str)


def county_choices():
    from khoosheh.registry.models import County

    return _named(County.objects.select_related("province"), lambda c: f"{c.name} ({c.province.name})")


def park_choices():
    from khoosheh.registry.models import IndustrialPark

    return _named(IndustrialPark.objects.select_related("county"), lambda p: f"{p.name} ({p.county.name})")


def activity_choices():
    from khoosheh.registry.models import Activity

    from .templatetags.persian import digits

    return [(a.code, f"{digits(a.code)} {a.title}") for a in Activity.objects.filter(level="class")]


def with_empty(choices, label):
    return lambda: [("", label), *choices()]


class ProvinceField(forms.ChoiceField):
    def __init__(self, *, empty_label=None, **kwargs):
        choices = with_empty(province_choices, empty_label) if empty_label else province_choices
        kwargs.setdefault("error_messages", {"invalid_choice": "این استان در فهرست استان‌ها نیست؛ از فهرست برگزینید"})
        super().__init__(choices=choices, **kwargs)


class CountyField(forms.ChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.Select(attrs=SEARCHABLE))
        kwargs.setdefault("error_messages", {"invalid_choice": "این شهرستان در فهرست نیست؛ از فهرست برگزینید"})
        super().__init__(choices=with_empty(county_choices, "—"), **kwargs)


class ActivityField(forms.ChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.Select(attrs=SEARCHABLE))
        kwargs.setdefault("error_messages", {"invalid_choice": "این کد آیسیک در فهرست نیست؛ از فهرست برگزینید"})
        super().__init__(choices=with_empty(activity_choices, "—"), **kwargs)


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
        from khoosheh.core.text import clean

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
