"""Every page is sent with a Content-Security-Policy whose nonce alone lets its inline scripts
run, and no template relies on what that policy forbids (inline event handlers, javascript: URLs)."""

import re
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve

from khoosheh.web.csp import tile_source

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "khoosheh" / "templates"
HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
# Downloads (files, not pages) and the administration's many pages (Django's templates) are left out.
NOT_PAGES = ("dashboards:report", "dashboards:cluster_report", "dashboards:report_download", "registry:unit_export",
             "registry:unit_import_sample", "registry:import_report", "iran_outline", "logout", "set_language")


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


def inline_scripts(html: str) -> list[str]:
    """The attributes of each <script> that holds code (not a src, not a JSON data block)."""
    return [attrs for attrs in SCRIPT_TAG.findall(html) if "src=" not in attrs and "application/json" not in attrs]


def crawl(client, start: str) -> dict[str, object]:
    """One page per view, following the portal's own links from ``start``."""
    queue, seen, pages = [start], set(), {}
    while queue:
        url = queue.pop(0)
        try:
            view = resolve(urlsplit(url).path).view_name
        except Resolver404:
            continue
        if view in seen or view in NOT_PAGES or view.startswith("admin:"):
            continue
        seen.add(view)
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        pages[url] = response
        queue.extend(unescape(href) for href in re.findall(r'href="(/[^"#]*)"', html))
    return pages


def test_every_page_carries_the_policy_and_its_inline_scripts_its_nonce(client, world):
    client.force_login(world.cast.national)
    pages = crawl(client, "/")
    assert len(pages) > 15, sorted(pages)  # the crawl reached the portal, not just the home page
    for url, response in pages.items():
        policy = directives(response)
        nonces = [v for v in policy["script-src"] if v.startswith("'nonce-")]
        assert len(nonces) == 1 and "'unsafe-inline'" not in policy["script-src"], url
        assert (policy["object-src"], policy["base-uri"], policy["frame-ancestors"]) == (
            ["'none'"], ["'self'"], ["'none'"]), url
        nonce = nonces[0][len("'nonce-"):-1]
        html = response.content.decode()
        for attrs in inline_scripts(html):
            assert f'nonce="{nonce}"' in attrs, (url, attrs)
        assert not HANDLER.search(html), (url, HANDLER.search(html).group(0))


def test_the_login_page_and_a_missing_page_carry_the_policy_too(client):
    for url in ("/login/", "/no-such-page/"):
        assert "'nonce-" in directives(client.get(url))["script-src"][1], url


def test_each_request_gets_a_new_nonce(client):
    first, second = (directives(client.get("/login/"))["script-src"] for _ in range(2))
    assert first != second


def test_no_template_uses_an_inline_event_handler_or_a_javascript_url():
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not HANDLER.search(text), (template.name, HANDLER.search(text).group(0))
        assert "javascript:" not in text.lower(), template.name


def test_every_inline_script_in_the_templates_asks_for_the_nonce():
    for template in TEMPLATES.rglob("*.html"):
        for attrs in inline_scripts(template.read_text(encoding="utf-8")):
            assert 'nonce="{{ csp_nonce }}"' in attrs, (template.name, attrs)


def test_a_configured_tile_server_may_serve_map_images(client, settings):
    settings.KHOOSHEH_MAP_TILES = "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert "https://*.tile.openstreetmap.org" in directives(client.get("/login/"))["img-src"]
    assert tile_source("not a url") is None
