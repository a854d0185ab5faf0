"""The Content-Security-Policy blocks nothing of ours: the portal, its filters, the API's
documentation (Swagger UI) and the administration all work under it."""

import pytest

from tests.browser.conftest import assert_nothing_ran
from tests.browser.signing import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff(django_user_model):
    from django.core.management import call_command

    from khoosheh.accounts.models import Role

    call_command("sync_reference", verbosity=0)  # a transactional test empties the reference tables too
    return django_user_model.objects.create_user("national", password="pw", role=Role.NATIONAL, is_staff=True,
                                                 is_superuser=True)


def log_in(page, live_server):
    sign_in(page, live_server.url, "national", "pw")


def test_the_province_filter_still_applies_on_change_without_inline_handlers(watched, live_server, staff):
    page = watched
    log_in(page, live_server)
    page.goto(f"{live_server.url}/registry/units/?county=2106")
    with page.expect_navigation():
        page.select_option("select[name=province]", "10")
    # The choice applied at once, and the county of the old province was let go.
    assert "province=10" in page.url and "county=2106" not in page.url
    with page.expect_navigation():
        page.select_option("select[name=county]", "1010")
    assert "county=1010" in page.url
    assert_nothing_ran(page, "the unit filters")


def test_the_api_documentation_renders_under_the_policy(watched, live_server, staff, artefact):
    page = watched
    log_in(page, live_server)
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector("#swagger-ui .opblock", timeout=20_000)
    assert page.locator("#swagger-ui .opblock").count() > 10
    page.screenshot(path=artefact("api-docs-under-csp.png"))
    assert_nothing_ran(page, "the API documentation")


def test_the_administration_renders_under_the_policy(watched, live_server, staff):
    page = watched
    log_in(page, live_server)
    for path in ("/admin/", "/admin/accounts/user/", f"/admin/accounts/user/{staff.pk}/change/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        assert_nothing_ran(page, path)
