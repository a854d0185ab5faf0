"""Content-Security-Policy on every response, with a fresh nonce per request.

Names in the registry come from provinces' files, so any slip that lets one reach the page as
markup must still run nothing: scripts load only from this site or carry this request's nonce
(templates write ``<script nonce="{{ csp_nonce }}">``), inline event handlers (``onclick=``)
and ``javascript:`` URLs never run, nothing is embedded (``object-src``) and no other site may
frame the portal.  Django 5.2 has no CSP of its own (6.0 adds one); this is the whole of it.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from django.conf import settings

HEADER = "Content-Security-Policy"


def tile_source(template: str) -> str | None:
    """The origin of a tile URL template (``https://{s}.tile.example.org/{z}/{x}/{y}.png``) for img-src."""
    parts = urlsplit(template)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    host = parts.netloc
    while "{" in host and "}" in host:  # a subdomain placeholder becomes a wildcard
        start = host.index("{")
        host = host[:start] + "*" + host[host.index("}", start) + 1:]
    return f"{parts.scheme}://{host}"


def policy(nonce: str) -> str:
    images = ["'self'", "data:"]  # data: for Leaflet's and Swagger UI's small inline icons
    if settings.KHOOSHEH_MAP_TILES and (source := tile_source(settings.KHOOSHEH_MAP_TILES)):
        images.append(source)
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", f"'nonce-{nonce}'"],
        # Styles may be inline: our templates size bars and colour legend swatches with style
        # attributes, and ECharts builds its tooltips as HTML strings with style attributes
        # (Leaflet's styles go through the CSSOM, which a CSP does not restrict).  A style
        # cannot run script, and a nonce here would switch 'unsafe-inline' off.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": images,
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(18)
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = policy(request.csp_nonce)
        return response


def nonce(request) -> dict:
    """Template context: ``csp_nonce`` for the page's inline scripts."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
