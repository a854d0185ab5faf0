"""The 403, 404, 500 and 503 pages: in Persian, inside the site's layout, saying why and where to go."""

from __future__ import annotations

import logging

from django.db import OperationalError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader

from khoosheh.accounts.scoping import OtherProvince, OutsideScope, province_scope

log = logging.getLogger(__name__)


def permission_denied(request, exception=None):
    # Another province asked for by name (a dashboard, a list's filter, a report): say which one the access covers.
    user = getattr(request, "user", None)
    other = isinstance(exception, OtherProvince)
    return render(request, "403.html", {
        "other_province": other, "own_province": user.province if other and user is not None else None,
    }, status=403)


def page_not_found(request, exception=None):
    user = getattr(request, "user", None)
    scope = province_scope(user) if user is not None and user.is_authenticated else None
    return render(request, "404.html", {
        "outside_scope": isinstance(exception, OutsideScope), "own_province": user.province if scope else None,
    }, status=404)


class MethodNotAllowedPageMiddleware:
    """A page address opened by hand that only takes a form (``require_POST``) answers 405 with an empty body: a
    blank page.  Give it the site's Persian page saying what the address is for; the API keeps its JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and not request.path.startswith("/api/"):
            page = render(request, "405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response


def server_error(request):
    # The layout needs the request (user, language); if even that fails, a plain Persian page.
    try:
        return render(request, "500.html", status=500)
    except Exception:  # noqa: BLE001 - the error page must not fail in turn
        log.exception("the 500 page could not be drawn in the layout")
        return HttpResponseServerError(loader.get_template("500-plain.html").render())


# SQLite answers these when another connection holds the write lock past the busy timeout.
_BUSY = ("database is locked", "database table is locked", "database is busy")
RETRY_AFTER_SECONDS = 5
BUSY_DETAIL = "سامانه همین حالا سرگرم کار دیگری است؛ چند لحظه دیگر دوباره بفرستید"


def is_database_busy(exc: BaseException) -> bool:
    return isinstance(exc, OperationalError) and any(words in str(exc).lower() for words in _BUSY)


def database_busy(request):
    """503, not 500: the database was busy (on SQLite, a long write of someone else's) and nothing was saved."""
    log.warning("database busy: %s %s answered 503", request.method, request.path)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": BUSY_DETAIL}, status=503, json_dumps_params={"ensure_ascii": False})
    else:
        try:
            response = render(request, "503.html", status=503)
        except Exception:  # noqa: BLE001 - the error page must not fail in turn
            log.exception("the 503 page could not be drawn in the layout")
            response = HttpResponse(loader.get_template("503-plain.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseBusyMiddleware:
    """A page or API call that met a busy database answers 503 with Retry-After instead of a 500 traceback."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return database_busy(request) if is_database_busy(exception) else None
