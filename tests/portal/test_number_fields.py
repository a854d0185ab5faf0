"""Number boxes (web/fields.py): text boxes asking for the digit keyboard, since Chromium's type=number refuses
Persian digits; the server reads Persian, Arabic-Indic and Latin digits alike and shows Persian ones."""

import pytest
from django import forms
from django.core import validators
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


# --- bounds, in the reader's words and digits -------------------------------------------------------------

def refusal(field, text, language="fa") -> str:
    with translation.override(language):
        with pytest.raises(forms.ValidationError) as refused:
            field.clean(text)
        return " ".join(refused.value.messages)  # the words are the reader's language's when read


def test_a_number_below_its_least_is_told_the_least_in_persian_digits_and_plain_words():
    assert refusal(IntegerField(min_value=1, max_value=40), "۰") == "این مقدار باید دست‌کم ۱ باشد."


def test_a_number_above_its_most_is_told_the_most_with_the_persian_decimal_sign():
    assert refusal(FloatField(min_value=0.5, max_value=40.5), "۴۱") == "این مقدار باید حداکثر ۴۰٫۵ باشد."
    assert refusal(FloatField(min_value=0.0001, max_value=0.2), "0") == "این مقدار باید دست‌کم ۰٫۰۰۰۱ باشد."


def test_an_english_page_reads_the_bound_in_english_and_latin_digits():
    assert refusal(IntegerField(max_value=100), "101", "en") == "This value must be at most 100."


@pytest.mark.parametrize(("name", "text"), [("lat", "41"), ("lat", "۲۰"), ("lon", "۳۰٫۵"), ("lon", "70")])
def test_a_parks_point_beyond_iran_is_said_to_be_outside_iran_with_irans_bounds(name, text):
    message = refusal(ParkForm.base_fields[name], text)
    bounds = "۲۴ تا ۴۰٫۵ درجهٔ شمالی" if name == "lat" else "۴۳٫۵ تا ۶۴ درجهٔ شرقی"
    assert "بیرون از ایران" in message and bounds in message


def _every_form():
    import khoosheh.clusters.forms
    import khoosheh.portal.manage
    import khoosheh.programs.forms
    import khoosheh.registry.forms
    import khoosheh.spx.forms
    import khoosheh.urls  # noqa: F401  (every page's view, and the forms they hold)

    def below(form_class):
        for sub in form_class.__subclasses__():
            yield sub
            yield from below(sub)

    return {f for f in below(forms.BaseForm) if f.__module__.startswith("khoosheh.")}


def _bounded_fields():
    for form in sorted(_every_form(), key=lambda f: f"{f.__module__}.{f.__qualname__}"):
        for name, field in form.base_fields.items():
            for bound in field.validators:
                if isinstance(bound, validators.MinValueValidator | validators.MaxValueValidator):
                    yield pytest.param(field, bound, id=f"{form.__module__}.{form.__qualname__}.{name}")


BOUNDED = list(_bounded_fields())


def test_the_walk_finds_the_bounded_numbers_of_every_portal():
    modules = {p.id.rsplit(".", 2)[0] for p in BOUNDED}
    assert {"khoosheh.programs.forms", "khoosheh.portal.manage", "khoosheh.spx.forms",
            "khoosheh.clusters.forms"} <= modules


@pytest.mark.parametrize(("field", "bound"), BOUNDED)
def test_no_bound_of_any_form_is_refused_in_latin_digits(field, bound):
    step = 1 if isinstance(field, forms.IntegerField) else 0.5
    beyond = (bound.limit_value - step if isinstance(bound, validators.MinValueValidator)
              else bound.limit_value + step)
    message = refusal(field, str(beyond))
    assert not any(c.isascii() and c.isdigit() for c in message), message
    assert "مطمئن شوید" not in message  # not Django's own words
