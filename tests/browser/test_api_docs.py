"""The API's documentation page in a real browser: Swagger UI (served from django-ninja's bundled files, no CDN)
reads the schema and lists every operation (issue 16, problem 3: a schema with a key twice rendered nothing)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_page_lists_the_operations(page, live_server, artefact):
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=15_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/units" in {p.replace("\u200b", "") for p in paths}
    assert len(paths) >= 30 and not errors, (len(paths), errors)
    assert page.locator(".errors-wrapper").count() == 0  # Swagger's "could not render" box
    page.screenshot(path=artefact("api-docs.png"))
