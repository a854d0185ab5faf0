"""Form fields every app's pages share."""

from django import forms

from khoosheh.core.jalali import InvalidJalaliDate, parse_jalali


class JalaliDateField(forms.CharField):
    """A date typed the Jalali way (1404/05/12, Persian digits welcome)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "۱۴۰۴/۰۱/۰۱", "dir": "ltr"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_jalali(value)
        except InvalidJalaliDate as exc:
            raise forms.ValidationError(str(exc)) from None
