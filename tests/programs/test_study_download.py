"""A cluster development's diagnostic study is downloaded from the development's page, by whoever may see that
development and by no one else; the stored file is never named or served any other way."""

from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.test.html import parse_html
from django.urls import reverse

from khoosheh.accounts.models import Role
from khoosheh.programs import services

pytestmark = pytest.mark.django_db

STUDY = b"%PDF-1.7\n% the diagnostic study of the Meybod tile cluster\n"


@pytest.fixture
def development(world):
    """The Yazd tile cluster in development, with its agent."""
    return services.start_development(world.cluster, world.cast.national, agent=world.cast.agent)


@pytest.fixture
def studied(world, development):
    services.update_development(development, world.cast.national,
                                diagnostic_study=ContentFile(STUDY, name="study.pdf"))
    development.refresh_from_db()
    assert development.diagnostic_study.name.startswith("diagnostic-studies/")
    return development


def download(client, user, development):
    client.force_login(user)
    return client.get(reverse("programs:development_study", args=[development.pk]))


@pytest.mark.parametrize("who", ["national", "agent", "yazd"])
def test_whoever_sees_the_development_downloads_its_study(client, world, django_user_model, studied, who):
    users = {"national": world.cast.national, "agent": world.cast.agent,
             "yazd": django_user_model.objects.create_user("yazd", password="x", role=Role.PROVINCIAL,
                                                           province_id="21")}
    response = download(client, users[who], studied)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    # The PDF itself, whole.
    assert b"".join(response.streaming_content) == STUDY
    # Saved under the cluster's name, in Persian (RFC 6266's UTF-8 form), never under the storage path.
    name = quote("مطالعه تشخیصی خوشه کاشی میبد.pdf")
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{name}"


def test_another_provinces_staff_get_404_as_on_the_page(client, world, studied):
    # Isfahan's staff do not see the Yazd development: neither its page nor its study exists for them.
    assert download(client, world.cast.isfahan, studied).status_code == 404
    assert client.get(reverse("programs:development_detail", args=[studied.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, studied):
    response = client.get(reverse("programs:development_study", args=[studied.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_no_study_stored_is_404(client, world, development):
    assert download(client, world.cast.national, development).status_code == 404


def test_a_study_whose_file_is_gone_is_404(client, world, studied):
    # A database restored without its files: no 500.
    studied.diagnostic_study.storage.delete(studied.diagnostic_study.name)
    assert download(client, world.cast.national, studied).status_code == 404


def _study_links(client, user, development) -> tuple[int, str]:
    client.force_login(user)
    page = client.get(reverse("programs:development_detail", args=[development.pk])).content.decode()
    link = parse_html(f'<a href="{reverse("programs:development_study", args=[development.pk])}">'
                      "دریافت مطالعه تشخیصی</a>")
    return parse_html(page).count(link), page


def test_the_page_links_the_study_only_when_one_is_stored(client, world, development):
    assert _study_links(client, world.cast.national, development)[0] == 0
    services.update_development(development, world.cast.national,
                                diagnostic_study=ContentFile(STUDY, name="study.pdf"))
    count, page = _study_links(client, world.cast.national, development)
    assert count == 1
    # The facts name no storage path any more (the history below still records the change of file).
    facts = page[page.index('<dl class="facts">'):page.index("</dl>")]
    assert "diagnostic-studies/" not in facts


def test_uploads_are_not_served_at_any_other_address(client, world, studied):
    # Nothing serves MEDIA_ROOT: the stored path, under any prefix, is not found, even for national staff.
    client.force_login(world.cast.national)
    for prefix in ("/", "/media/", "/static/"):
        assert client.get(prefix + studied.diagnostic_study.name).status_code == 404
