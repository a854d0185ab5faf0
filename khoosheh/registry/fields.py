"""Form fields for the things the registry knows: a province, county, park or activity is picked from a
list (Persian order, searchable where long), never typed."""

from django import forms

from khoosheh.web.fields import SEARCHABLE, named_choices, with_empty
from khoosheh.web.formatting import digits

from .models import Activity, County, IndustrialPark, Province


def province_choices():
    return named_choices(Province.objects.all(), str)


def county_choices():
    return named_choices(County.objects.select_related("province"), lambda c: f"{c.name} ({c.province.name})")


def park_choices():
    return named_choices(IndustrialPark.objects.select_related("county"), lambda p: f"{p.name} ({p.county.name})")


def activity_choices():
    return [(a.code, f"{digits(a.code)} {a.title}") for a in Activity.objects.filter(level="class")]


class ProvinceField(forms.ChoiceField):
    def __init__(self, *, empty_label="—", **kwargs):
        # Always an empty first choice: a list that opened at آذربایجان شرقی filed records there unnoticed.
        choices = with_empty(province_choices, empty_label or "—")
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
