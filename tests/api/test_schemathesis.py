"""Property-based run against the OpenAPI schema: schemathesis generates requests
for every operation; none may answer a server error, and every response must
match the schema.  At least a thousand requests in all."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import negative_data_rejection, positive_data_acceptance

from khoosheh.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
REQUESTS = {"n": 0}
# The API ignores query parameters it does not know (as browsers and proxies add some), and a unit that is
# well-formed JSON may still be refused by the registry's rules (a county outside its province): those two
# generic checks would call either a failure.  Server errors, undocumented codes and answers that break the
# schema are all still checked.
LENIENT = [negative_data_rejection, positive_data_acceptance]


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Like Django's test client: the WSGI app must not close the connection that holds the test's
    transaction at the end of each request (PostgreSQL would then lose it)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(django_user_model, db):
    from khoosheh.accounts.models import Role
    from khoosheh.accounts.tokens import make_token

    user, _ = django_user_model.objects.get_or_create(username="schemathesis", defaults={"role": Role.NATIONAL})
    return make_token(user)


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_never_fails_and_always_matches_its_schema(case, token):
    REQUESTS["n"] += 1
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, excluded_checks=LENIENT)


def test_the_run_sent_at_least_a_thousand_requests():
    assert REQUESTS["n"] >= 1000, REQUESTS["n"]
