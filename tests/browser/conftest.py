"""Headless Chromium for browser tests: Debian's build at /usr/bin/chromium,
driven by Playwright (never a downloaded browser).  Without it the tests skip,
and `make test` says so plainly."""

import os
import shutil
from pathlib import Path

import pytest

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
