"""What every part of the API shares: the token check, the error answers, pagination,
and the input types (bounded numbers, normalised text, dates in Jalali or ISO)."""

import datetime as dt
import functools
import re
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.http import Http404
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import LimitOffsetPagination
from ninja.security import HttpBearer
from pydantic import AfterValidator, BeforeValidator, ConfigDict, StringConstraints, WithJsonSchema, create_model

from khoosheh.accounts.scoping import OtherProvince
from khoosheh.accounts.tokens import user_for_token
from khoosheh.core import reference
from khoosheh.core.inputs import Description, Entry, Kind
from khoosheh.core.jalali import FIRST_YEAR, LAST_YEAR, format_jalali, parse_jalali
from khoosheh.core.text import clean, clean_name, to_persian_digits
from khoosheh.web.errors import database_busy, is_database_busy


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
# What the same codes also mean on an operation taking a province filter (accounts.scoping.province_asked).
_PROVINCE_ERRORS = {
    "403": "the token may not do this; or it is bound to a province and `province` names another one",
    "422": "the request's values were refused (a `province` code naming no province, say); `detail` says why, "
           "in Persian",
}


class KhooshehAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Document the error answers every operation can give, so the schema is the whole truth."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                # ninja keys declared answers by int (422: RefusedOut), ours are strings: the same code twice
                # would serialise as two "422" keys, which strict JSON parsers (Swagger UI's) refuse.
                responses = {str(code): answer for code, answer in operation["responses"].items()}
                for code, text in (_ERRORS | (_PROVINCE_ERRORS if _takes_province(operation) else {})).items():
                    if code not in responses:
                        responses[code] = {"description": text,
                                           "content": {"application/json": {"schema": _ERROR}}}
                        continue
                    # A route that declares its own refusal (units: row errors) still answers
                    # ninja's {"detail": ...} when the body does not fit: either shape may come.
                    content = responses[code].get("content", {}).get("application/json")
                    if content and content.get("schema") not in (None, _ERROR):
                        content["schema"] = {"anyOf": [content["schema"], _ERROR]}
                operation["responses"] = responses
        return schema


def _takes_province(operation: dict) -> bool:
    return any(p.get("in") == "query" and p.get("name") == "province" for p in operation.get("parameters", ()))


def refuse_unknown_query(run):
    """An operation answers 422 to a query parameter it does not declare, or to one it declares once sent twice:
    a misspelt filter (`?provnce=10`) must not silently answer the unfiltered list."""
    operation = run.__self__
    declared, lists = _query_parameters(operation)

    @functools.wraps(run)
    def checked(request, **kwargs):
        unknown = sorted(set(request.GET) - declared)
        repeated = sorted(name for name in request.GET if name not in lists and len(request.GET.getlist(name)) > 1)
        if unknown or repeated:
            named = "، ".join(f"«{name}»" for name in unknown + repeated)
            reason = "ناشناخته است" if unknown else "بیش از یک بار آمده است"
            return operation.api.create_response(request, {"detail": f"پارامتر {named} {reason}"}, status=422)
        return run(request, **kwargs)

    return checked


def _query_parameters(operation) -> tuple[set[str], set[str]]:
    names, lists = set(), set()
    for model in operation.models:
        if model.__ninja_param_source__ != "query":
            continue
        for name in getattr(model, "__ninja_flatten_map__", None) or model.model_fields:
            names.add(name)
        lists.update(getattr(model, "__ninja_collection_fields__", []))
    return names, lists


class Input(Schema):
    """What a client sends: a field the schema does not name is refused (422), not silently dropped."""

    model_config = ConfigDict(extra="forbid")


_FIELD_MESSAGES = {
    "missing": "لازم است",
    "extra_forbidden": "در این درخواست شناخته نیست",
    "literal_error": "باید یکی از مقادیری باشد که طرح API (openapi.json) نام می‌برد",
    "enum": "باید یکی از مقادیری باشد که طرح API (openapi.json) نام می‌برد",
    "string_pattern_mismatch": "شکل درستی ندارد",
    "string_type": "باید متن باشد",
    "int_type": "باید عدد صحیح باشد", "int_parsing": "باید عدد صحیح باشد", "int_from_float": "باید عدد صحیح باشد",
    "float_type": "باید عدد باشد", "float_parsing": "باید عدد باشد",
    "bool_type": "باید درست یا نادرست (true/false) باشد", "bool_parsing": "باید درست یا نادرست (true/false) باشد",
    "list_type": "باید فهرست باشد",
    "model_type": "باید شیء JSON باشد", "dict_type": "باید شیء JSON باشد",
    "model_attributes_type": "باید شیء JSON باشد",
    "json_invalid": "JSON درستی نیست",
}


_SOURCES = {"body", "query", "path", "data", "filters", "payload"}
# pydantic names the member of a union that failed (`float`, `literal['']`, `function-after[…]`): not a field.
_UNION_MEMBER = re.compile(r"\[|^(float|int|str|bool|none|list|dict|union|constrained-\w+)$")


