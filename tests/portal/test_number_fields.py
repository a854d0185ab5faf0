"""Number boxes (web/fields.py): text boxes asking for the digit keyboard, since Chromium's type=number refuses
Persian digits; the server reads Persian, Arabic-Indic and Latin digits alike and shows Persian ones."""

import pytest
from django import forms
from django.utils import translation

from khoosheh.clusters.forms import RunForm
from khoosheh.portal.manage import ExhibitionForm, ParkForm
from khoosheh.programs.forms import InterventionForm, JointActionForm, OutcomeForm
from khoosheh.spx.forms import EnquiryForm, ProfileForm, QuoteForm
from khoosheh.web.fields import DigitsInput, FloatField, IntegerField


def read(field, text):
    return field.clean(text)


@pytest.mark.parametrize("text", ["5000", "۵۰۰۰", "٥٠٠٠", "۵٬۰۰۰", "5,000", "5٬000", " ۵۰۰۰ "])
def test_a_whole_number_is_read_in_any_digits_with_or_without_thousands_separators(text):
    assert read(IntegerField(), text) == 5000


@pytest.mark.parametrize("text", ["۲,۵", "50,00", "5000,", "۵۰۰۰ریال"])
def test_a_number_that_is_not_one_is_refused_in_persian(text):
    with pytest.raises(forms.ValidationError) as refused:
        read(IntegerField(), text)
    assert any("عدد" in message for message in refused.value.messages)


def test_bounds_still_hold_for_persian_digits():
    with pytest.raises(forms.ValidationError):
        read(IntegerField(max_value=100), "۱۰۱")
    assert read(IntegerField(max_value=100), "۱۰۰") == 100


@pytest.mark.parametrize("text", ["0.05", "۰٫۰۵", "۰.۰۵", "٠٫٠٥"])
def test_a_fraction_takes_the_persian_decimal_sign(text):
    assert read(FloatField(), text) == pytest.approx(0.05)


def test_an_empty_box_is_no_number():
    assert read(IntegerField(required=False), "") is None and read(FloatField(required=False), "  ") is None


def test_the_box_is_a_text_box_for_the_digit_keyboard():
    html = IntegerField().widget.render("budget", 5000)
    assert 'type="text"' in html and 'inputmode="numeric"' in html and 'dir="ltr"' in html
    assert 'inputmode="decimal"' in FloatField().widget.render("alpha", 0.05)
    assert "type=\"number\"" not in html


def test_a_value_is_shown_in_the_pages_digits():
    with translation.override("fa"):
        assert DigitsInput().format_value(5000) == "۵۰۰۰"
        assert DigitsInput(decimal=True).format_value(0.05) == "۰٫۰۵"
    with translation.override("en"):
        assert DigitsInput().format_value(5000) == "5000"
    assert DigitsInput().format_value(None) is None


@pytest.mark.parametrize("form", [JointActionForm, InterventionForm, OutcomeForm, ExhibitionForm, ParkForm,
                                  RunForm, QuoteForm, ProfileForm, EnquiryForm], ids=lambda f: f.__name__)
def test_every_number_field_of_the_portals_forms_uses_the_digits_box(form):
    numbers = [f for f in form.base_fields.values() if isinstance(f, forms.IntegerField | forms.FloatField)]
    assert numbers and all(isinstance(f.widget, DigitsInput) for f in numbers)


def test_sums_of_money_start_empty_and_counts_start_at_their_default():
    assert JointActionForm.base_fields["budget"].initial is None
    assert InterventionForm.base_fields["amount"].initial is None
    assert OutcomeForm.base_fields["jobs_restored"].initial == 0
    # Still required: an emptied box is not 0.
    assert JointActionForm.base_fields["budget"].required
