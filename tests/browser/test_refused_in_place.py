"""A unit's status change and a cluster's new name, refused, in a real browser: the page comes back with the
error under its box, not as a message on top (screenshots in tests/artefacts/)."""

import pytest

from tests.browser.signing import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world_with_reference(transactional_db, request):
    from django.core.management import call_command

    call_command("sync_reference", verbosity=0)  # a transactional test empties the reference tables too
    return request.getfixturevalue("world")


def test_a_status_change_without_a_reason_and_an_empty_cluster_name_are_refused_under_their_boxes(
        page, live_server, world_with_reference, artefact):
    world = world_with_reference
    sign_in(page, live_server.url, "national", "pw-national")
    page.goto(f"{live_server.url}/registry/units/{world.units['idle_yazd'].pk}/")
    page.select_option("#id_status", "active")
    page.click("form[action$='/status/'] button")
    page.wait_for_load_state("networkidle")
    assert "دلیل تغییر وضعیت را بنویسید" in page.locator("#id_reason_field").inner_text()
    assert page.locator("#id_status").input_value() == "active"
    page.screenshot(path=artefact("unit-status-refused.png"), full_page=True)

    page.goto(f"{live_server.url}/clusters/{world.cluster.pk}/")
    page.fill("#id_name", " ")
    page.click("form[action$='/rename/'] button")
    page.wait_for_load_state("networkidle")
    assert "نام خوشه خالی است" in page.locator("#id_name_field").inner_text()
    page.screenshot(path=artefact("cluster-rename-refused.png"), full_page=True)
