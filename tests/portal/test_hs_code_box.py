"""The HS-code box (web/fields.HsCodesField): its example reads in the page's digits and separators, as everything
a person reads does, and what it shows can be typed as shown."""

from django import forms
from django.utils import translation

from khoosheh.web.fields import HsCodesField


class ProductsForm(forms.Form):
    products = HsCodesField()
    product = HsCodesField(many=False)


def example(name: str, language: str = "fa") -> str:
    with translation.override(language):
        html = str(ProductsForm()[name])
    return html.split('placeholder="', 1)[1].split('"', 1)[0]


def test_the_example_reads_in_the_pages_digits():
    assert example("products") == "۶۹۰۷٫۲۱، ۶۹۰۸٫۱۰٫۹۰"
    # A box for one code shows one.
    assert example("product") == "۶۹۰۷٫۲۱"
    # An English page keeps Latin digits, as its other numbers.
    assert example("products", "en") == "6907.21, 6908.10.90"


def test_the_example_typed_as_shown_is_accepted():
    form = ProductsForm({"products": example("products"), "product": example("product")})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"products": ["690721", "69081090"], "product": "690721"}


def test_a_wrong_code_is_explained_with_an_example_in_persian_digits():
    with translation.override("fa"):
        form = ProductsForm({"products": "69", "product": ""})
        assert not form.is_valid()
    assert "مثل ۶۹۰۷٫۲۱" in form.errors["products"][0]
