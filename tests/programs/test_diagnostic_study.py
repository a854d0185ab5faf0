"""A cluster development's diagnostic study is a PDF of at most 20 MB: anything else is refused, under the file's
box on the page and by the service for any other caller, and nothing is stored."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.html import parse_html
from django.urls import reverse

from khoosheh.programs import forms, inputs, services
from khoosheh.programs.models import ClusterDevelopment
from tests.form_pages import assert_error_follows_its_field

pytestmark = pytest.mark.django_db

LIMIT = inputs.DEVELOPMENT.entries["diagnostic_study"].max_bytes


@pytest.fixture
def development(world):
    return services.start_development(world.cluster, world.cast.national, agent=world.cast.agent)


def upload(client, world, development, name: str, content: bytes):
    client.force_login(world.cast.national)
    return client.post(reverse("programs:development_update", args=[development.pk]),
                       {"action_plan": "", "diagnostic_study": SimpleUploadedFile(name, content)})


def test_the_limit_is_twenty_megabytes():
    assert LIMIT == 20 * 1024 * 1024


def test_a_pdf_is_stored(client, world, development):
    response = upload(client, world, development, "study.pdf", b"%PDF-1.7\n...")
    assert response.status_code == 302
    assert ClusterDevelopment.objects.get(pk=development.pk).diagnostic_study.name.endswith(".pdf")


@pytest.mark.parametrize(("name", "content", "says"), [
    ("study.txt", b"a plain note", "تنها فایل PDF پذیرفته می‌شود"),
    ("study.txt", b"%PDF-1.7 sent under another name", "پایان نمی‌یابد"),
    ("study.pdf", b"a plain note renamed", "محتوایش PDF نیست"),
], ids=["a text file", "a pdf named .txt", "a text file named .pdf"])
def test_anything_but_a_pdf_is_refused_under_its_box(client, world, development, name, content, says):
    response = upload(client, world, development, name, content)
    # The page comes back with the reason, in Persian, under the file's box; nothing is stored.
    assert response.status_code == 200
    assert says in assert_error_follows_its_field(parse_html(response.content.decode()), "diagnostic_study")
    assert not ClusterDevelopment.objects.get(pk=development.pk).diagnostic_study


def test_a_file_over_the_limit_is_refused_by_the_form_saying_the_limit():
    form = forms.DevelopmentForm({}, {"diagnostic_study": SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * LIMIT)})
    assert not form.is_valid()
    assert "بیشینه ۲۰ مگابایت" in form.errors["diagnostic_study"][0]


def test_a_file_at_the_limit_is_taken_by_the_form():
    form = forms.DevelopmentForm({}, {"diagnostic_study": SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (LIMIT - 5))})
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(("name", "content", "says"), [
    ("study.txt", b"a plain note", "PDF"),
    ("study.pdf", b"a plain note renamed", "محتوایش PDF نیست"),
    ("big.pdf", b"%PDF-" + b"0" * LIMIT, "بیشینه ۲۰ مگابایت"),
], ids=["a text file", "a text file named .pdf", "over the limit"])
def test_the_service_holds_the_same_rule_for_any_caller(world, development, name, content, says):
    with pytest.raises(ValidationError) as refused:
        services.update_development(development, world.cast.national, diagnostic_study=ContentFile(content, name=name))
    assert says in refused.value.message_dict["diagnostic_study"][0]
    assert not ClusterDevelopment.objects.get(pk=development.pk).diagnostic_study


def test_the_file_box_asks_the_browser_for_pdfs(client, world, development):
    client.force_login(world.cast.national)
    page = client.get(reverse("programs:development_detail", args=[development.pk])).content.decode()
    assert 'accept=".pdf,application/pdf"' in page
