"""Headless Chromium for browser tests: Debian's build at /usr/bin/chromium,
driven by Playwright (never a downloaded browser).  Without it the tests skip,
and `make test` says so plainly."""

import os
import shutil
import sys
from pathlib import Path

import pytest

# The benchmarks' helpers (bench/httpbench.py: a server on a free port) serve the browser tests too.
BENCH = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

CHROMIUM = os.environ.get("KHOOSHEH_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
ARTEFACTS = Path(__file__).resolve().parents[1] / "artefacts"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("no Chromium found (install Debian's chromium package to run the browser tests)")
    playwright = pytest.importorskip("playwright.sync_api")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright runs an event loop in this thread
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def artefact():
    ARTEFACTS.mkdir(exist_ok=True)
    return lambda name: str(ARTEFACTS / name)


# Before any page script: remember every CSP violation (ours would mean the policy breaks the portal).
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.fixture
def watched(browser):
    """A page that records CSP violations, script errors and failed loads (``page.problems``)."""
    context = browser.new_context(viewport={"width": 1366, "height": 1000})
    context.add_init_script(WATCH)
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda exc: page.problems.append(f"page error: {exc}"))
    # A failed load is reported by the response itself, with its address; the browser's own
    # favicon request is not ours.
    page.on("console", lambda m: m.type == "error" and not m.text.startswith("Failed to load resource")
            and page.problems.append(f"console: {m.text}"))
    page.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico")
            and page.problems.append(f"{r.status}: {r.url}"))
    yield page
    context.close()


def assert_nothing_ran(page, where):
    """No script from data ran (``window.__xss``), the policy blocked nothing, nothing failed."""
    page.wait_for_timeout(200)  # let a broken image's onerror fire, if the name had become markup
    assert page.evaluate("window.__xss") is None, f"script from a name ran on {where}"
    assert page.evaluate("window.__violations") == [], where
    assert page.problems == [], where
