"""Form fields for the things the registry knows: a province, county, park, activity or unit is picked from a
list (Persian order, searchable where long), never typed."""

from django import forms

from khoosheh.core.text import persian_sort_key
from khoosheh.web.fields import SEARCHABLE, named_choices, with_empty
from khoosheh.web.formatting import code_text, digits

from .models import Activity, County, IndustrialPark, ProductionUnit, Province
from .selectors import visible_units


def province_choices():
    return named_choices(Province.objects.all(), str)


def county_choices():
    return named_choices(County.objects.select_related("province"), lambda c: f"{c.name} ({c.province.name})")


def park_choices():
    return named_choices(IndustrialPark.objects.select_related("county"), lambda p: f"{p.name} ({p.county.name})")


def activity_choices():
    return [(a.code, f"{digits(a.code)} {a.title}") for a in Activity.objects.filter(level="class")]


def unit_label(unit) -> str:
    """A unit as a list of units names it: name, county and national ID (its number in the registry when it has
    none), for units of one name in one county are common and a name alone cannot tell them apart."""
    return f"{digits(unit.name)} · {unit.county.name} · {code_text(unit.national_id or f'#{unit.pk}')}"


def unit_names(ids: list, reader) -> dict[int, str]:
    """Units as a record's history names them (web.history.name_records): as lists do (``unit_label``) for the
    units the reader may see; by name alone for the others, for a reader may see a record (a consortium, say)
    without every unit it names, and a unit's county and national ID are not theirs to read then."""
    units = ProductionUnit.objects.filter(pk__in=ids).select_related("county")
    seen = set(visible_units(reader, units).values_list("pk", flat=True)) if reader is not None else set()
    return {u.pk: unit_label(u) if u.pk in seen else digits(u.name) for u in units}


def unit_choices(units) -> tuple[list, dict]:
    """The units as choices (``unit_label``, in Persian order) and by their choice's value."""
    if hasattr(units, "select_related"):
        units = units.select_related("county")
    by_value = {str(u.pk): u for u in units}
    choices = sorted(((value, unit_label(u)) for value, u in by_value.items()), key=lambda c: persian_sort_key(c[1]))
    return choices, by_value


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
