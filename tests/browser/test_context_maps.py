"""The point maps give their points context with nothing from the internet: Iran's outline and the
towns' names always, the province and county boundaries once officials have loaded them."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAP = "#cluster-map"


@pytest.fixture
def national(django_user_model):
    # A transactional test empties every table afterwards, the reference tables too.
    call_command("sync_reference", verbosity=0)
    return django_user_model.objects.create_user(username="nat", password="pw-nat", role="national")


def open_dashboard(page, live_server):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "nat")
    page.fill("#id_password", "pw-nat")
    page.click("button[type=submit]")
    page.wait_for_selector(f"{MAP}[data-outline-drawn='1'][data-towns-drawn='1'][data-province-boundaries]")
    page.wait_for_load_state("networkidle")


def shown_towns(page):
    return page.locator(f"{MAP} .town-name:not(.crowded)").all_inner_texts()


def drawn_paths(page, pane):
    return page.locator(f"{MAP} .leaflet-{pane}-pane path").count()


def test_the_map_shows_the_outline_and_the_capitals_names(page, live_server, national, artefact):
    open_dashboard(page, live_server)
    # The outline is drawn under the points, from khoosheh's own copy.
    assert drawn_paths(page, "land") >= 1
    # At the country's scale, the provinces' largest towns are named (31, less those whose name
    # would overlap a bigger town's: Karaj's, beside Tehran, and a few others at this width).
    names = shown_towns(page)
    assert 25 <= len(names) <= 31 and {"تهران", "اصفهان", "یزد", "بندرعباس"} <= set(names)
    # No boundaries are loaded yet: none drawn, and nothing was asked of any other server.
    assert page.get_attribute(MAP, "data-province-boundaries") == "0" and drawn_paths(page, "borders") == 0
    page.locator(MAP).screenshot(path=artefact("map-outline-towns.png"))


def test_loaded_boundaries_are_drawn_and_county_detail_appears_closer_in(page, live_server, national, artefact,
                                                                         shared_data):
    census = str(shared_data / "iran_admin" / "census2016_counties_shp" / "iran2016census.shp")
    call_command("load_boundaries", "--level", "province", census)
    call_command("load_boundaries", "--level", "county", census)
    open_dashboard(page, live_server)
    assert page.get_attribute(MAP, "data-province-boundaries") == "31" and drawn_paths(page, "borders") == 31
    page.locator(MAP).screenshot(path=artefact("map-provinces.png"))
    # Zoomed in on Isfahan, the counties are drawn too and every county seat is named.
    page.evaluate("""() => { const map = document.querySelector('#cluster-map')._khooshehMap;
                             map.setView([32.65, 51.67], 8.5, {animate: false}); }""")
    page.wait_for_selector(f"{MAP}[data-county-boundaries='429']")
    assert drawn_paths(page, "borders") == 31 + 429
    assert {"اصفهان", "نجف آباد", "شاهین شهرومیمه"} <= set(shown_towns(page))
    page.locator(MAP).screenshot(path=artefact("map-counties.png"))
