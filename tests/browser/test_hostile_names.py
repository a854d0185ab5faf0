"""A unit or cluster name is text, never markup: hostile names run nothing anywhere.

A name comes from a province's file; it used to reach Leaflet's tooltips as HTML, so hovering
over a map point ran script in national staff's session (issue 17, finding 2). Every page that
shows such names is opened, every map point hovered and every chart touched; nothing may run,
the page's Content-Security-Policy must not have to block anything of ours, and the name must be
readable as the characters it is."""

import pytest
from django.utils import timezone

from tests.browser.conftest import assert_nothing_ran
from tests.browser.signing import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IMG = "<img src=x onerror=window.__xss=true>"
SCRIPT = "<script>window.__xss=true</script>"
ATTRIBUTE = '"><svg onload=window.__xss=true>'

@pytest.fixture
def hostile(settings, tmp_path, django_user_model):
    from django.core.management import call_command

    from khoosheh.accounts.models import Role
    from khoosheh.clusters.models import Cluster
    from khoosheh.dashboards.jobs import ReportSpec
    from khoosheh.dashboards.models import ReportJob
    from khoosheh.registry.models import ProductionUnit

    settings.MEDIA_ROOT = tmp_path
    settings.REPORTS_DIR = tmp_path / "reports"
    call_command("sync_reference", verbosity=0)  # a transactional test empties the reference tables too
    user = django_user_model.objects.create_user("national", password="pw", role=Role.NATIONAL)
    names = [IMG, SCRIPT, ATTRIBUTE]
    # Kashan (1010), a little apart so that each point can be hovered on its own.
    units = [ProductionUnit.objects.create(name=f"{n} {i}", activity_id="2393", province_id="10", county_id="1010",
                                           lat=33.90 + 0.05 * i, lon=51.30 + 0.05 * i, status="active",
                                           employees=20) for i, n in enumerate(names)]
    cluster = Cluster.objects.create(name=f"خوشه {IMG} {SCRIPT}", activity_id="2393", province_id="10",
                                     county_id="1010", lat=33.95, lon=51.35, extent_km=8, n_units=3, employees=60,
                                     lq=9, confirmed_at=timezone.now())
    cluster.members.set(units)
    job = ReportJob.objects.create(user=user, spec={}, title=ReportSpec(kind="cluster", fmt="xlsx",
                                                                        cluster=cluster.pk).title(),
                                   status="running", done=1, total=3, stage="units")
    return {"user": user, "units": units, "cluster": cluster, "job": job}


def log_in(page, live_server):
    sign_in(page, live_server.url, "national", "pw")


def hover_every_map_point(page, map_selector):
    """Hover each interactive shape of a Leaflet map, as a reader would; return the tooltips' text."""
    page.wait_for_selector(f"{map_selector}[data-outline-drawn='1']")
    shapes = page.locator(f"{map_selector} path.leaflet-interactive")
    texts = []
    for i in range(shapes.count()):
        shape = shapes.nth(i)
        shape.dispatch_event("mouseover")
        shape.hover(force=True)
        texts.extend(page.locator(f"{map_selector} .leaflet-tooltip").all_text_contents())
        shape.dispatch_event("mouseout")
    assert shapes.count() > 0, f"nothing drawn on {map_selector}: {page.problems}"
    return " ".join(texts)


def touch_every_chart(page):
    for chart in page.locator(".chart[data-drawn='1']").all():
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        for fraction in (0.25, 0.5, 0.75):
            page.mouse.move(box["x"] + box["width"] * fraction, box["y"] + box["height"] * 0.5)


def test_hostile_names_on_lists_and_detail_pages_run_nothing_and_read_as_text(watched, live_server, hostile):
    page = watched
    log_in(page, live_server)
    cluster, unit = hostile["cluster"], hostile["units"][0]
    for path in ("/registry/units/", f"/registry/units/{unit.pk}/", "/clusters/", f"/clusters/{cluster.pk}/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        assert IMG in page.locator("main").inner_text(), path
        assert_nothing_ran(page, path)


def test_hostile_names_in_the_county_map_tooltips_run_nothing(watched, live_server, hostile, artefact):
    page = watched
    log_in(page, live_server)
    page.goto(f"{live_server.url}/registry/units/?province=10&county=1010")
    tooltips = hover_every_map_point(page, "#county-map")
    for name in (IMG, SCRIPT, ATTRIBUTE):
        assert name in tooltips
    page.locator("#county-map").screenshot(path=artefact("hostile-county-map.png"))
    assert_nothing_ran(page, "the county map")


def test_hostile_names_on_the_cluster_page_map_run_nothing(watched, live_server, hostile):
    page = watched
    log_in(page, live_server)
    page.goto(f"{live_server.url}/clusters/{hostile['cluster'].pk}/")
    tooltips = hover_every_map_point(page, "#map")
    assert IMG in tooltips and SCRIPT in tooltips and hostile["cluster"].name in tooltips
    assert_nothing_ran(page, "the cluster page map")


@pytest.mark.parametrize("path", ["/", "/dashboard/province/10/"])
def test_hostile_cluster_names_on_the_dashboard_map_and_charts_run_nothing(watched, live_server, hostile, path,
                                                                            artefact):
    page = watched
    log_in(page, live_server)
    page.goto(f"{live_server.url}{path}")
    tooltips = hover_every_map_point(page, "#cluster-map")
    assert hostile["cluster"].name in tooltips
    touch_every_chart(page)
    page.screenshot(path=artefact(f"hostile-dashboard{path.replace('/', '-')}.png"), full_page=True)
    assert_nothing_ran(page, path)


def test_hostile_cluster_names_on_report_pages_run_nothing(watched, live_server, hostile, settings):
    settings.KHOOSHEH_REPORT_INLINE_ROWS = 0  # the cluster's report is offered as a background job, with its name
    page = watched
    log_in(page, live_server)
    job = hostile["job"]
    for path in (f"/dashboard/clusters/{hostile['cluster'].pk}/report.xlsx", "/dashboard/reports/",
                 f"/dashboard/reports/{job.pk}/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        assert IMG in page.locator("main").inner_text(), path
        assert_nothing_ran(page, path)
