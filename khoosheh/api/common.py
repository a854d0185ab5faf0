"""What every part of the API shares: the token check, the error answers, pagination,
and the input types (bounded numbers, normalised text, dates in Jalali or ISO)."""

import datetime as dt
import re
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field, NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination
from ninja.security import HttpBearer
from pydantic import AfterValidator, BeforeValidator, StringConstraints

from khoosheh.accounts.tokens import user_for_token
from khoosheh.core.jalali import format_jalali, parse_jalali
from khoosheh.core.text import clean


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user  # the scoping helpers read request.user
        return user


_ERROR = {"type": "object", "properties": {"detail": {}}, "required": ["detail"]}
_ERRORS = {
    "400": "the request could not be read (malformed JSON, say)",
    "401": "no valid token",
    "403": "the token may not do this",
    "404": "not found, or not in the token's scope",
    "409": "conflict (a national ID of another unit)",
    "422": "the request's values were refused; `detail` says why, in Persian",
}


class KhooshehAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Document the error answers every operation can give, so the schema is the whole truth."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation["responses"]
                for code, text in _ERRORS.items():
                    # ninja keys a route's declared answers by int (422), ours are text: match them
                    # as text, or the JSON holds "422" twice and Swagger UI refuses the whole schema.
                    declared = next((key for key in responses if str(key) == code), None)
                    if declared is None:
                        responses[code] = {"description": text,
                                           "content": {"application/json": {"schema": _ERROR}}}
                        continue
                    # A route that declares its own refusal (units: row errors) still answers
                    # ninja's {"detail": ...} when the body does not fit: either shape may come.
                    content = responses[declared].get("content", {}).get("application/json")
                    if content and content.get("schema") not in (None, _ERROR):
                        content["schema"] = {"anyOf": [content["schema"], _ERROR]}
        return schema


def install_error_answers(api: NinjaAPI) -> None:
    """The domain services refuse with Django's exceptions; the API answers 403 and 422."""

    @api.exception_handler(PermissionDenied)
    def refused(request, exc):
        return api.create_response(request, {"detail": "این حساب اجازه این کار را ندارد"}, status=403)

    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        return api.create_response(request, {"detail": "؛ ".join(exc.messages)}, status=422)


def jalali(value: dt.date | None) -> str | None:
    return format_jalali(value, persian_digits=False) if value else None


class Pages(LimitOffsetPagination):
    """Limit and offset, both bounded: a huge offset would overflow the database's integers."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=500)
        offset: int = Field(0, ge=0, le=10_000_000)


# --- input types: every bound is the database column's, so no value can fail at the database ----

def Text(max_length: int):  # noqa: N802 - used like a type
    """Text normalised like every other Persian input (digits, ي/ك, ZWNJ, spaces, control characters)."""
    return Annotated[str, StringConstraints(max_length=max_length), AfterValidator(clean)]


Count = Annotated[int, Field(ge=0, le=2_147_483_647)]           # PositiveIntegerField
SmallCount = Annotated[int, Field(ge=0, le=32_767)]             # PositiveSmallIntegerField
Money = Annotated[int, Field(ge=0, le=9_223_372_036_854_775_807)]  # PositiveBigIntegerField
Id = Annotated[int, Field(ge=1, le=2**53, description="a record's id")]  # within every database's integers
JalaliYear = Annotated[int, Field(ge=1300, le=1500, description="Jalali year, e.g. 1405")]
_ISO = re.compile(r"^(\d{4})-\d{2}-\d{2}$")


def _either_calendar(value):
    """A date as ISO 8601 (`2026-03-21`) or Jalali (`1405/01/01`, Persian digits welcome)."""
    if isinstance(value, str):
        text = clean(value)
        iso = _ISO.match(text)
        if iso and int(iso.group(1)) > 1700:  # no Jalali year of this registry is that large
            return dt.date.fromisoformat(text)
        return parse_jalali(text)  # its ValueError carries the Persian reason
    return value


Day = Annotated[dt.date, BeforeValidator(_either_calendar),
                Field(description="ISO 8601 (2026-03-21) or Jalali (1405/01/01)")]


def require_province(code: str | None) -> None:
    """A province code the client sent must exist (else the database would refuse it at commit)."""
    from khoosheh.registry.models import Province

    if not code or not Province.objects.filter(pk=code).exists():
        raise HttpError(422, f"استانی با کد «{code}» نیست")
