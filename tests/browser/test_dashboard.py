"""The dashboard in a real browser: right to left, every province on the map,
charts drawn, and filters that change the figures."""

import pytest

from tests.browser.signing import sign_in
from tests.demo_snapshot import demo_registry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings, tmp_path_factory):
    demo_registry(settings, tmp_path_factory, units=4000, seed=2)


def log_in(page, live_server, username="demo"):
    sign_in(page, live_server.url, username, "demo")


def test_the_national_dashboard_renders_right_to_left_with_map_and_charts(page, live_server, demo, artefact):
    log_in(page, live_server)
    assert page.locator("html").get_attribute("dir") == "rtl"
    # Every one of the 31 provinces is drawn on the map.
    assert page.locator("svg.tilemap rect[data-province]").count() == 31
    # Each chart has drawn onto its canvas.
    for chart in ("chart-divisions", "chart-phases", "chart-trend"):
        assert page.locator(f"#{chart}[data-drawn='1'] canvas").count() >= 1, chart
    # Figures are in Persian digits.
    units = page.locator("#registry-figures .stat .v").first.inner_text()
    assert units == "۴٬۰۰۰"
    page.screenshot(path=artefact("dashboard-national.png"), full_page=True)


def test_switching_the_map_to_the_share_idle_changes_its_figures(page, live_server, demo, artefact):
    log_in(page, live_server)
    tehran = page.locator("svg.tilemap rect[data-province='23'] title")
    before = tehran.text_content()
    page.click("text=سهم راکد")
    page.wait_for_load_state("networkidle")
    after = page.locator("svg.tilemap rect[data-province='23'] title").text_content()
    assert before != after and "٪" in after
    page.screenshot(path=artefact("dashboard-idle-share.png"))


def test_the_year_filter_changes_the_targets_table(page, live_server, demo):
    log_in(page, live_server)
    this_year = page.locator("#targets").inner_text()
    page.fill("input[name=year]", "1390")
    page.click("#filters button")
    page.wait_for_load_state("networkidle")
    assert page.locator("#targets").inner_text() != this_year


def test_provincial_staff_land_on_their_province(page, live_server, demo, artefact):
    log_in(page, live_server, "demo-isfahan")
    assert "اصفهان" in page.locator("h1").inner_text()
    assert page.locator("#registry-figures .stat .v").first.inner_text() != "۴٬۰۰۰"
    page.screenshot(path=artefact("dashboard-isfahan.png"))


def collect_errors(page) -> list[str]:
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


@pytest.mark.parametrize("username, path", [("demo-isfahan", "/"), ("demo", "/dashboard/province/23/")],
                         ids=["isfahan-staff", "tehran-seen-nationally"])
def test_a_province_dashboards_cluster_map_draws_without_script_errors(page, live_server, demo, username, path):
    errors = collect_errors(page)
    log_in(page, live_server, username)
    page.goto(f"{live_server.url}{path}")
    page.wait_for_selector("#cluster-map[data-outline-drawn='1']")
    # The map has its outline and a view (Leaflet's panes are positioned), and nothing threw on the way.
    assert page.locator("#cluster-map path").count() >= 1
    assert errors == []


def test_the_cluster_map_draws_every_cluster_with_its_extent_over_irans_outline(page, live_server, demo, artefact):
    from khoosheh.clusters.models import Cluster

    log_in(page, live_server)
    page.wait_for_selector("#cluster-map[data-outline-drawn='1']")
    assert Cluster.objects.exists()
    assert page.locator("#cluster-map path.cluster-extent").count() == Cluster.objects.count()
    page.locator("#cluster-map").scroll_into_view_if_needed()
    page.locator("#cluster-map").screenshot(path=artefact("dashboard-cluster-map.png"))


