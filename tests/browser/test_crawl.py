"""Every demo role, every page of the navigation and the pages they link to, in a real browser: no script
error, no server error, no English left on a Persian page; and the API's documentation, linked from each
role's account page, rendered by Swagger UI from the live schema.

The demo is built once for the module, small, in its own SQLite folder, and served by `khoosheh runserver`
in a child process with DEBUG off — the portal as `make demo` gives it, error pages included (pytest-django's
transactional tests would empty the tables after each test, and the crawl only reads)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from httpbench import serve

from tests.browser.signing import sign_in

pytestmark = [pytest.mark.browser]

# The navigation's pages (depth 0), the lists they link to and the records those list; each kind of page
# (/clusters/N/) once per role.
DEPTH = 2
ROLES = ["demo", "demo-isfahan", "demo-viewer", "demo-agent", "demo-parks", "demo-owner"]

# Links not followed: leaving the portal's pages, downloads (reports are tested on their own), actions.
SKIP = re.compile(r"^/(admin|api|logout|i18n)/|\.(pdf|xlsx|csv|geojson|json)(\?|$)|/download/|/report\.|/export/"
                  r"|[?&]format=")

# Deliberately Latin on a Persian page: codes and names of standards, formats and products.
LATIN_OK = {"isic", "rev", "spx", "api", "hs", "pdf", "excel", "csv", "xlsx", "json", "geojson", "openapi",
            "english", "khoosheh", "openstreetmap", "natural", "earth", "geonames", "leaflet", "echarts",
            "lq", "id", "b2b", "iso", "cnc", "km", "usd", "demo", "vazirmatn"}
FILE_NAME = re.compile(r"[\w./-]+\.(pdf|xlsx|csv|json|geojson)\b")  # an uploaded file's name is what it is
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'’]+(?:[\s,:/()-]+[A-Za-z][A-Za-z'’]+)+")

VISIBLE_TEXT = """() => {
  const out = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest("script, style, noscript, template, [hidden]")) continue;
    const text = n.textContent.trim();
    if (text) out.push(text);
  }
  for (const el of document.querySelectorAll("[placeholder], [title]")) {
    for (const a of ["placeholder", "title"]) if (el.getAttribute(a)) out.push(el.getAttribute(a));
  }
  return out;
}"""


def untranslated(texts: list[str]) -> list[str]:
    """Runs of two or more Latin words that are neither codes (all capitals, digits) nor allowed names."""
    found = []
    for text in texts:
        for run in LATIN_RUN.findall(FILE_NAME.sub(" ", text)):
            words = [w for w in re.findall(r"[A-Za-z'’]+", run)
                     if w.lower() not in LATIN_OK and not (w.isupper() and len(w) <= 6)]
            if len(words) >= 2:
                found.append(text[:120])
                break
    return found


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crawl-demo")
    env = {**os.environ, "KHOOSHEH_DATA_DIR": str(folder), "DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite3'}",
           "DEBUG": "false", "KHOOSHEH_REPORTS_IN_BACKGROUND": "false", "LOG_LEVEL": "ERROR"}
    command = [sys.executable, "-m", "khoosheh"]
    subprocess.run([*command, "migrate", "--verbosity", "0"], env=env, check=True, capture_output=True)
    subprocess.run([*command, "demo-data", "--units", "1200", "--seed", "5"], env=env, check=True,
                   capture_output=True)
    with (folder / "server.log").open("w") as log, serve(env, [*command, "runserver", "127.0.0.1:{port}",
                                                                 "--noreload"], log=log) as url:
        yield url


def _playwright_error():
    from playwright.sync_api import Error

    return Error


def log_in(page, url: str, username: str) -> None:
    sign_in(page, url, username, "demo", wait="load")


def shape(path: str) -> str:
    """/registry/units/12/ and /registry/units/40/ are one page to check."""
    return re.sub(r"/\d+(?=/|$)", "/N", path)


def links(page, base: str, selector: str) -> list[str]:
    # getAttribute, not .href: the tile map's links are SVG <a>, whose href is not a string.
    hrefs = page.eval_on_selector_all(
        selector, "els => els.map(a => new URL(a.getAttribute('href'), document.baseURI).href)")
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != base or SKIP.search(f"{parts.path}?{parts.query}"):
            continue
        paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


@pytest.mark.parametrize("username", ROLES)
def test_every_page_of_the_navigation_works_for_each_role(browser, demo_server, username):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    PlaywrightError = _playwright_error()  # noqa: N806 - imported late: without Playwright the module still loads
    where = {"path": "login"}
    page.on("console", lambda m: problems.append(f"{where['path']}: console: {m.text}") if m.type == "error"
            else None)
    page.on("pageerror", lambda e: problems.append(f"{where['path']}: script error: {e}"))
    try:
        log_in(page, demo_server, username)
        # The navigation, and the account page the user's name links to (tokens and the API's documentation).
        nav = list(dict.fromkeys(["/", *links(page, demo_server, "header nav a"), "/account/"]))
        seen, queue = set(), [(path, 0) for path in nav]
        while queue:
            path, depth = queue.pop(0)
            if shape(path.split("?")[0]) in seen:
                continue
            seen.add(shape(path.split("?")[0]))
            where["path"] = path
            try:
                response = page.goto(demo_server + path, wait_until="load")
            except PlaywrightError as exc:
                if "Download is starting" in str(exc):  # a file, not a page
                    continue
                raise
            if response is None or response.status >= 400:  # a 5xx, or a link to a dead end
                problems.append(f"{path}: HTTP {response.status if response else '?'}")
                continue
            if page.locator("html").get_attribute("lang") == "fa":
                problems += [f"{path}: English: {t}" for t in untranslated(page.evaluate(VISIBLE_TEXT))]
            if depth < DEPTH:
                queue += [(p, depth + 1) for p in links(page, demo_server, "main a[href]")]
        page.wait_for_load_state("networkidle")
        where["path"] = "/api/v1/docs"
        render_the_api_docs(page, demo_server, problems)
        assert len(seen) >= 3
        assert problems == [], "\n".join(problems)
    finally:
        context.close()


def render_the_api_docs(page, url: str, problems: list[str]) -> None:
    """Every role can use the API with a token of its own: the account page links to the docs, and Swagger UI
    renders every operation of the schema (a schema a strict parser refuses renders nothing)."""
    page.goto(f"{url}/account/")
    page.click("#api-docs")
    page.wait_for_selector(".opblock", timeout=15_000)
    operations = page.locator(".opblock-summary-path").count()
    if operations < 30 or page.locator(".errors-wrapper").count():
        problems.append(f"/api/v1/docs: Swagger rendered {operations} operations, or an error box")


def test_a_jalali_date_is_picked_from_day_month_and_year_lists(browser, demo_server):
    context = browser.new_context()
    page = context.new_page()
    try:
        log_in(page, demo_server, "demo")
        page.goto(f"{demo_server}/spx/enquiries/new/")
        picker = page.locator("#id_deadline + .jalali-picker select")
        picker.nth(0).select_option("9")   # day
        picker.nth(1).select_option("7")   # Mehr
        picker.nth(2).select_option(picker.nth(2).locator("option").nth(1).get_attribute("value"))
        value = page.input_value("#id_deadline")
        # Written in Persian digits, as the server fills a date in.
        assert re.fullmatch(r"۱[۳۴][۰-۹][۰-۹]/۰۷/۰۹", value), value
        # Mehr has 30 days: the 31st cannot be picked.
        assert picker.nth(0).locator("option[value='31']").is_disabled()
    finally:
        context.close()
