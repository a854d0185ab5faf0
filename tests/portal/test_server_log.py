"""The server log: an ordinary refusal or missing page is one line, a real failure keeps its traceback."""

import logging

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils.log import log_response


@pytest.mark.django_db
def test_an_ordinary_403_is_logged_in_one_line_without_a_traceback(client, cast, caplog):
    client.force_login(cast.viewer)  # a viewer may not upload: PermissionDenied
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(reverse("registry:unit_import")).status_code == 403
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage() == f"Forbidden (Permission denied): {reverse('registry:unit_import')}"
    assert record.exc_info is None and "Traceback" not in caplog.text


@pytest.mark.django_db
def test_an_ordinary_404_is_logged_in_one_line_without_a_traceback(client, cast, caplog):
    client.force_login(cast.national)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(reverse("registry:unit_detail", args=[987654])).status_code == 404
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage().startswith("Not Found: ") and record.exc_info is None
    assert "Traceback" not in caplog.text


def test_a_server_error_keeps_its_traceback_in_the_log(caplog):
    try:
        raise ZeroDivisionError("a real bug")
    except ZeroDivisionError as exc:
        with caplog.at_level(logging.ERROR, logger="django.request"):
            # What Django's handler does for an unhandled exception in a view.
            log_response("Internal Server Error: %s", "/x/", response=HttpResponse(status=500),
                         request=RequestFactory().get("/x/"), exception=exc)
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info is not None and "ZeroDivisionError: a real bug" in caplog.text