def test_a_large_report_shows_its_progress_and_then_its_download(page, live_server, demo, artefact, settings,
                                                                 tmp_path):
    settings.KHOOSHEH_REPORT_INLINE_ROWS = 100
    settings.REPORTS_DIR = tmp_path / "reports"
    log_in(page, live_server)
    page.click("#unit-list-report")
    page.wait_for_selector("#large-report")
    page.click("#large-report button")
    page.wait_for_selector("#report-job")
    if page.locator("#report-job").get_attribute("data-status") != "done":
        assert not page.locator("#job-download").is_visible()  # no download before the file exists
    page.wait_for_selector("#job-download:not([hidden])", timeout=60_000)
    assert page.locator("#job-download").is_visible()
    assert page.locator("#job-progress").get_attribute("value") == "100"
    page.screenshot(path=artefact("report-job-done.png"))
    with page.expect_download() as download:
        page.click("#job-download")
    assert download.value.suggested_filename.endswith("-units.xlsx")


def test_a_countys_units_are_drawn_as_points(page, live_server, demo, artefact):
    from khoosheh.registry.models import County, ProductionUnit

    county = County.objects.get(province_id="10", name_fa="اصفهان")
    log_in(page, live_server)
    page.goto(f"{live_server.url}/registry/units/?province=10&county={county.code}")
    page.wait_for_selector("#county-map[data-outline-drawn='1']")
    drawn = page.locator("#county-map path.leaflet-interactive").count()
    assert drawn == ProductionUnit.objects.filter(county=county).count() > 0
    page.locator("#county-map").screenshot(path=artefact("county-units-map.png"))


def test_a_report_still_being_built_offers_no_download(page, live_server, demo):
    from khoosheh.accounts.models import User
    from khoosheh.dashboards.models import ReportJob

    job = ReportJob.objects.create(user=User.objects.get(username="demo"), spec={}, title="گزارش در صف",
                                   status="running", done=300, total=1000, stage="units")
    log_in(page, live_server)
    page.goto(f"{live_server.url}/dashboard/reports/{job.pk}/")
    assert page.locator("#job-progress").get_attribute("value") == "30"
    assert not page.locator("#job-download").is_visible()
    assert "فهرست کردن واحدها" in page.locator("#job-stage").inner_text()


def test_a_provincial_user_opening_another_provinces_dashboard_is_told_why_in_persian(page, live_server, demo,
                                                                                       artefact):
    log_in(page, live_server, "demo-isfahan")
    response = page.goto(f"{live_server.url}/dashboard/province/07/")
    assert response.status == 403 and page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text() == "این صفحه از آن استان دیگری است"
    assert "تنها استان اصفهان" in page.locator(".error-page").inner_text()
    page.screenshot(path=artefact("dashboard-other-province-403.png"), full_page=True)


# Pages a walk found wider than a phone (the units list was 593 px on a 390 px screen): wide tables now scroll
# inside their own box and maps shrink to theirs, so the page itself never scrolls sideways.
PHONE_PAGES = ["/registry/units/", "/programs/", "/programs/clinic/", "/", "/dashboard/province/10/",
               "development", "cluster"]


def test_no_page_is_wider_than_a_phone(browser, live_server, demo, artefact):
    from khoosheh.clusters.models import Cluster
    from khoosheh.programs.models import ClusterDevelopment

    places = {"development": f"/programs/developments/{ClusterDevelopment.objects.first().pk}/",
              "cluster": f"/clusters/{Cluster.objects.filter(confirmed_at__isnull=False).first().pk}/"}
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        log_in(page, live_server)
        wide = {}
        for path in (places.get(p, p) for p in PHONE_PAGES):
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("networkidle")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                wide[path] = width
            page.screenshot(path=artefact(f"phone{path.replace('/', '-').rstrip('-') or '-home'}.png"))
        assert wide == {}, wide
        # The units table is still all there: it scrolls sideways inside its own box.
        page.goto(f"{live_server.url}/registry/units/")
        table = page.locator("table").first
        assert table.evaluate("t => t.scrollWidth > t.clientWidth && getComputedStyle(t).overflowX === 'auto'")
        # The activity list reads its codes in Persian digits, as the table does.
        first = page.locator("select[name=activity] option").nth(1).inner_text()
        assert first.strip()[0] in "۰۱۲۳۴۵۶۷۸۹", first
    finally:
        context.close()
