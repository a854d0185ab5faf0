"""The upload limit is checked from Content-Length before the body is read (issue 17, finding 10: 969 MB were
streamed by a client with only a CSRF cookie)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


class Unreadable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_a_body_over_the_limit_is_refused_with_413_before_it_is_read(client, cast, settings):
    settings.KHOOSHEH_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
    response = client.post(reverse("registry:unit_import"), data={}, CONTENT_LENGTH=str(969 * 1024 * 1024),
                           **{"wsgi.input": Unreadable()})
    assert response.status_code == 413 and "بزرگ" in response.content.decode()


def test_a_body_within_the_limit_reaches_the_page(client, cast, settings):
    client.force_login(cast.national)
    assert client.post(reverse("registry:unit_import"), data={}).status_code != 413
