"""Hostile or mistyped parameters get a refusal, never a server error (issue 17, finding 9): every URL pattern of
the portal and the API, with every path parameter and the query parameters the pages read set to values a person
or a script might send — year 0, a non-numeric id, an unknown province, a NUL byte, a page far past the end."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from khoosheh.accounts.tokens import make_token

pytestmark = pytest.mark.django_db

PATH_VALUES = {"int": ["0", "99999999999999999999999"], "str": ["ZZ", "%00", "abc"], "fmt": ["pdf", "xlsx"],
               "path": ["ZZ"], "slug": ["zz"]}
HUGE = "99999999999999999999"
QUERIES = ["year=0", "year=99999999999", "year=abc", "province=ZZ", "province=%00", "id=abc", "a=abc&b=abc",
           f"a=0&b={HUGE}", f"page={HUGE}&offset={HUGE}&limit=-1",
           "q=%00&county=%00&activity=%00&status=%00&park=%00&review=%00&metric=%00&stage=%00&phase=%00&kind=%00",
           "unit=abc&cluster=abc&min_progress=abc"]
SKIP = ("admin/", "logout/")  # Django's own administration; logging out ends the session the walk uses


def _patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


def _fill(route: str) -> list[str]:
    """Every path the route matches with each hostile value in each of its parameters."""
    import re

    route = route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\.", ".")
    params = re.findall(r"<(?:(\w+):)?(\w+)>", route)
    if not params:
        return ["/" + route]
    urls = []
    for converter, _ in params:
        for value in PATH_VALUES.get(converter or "str", ["ZZ"]):
            filled = route
            for c, n in params:
                text = value if (c, n) == (converter, _) else PATH_VALUES.get(c or "str", ["1"])[0]
                filled = filled.replace(f"<{c + ':' if c else ''}{n}>", text, 1)
            urls.append("/" + filled)
    return urls


ROUTES = sorted({url for route in _patterns() if not route.startswith(SKIP) for url in _fill(route)})


def test_the_walk_covers_the_portal_and_the_api():
    assert len(ROUTES) > 60 and any(r.startswith("/api/v1/") for r in ROUTES)


@pytest.mark.slow
def test_no_url_answers_a_server_error_to_hostile_parameters(client, cast):
    client.raise_request_exception = False
    client.force_login(cast.national)
    token = {"HTTP_AUTHORIZATION": f"Bearer {make_token(cast.national)}"}
    failures = []
    for url in ROUTES:
        for query in QUERIES:
            response = client.get(f"{url}?{query}", **token)
            if response.status_code >= 500:
                failures.append(f"{response.status_code} GET {url}?{query}")
    assert not failures, "\n".join(failures)


def test_a_year_outside_the_calendar_is_refused_with_a_persian_reason(client, cast):
    client.force_login(cast.national)
    response = client.get("/programs/?year=0")
    assert response.status_code == 400 and "سال باید سالی شمسی" in response.content.decode()
    assert 'dir="rtl"' in response.content.decode()  # in the site's layout


def test_a_run_comparison_with_non_numeric_ids_is_not_found(client, cast):
    client.force_login(cast.national)
    assert client.get("/clusters/runs/compare/?a=abc&b=xyz").status_code == 404


def test_a_nul_character_in_a_pages_query_is_a_bad_request(client, cast):
    # PostgreSQL refuses NUL in any text, so it must be refused before it reaches a query (it answered 500 there).
    client.force_login(cast.national)
    assert client.get("/clusters/runs/compare/?a=abc&b=%00").status_code == 400
    assert client.get("/clusters/?province=%00").status_code == 400


def test_the_api_refuses_year_zero_in_persian(client, cast):
    response = client.get("/api/v1/clusters?year=0", HTTP_AUTHORIZATION=f"Bearer {make_token(cast.national)}")
    assert response.status_code == 422 and "۱۳۰۰" in response.json()["detail"]


def test_an_unknown_province_is_explained_in_persian_digits(client, cast):
    client.force_login(cast.isfahan)
    page = client.get("/programs/clinic/", {"province": "99"})
    text = page.content.decode()
    assert page.status_code == 400 and "۹۹" in text and "مثلاً ۱۰ برای اصفهان" in text
