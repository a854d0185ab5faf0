"""Lock-out keyed on who is really trying (issue 17, finding 10): behind a trusted proxy the client's address comes
from X-Forwarded-For, from anyone else that header is ignored; guesses spread over many addresses still lock the
username."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def attempt(client, username, password, remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_behind_a_trusted_proxy_one_clients_failures_do_not_lock_the_user_for_everyone(client, cast, settings):
    settings.KHOOSHEH_TRUSTED_PROXIES = ["10.0.0.0/8"]
    for _ in range(5):
        attempt(client, "national", "wrong", "10.0.0.2", "203.0.113.7")
    assert attempt(client, "national", "pw-national", "10.0.0.2", "203.0.113.7").status_code == 429
    # Another client through the same proxy is not locked out.
    assert attempt(client, "national", "pw-national", "10.0.0.2", "198.51.100.9").status_code == 302


def test_a_forwarded_header_from_an_untrusted_address_is_ignored(client, cast, settings):
    settings.KHOOSHEH_TRUSTED_PROXIES = ["10.0.0.0/8"]
    # A client that writes a fresh X-Forwarded-For on each guess is still counted under its own address.
    for n in range(5):
        attempt(client, "national", "wrong", "203.0.113.7", f"192.0.2.{n}")
    assert attempt(client, "national", "pw-national", "203.0.113.7", "192.0.2.99").status_code == 429


def test_guesses_from_many_addresses_lock_the_username(client, cast, settings):
    settings.KHOOSHEH_ACCOUNT_FAILURES = 12
    for n in range(12):  # four per address from three addresses: no address alone reaches five
        attempt(client, "national", "wrong", f"203.0.113.{n // 4}")
    assert attempt(client, "national", "pw-national", "198.51.100.1").status_code == 429
