from django.conf import settings
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
