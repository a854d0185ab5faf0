"""The 403, 404 and 500 pages: in Persian, inside the site's layout, saying why and where to go."""

from __future__ import annotations

import logging

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from khoosheh.accounts.scoping import OutsideScope, province_scope

log = logging.getLogger(__name__)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    user = getattr(request, "user", None)
    scope = province_scope(user) if user is not None and user.is_authenticated else None
    return render(request, "404.html", {
        "outside_scope": isinstance(exception, OutsideScope), "own_province": user.province if scope else None,
    }, status=404)


def server_error(request):
    # The layout needs the request (user, language); if even that fails, a plain Persian page.
    try:
        return render(request, "500.html", status=500)
    except Exception:  # noqa: BLE001 - the error page must not fail in turn
        log.exception("the 500 page could not be drawn in the layout")
        return HttpResponseServerError(loader.get_template("500-plain.html").render())
