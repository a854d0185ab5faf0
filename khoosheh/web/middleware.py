from django.conf import settings
from django.core.exceptions import BadRequest
from django.utils import translation
from django.utils.cache import patch_vary_headers


class PersianFirstLocaleMiddleware:
    """Persian unless the person chose otherwise with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and
    many officials' browsers say English while the officials read Persian."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class RequestSizeLimitMiddleware:
    """Refuse a body larger than the upload limit from its Content-Length, before a byte of it is read (413).

    Django checks FILE_UPLOAD/DATA_UPLOAD sizes only while it reads the body, and the form only once the whole
    file has arrived: a client with nothing but a CSRF cookie could stream a gigabyte first.  The reverse proxy
    should refuse it even earlier (client_max_body_size, docs/security.md)."""

    ALLOWANCE = 1024 * 1024  # the form's other fields and the multipart boundaries around the file

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.KHOOSHEH_MAX_UPLOAD_BYTES + self.ALLOWANCE:
            from django.http import HttpResponse
            from django.template.defaultfilters import filesizeformat

            limit = filesizeformat(settings.KHOOSHEH_MAX_UPLOAD_BYTES)
            response = HttpResponse(f"درخواست بیش از اندازه بزرگ است؛ بیشینه {limit}".encode(), status=413,
                                    content_type="text/plain; charset=utf-8")
            response["Connection"] = "close"  # the unread body must not be taken for the next request
            return response
        return self.get_response(request)


class RefuseNulBytesMiddleware:
    """A NUL character in a page's address or query is refused with the site's 400 page.

    No address of ours holds one, and PostgreSQL refuses NUL in any text it is sent: a province code of `%00`
    would otherwise reach a query and answer 500 (found by tests/portal/test_bad_parameters.py on PostgreSQL).
    The API refuses such values itself, with its documented 422, so it is left to do so."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/") and _holds_nul(request):
            raise BadRequest("NUL in the request's address")
        return self.get_response(request)


def _holds_nul(request) -> bool:
    if "\x00" in request.path:
        return True
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists())
