"""The Jalali date box (web/fields.JalaliDateField): its example is this Jalali year's first day, in the
reader's digits, whatever year the server was started in."""

import datetime as dt

from django import forms
from django.utils import translation

from khoosheh.web.fields import JalaliDateField


class DayForm(forms.Form):
    day = JalaliDateField()


def example(monkeypatch, today: dt.date, language: str = "fa") -> str:
    monkeypatch.setattr("khoosheh.web.fields.timezone.localdate", lambda: today)
    with translation.override(language):
        html = str(DayForm()["day"])
    return html.split('placeholder="', 1)[1].split('"', 1)[0]


def test_the_example_follows_the_jalali_year_of_the_day_the_page_is_drawn(monkeypatch):
    assert example(monkeypatch, dt.date(2026, 3, 19)) == "۱۴۰۴/۰۱/۰۱"  # the day before Nowruz 1405
    assert example(monkeypatch, dt.date(2026, 3, 21)) == "۱۴۰۵/۰۱/۰۱"


def test_an_english_page_shows_the_example_in_latin_digits(monkeypatch):
    assert example(monkeypatch, dt.date(2026, 12, 2), "en") == "1405/01/01"
