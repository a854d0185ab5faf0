"""A database too busy to take a write (on SQLite: someone else's long write held the lock past the busy timeout)
gets a Persian page saying so, or a JSON answer, with 503 and Retry-After — never a 500 and a traceback."""

import json

import pytest
from django.db import OperationalError
from django.urls import reverse

from khoosheh.accounts.tokens import make_token
from khoosheh.registry import services
from khoosheh.registry.models import ProductionUnit, UnitStatusChange
from tests.api.test_api import body
from tests.conftest import make_unit

pytestmark = pytest.mark.django_db


def locked(*args, **kwargs):
    raise OperationalError("database is locked")


def test_a_portal_write_on_a_busy_database_gets_the_busy_page_in_the_layout(client, cast, monkeypatch):
    unit = make_unit("کارگاه نگین", "10", "1010")
    monkeypatch.setattr(services, "set_status", locked)
    client.force_login(cast.isfahan)

    response = client.post(reverse("registry:unit_change_status", args=[unit.pk]),
                           {"status": "idle", "reason": "تعطیلی فصلی"})

    # 503 with a hint when to come back, in Persian and inside the site's layout (the user's menu is there).
    assert response.status_code == 503 and response["Retry-After"] == "5"
    page = response.content.decode()
    assert "سامانه مشغول است" in page and "چیزی نیمه‌کاره ذخیره نشد" in page
    assert 'dir="rtl"' in page and "isfahan" in page and "Traceback" not in page
    # Nothing was changed.
    assert ProductionUnit.objects.get(pk=unit.pk).status == "active" and not UnitStatusChange.objects.exists()


def test_an_api_write_on_a_busy_database_gets_a_json_503_with_retry_after(client, cast, monkeypatch):
    from khoosheh.api import units as api_units

    monkeypatch.setattr(api_units, "import_table", locked)
    response = client.post("/api/v1/units", json.dumps(body()), content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {make_token(cast.national)}")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("application/json")
    assert "چند لحظه دیگر" in response.json()["detail"]


def test_other_database_errors_stay_errors(client, cast, monkeypatch):
    unit = make_unit("کارگاه نگین", "10", "1010")

    def broken(*args, **kwargs):
        raise OperationalError("no such table: registry_productionunit")

    monkeypatch.setattr(services, "set_status", broken)
    client.force_login(cast.isfahan)
    client.raise_request_exception = False
    response = client.post(reverse("registry:unit_change_status", args=[unit.pk]),
                           {"status": "idle", "reason": "تعطیلی فصلی"})
    assert response.status_code == 500