def _field_of(error: dict) -> str:
    where = [str(part) for part in error.get("loc", ())
             if part not in _SOURCES and not (isinstance(part, str) and _UNION_MEMBER.search(part))]
    return ".".join(where) or "بدنه"


def _persian_problems(errors: list[dict]) -> list[dict]:
    """pydantic's errors (English, one per union member) as one Persian sentence per field."""
    by_field: dict[str, list[dict]] = {}
    for error in errors:
        by_field.setdefault(_field_of(error), []).append(error)
    return [{"field": field, "message": _persian_problem(found[0]) if len(found) == 1
             else "نوع یا مقدار این فیلد پذیرفته نیست؛ طرح API (openapi.json) شکل‌های پذیرفته را می‌گوید"}
            for field, found in by_field.items()]


def _persian_problem(error: dict) -> str:
    """One pydantic error as a Persian sentence."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "value_error" and "error" in ctx:
        message = str(ctx["error"])  # our own validators raise Persian messages
    elif kind in ("too_short", "too_long", "string_too_short", "string_too_long"):
        bound = ctx.get("min_length" if kind.endswith("short") else "max_length")
        unit = "نویسه" if kind.startswith("string") else "عضو"
        more = "دست‌کم" if kind.endswith("short") else "حداکثر"
        message = f"{more} {to_persian_digits(bound)} {unit} لازم دارد"
    elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = next(iter(ctx.values()), "")
        message = (f"نباید کمتر از {to_persian_digits(bound)} باشد" if kind.startswith("greater")
                   else f"نباید بیشتر از {to_persian_digits(bound)} باشد")
    else:
        message = _FIELD_MESSAGES.get(kind, "پذیرفته نیست")
    return message


class FieldProblemOut(Schema):
    field: str
    message: str


class MalformedOut(Schema):
    """The answer to values the schema refuses."""

    detail: str
    errors: list[FieldProblemOut]


def install_error_answers(api: NinjaAPI) -> None:
    """The domain services refuse with Django's exceptions; the API answers 403 and 422.  Values the schema
    refuses answer 422 with the fields and Persian reasons, in the same shape as every other refusal."""

    @api.exception_handler(NinjaValidationError)
    def malformed(request, exc):
        problems = _persian_problems(exc.errors)
        detail = "؛ ".join(f"«{p['field']}» {p['message']}" for p in problems[:10])
        return api.create_response(request, {"detail": detail, "errors": problems}, status=422)

    @api.exception_handler(PermissionDenied)
    def refused(request, exc):
        # Another province's list names the reason (the account's own province); other refusals say no more.
        detail = str(exc) if isinstance(exc, OtherProvince) else "این حساب اجازه این کار را ندارد"
        return api.create_response(request, {"detail": detail}, status=403)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        # ninja's own answer is the English word «Unauthorized»; every other refusal here is Persian.
        return api.create_response(request, {"detail": "توکن معتبری فرستاده نشد؛ سرآیند "
                                                       "«Authorization: Bearer <توکن>» لازم است"}, status=401)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        # A record that does not exist, or lies outside the token's scope: the same answer, so scope leaks nothing.
        return api.create_response(request, {"detail": "پیدا نشد، یا در دسترس این توکن نیست"}, status=404)

    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        return api.create_response(request, {"detail": "؛ ".join(exc.messages)}, status=422)

    @api.exception_handler(OperationalError)
    def busy(request, exc):
        if not is_database_busy(exc):
            raise exc
        return database_busy(request)  # 503 with Retry-After: SQLite's write lock was held past the busy timeout


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


def Prose(max_length: int):  # noqa: N802 - used like a type
    """Text a person reads (notes, descriptions): normalised like Text, but its digits stay as typed."""
    return Annotated[str, StringConstraints(max_length=max_length), AfterValidator(clean_name)]


def _json_number(value):
    """A number in a JSON body is a JSON number: pydantic would also take `true` as 1 and "5" as 5,
    which the schema does not allow."""
    if isinstance(value, (bool, str)):
        raise ValueError("باید عدد باشد")
    return value


Number = BeforeValidator(_json_number)
Count = Annotated[int, Field(ge=0, le=2_147_483_647), Number]           # PositiveIntegerField
SmallCount = Annotated[int, Field(ge=0, le=32_767), Number]             # PositiveSmallIntegerField
Money = Annotated[int, Field(ge=0, le=9_223_372_036_854_775_807), Number]  # PositiveBigIntegerField
# within every database's integers
Id = Annotated[int, Field(ge=1, le=2**53, description="a record's id"), Number]
JalaliYear = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR, description="Jalali year, e.g. 1405"), Number]
_ISO = re.compile(r"^(\d{4})-\d{2}-\d{2}$")


def _either_calendar(value):
    """A date as ISO 8601 (`2026-03-21`) or Jalali (`1405/01/01`, Persian digits welcome)."""
    if not isinstance(value, str):
        raise ValueError("تاریخ باید متن باشد، مثل 2026-03-21 یا 1405/01/01")  # pydantic would read 5 as a timestamp
    text = clean(value)
    iso = _ISO.match(text)
    if iso and int(iso.group(1)) > 1700:  # no Jalali year of this registry is that large
        return dt.date.fromisoformat(text)
    return parse_jalali(text)  # its ValueError carries the Persian reason


# What the schema promises (JSON Schema cannot say "a day that exists in the Jalali calendar" exactly, so the
# Jalali pattern allows the 29 days every Esfand has; the 30th of a leap Esfand is accepted without being promised).
JALALI_DATE_PATTERN = (r"^1[34][0-9]{2}/(0[1-6]/(0[1-9]|[12][0-9]|3[01])|(0[7-9]|1[01])/(0[1-9]|[12][0-9]|30)"
                       r"|12/(0[1-9]|1[0-9]|2[0-9]))$")
_DAY_SCHEMA = {"anyOf": [
    {"type": "string", "format": "date", "pattern": r"^(1[7-9]|2[0-9])[0-9]{2}-"},
    {"type": "string", "pattern": JALALI_DATE_PATTERN},
], "description": "ISO 8601 (2026-03-21) or Jalali (1405/01/01)"}
Day = Annotated[dt.date, BeforeValidator(_either_calendar), WithJsonSchema(_DAY_SCHEMA)]

# A name must keep a visible character once normalised (clean drops control characters and invisible marks).
VISIBLE = r"[^\s\x00-\x1f\x7f\u0640\u064b-\u0652\u0670\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"


def _said_something(value: str) -> str:
    text = clean_name(value)  # names and notes keep the digits they were typed in
    if not text:
        raise ValueError("خالی است")
    return text


def Named(max_length: int):  # noqa: N802 - used like a type
    """Text that must say something: at least one visible character, at most max_length."""
    return Annotated[str, StringConstraints(max_length=max_length), AfterValidator(_said_something),
                     WithJsonSchema({"type": "string", "maxLength": max_length, "pattern": VISIBLE})]


PROVINCE_CODES = tuple(p.code for p in reference.provinces())
ProvinceCode = Annotated[Literal[PROVINCE_CODES], Field(description="official two-digit province code")]
# A list's province filter: one of the codes, or empty for none (one Literal, so a wrong code gets one reason).
# A token bound to a province may name only its own: accounts.scoping.province_asked refuses another (403).
ProvinceFilter = Literal[("", *PROVINCE_CODES)]
COUNTY_CODES = tuple(c.code for c in reference.counties())
CountyCode = Annotated[Literal[COUNTY_CODES], Field(description="official four-digit county code")]
CountyFilter = Literal[("", *COUNTY_CODES)]  # as ProvinceFilter: another province's county is 403 (province_asked)
Percent = Annotated[int, Field(ge=0, le=100), Number]


# --- schemas made from an input's one description (core/inputs.py) ---------------------------------------

_TYPES = {
    Kind.TEXT: lambda entry: Prose(entry.max_length),
    Kind.NAME: lambda entry: Named(entry.max_length),
    Kind.CODE: lambda entry: Text(entry.max_length), Kind.HS_CODE: lambda entry: Text(entry.max_length),
    Kind.CHOICE: lambda entry: Literal[tuple(entry.choices.values)],
    Kind.DAY: lambda entry: Day, Kind.COUNT: lambda entry: Count, Kind.MONEY: lambda entry: Money,
    Kind.PERCENT: lambda entry: Percent, Kind.YEAR: lambda entry: JalaliYear, Kind.RECORD: lambda entry: Id,
    Kind.PROVINCE: lambda entry: ProvinceCode,
}


def _field(entry: Entry, *, partial: bool):
    kind = _TYPES[entry.kind](entry)
    if entry.many:
        kind = list[kind]
    if entry.blank:  # an empty choice is a choice: "" as well as omitted
        kind = kind | Literal[""]
    default = None if partial else ... if entry.required else entry.default
    if default is None:
        kind = kind | None
    # Only what the entry says: an explicit None would hide what the type itself says (an id's description).
    said = {"description": entry.description, "min_length": entry.min_items if entry.many else None,
            "max_length": entry.max_items if entry.many else None}
    return kind, Field(list(default) if isinstance(default, tuple) else default, **{k: v for k, v in said.items() if v})


def schema_for(name: str, description: Description, *, partial: bool = False, base: type[Schema] = Input):
    """What a client sends for an input, as a ninja schema named ``name`` (the name the OpenAPI schema shows);
    ``partial``: every entry may be left out (a PATCH)."""
    fields = {key: _field(entry, partial=partial) for key, entry in description.entries.items()}
    return create_model(name, __base__=base, **fields)
