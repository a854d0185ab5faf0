"""Login throttling and lock-out, security headers, and a clean `check --deploy`."""

import os
import subprocess
import sys

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_five_wrong_passwords_lock_the_account_out_even_for_the_right_one(client, cast):
    for _ in range(5):
        response = client.post(reverse("login"), {"username": "national", "password": "wrong"})
    assert response.status_code == 429
    response = client.post(reverse("login"), {"username": "national", "password": "pw-national"})
    assert response.status_code == 429 and "پانزده دقیقه" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302  # not logged in


def test_other_accounts_are_not_locked_by_someone_elses_failures(client, cast):
    for _ in range(5):
        client.post(reverse("login"), {"username": "national", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "viewer", "password": "pw-viewer"})
    assert response.status_code == 302


def test_security_headers(client):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_forms_need_the_csrf_token(cast):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast.national)
    assert strict.post(reverse("registry:unit_import")).status_code == 403


def test_production_settings_pass_check_deploy(tmp_path):
    env = {**os.environ, "DEBUG": "false", "KHOOSHEH_HTTPS": "true", "ALLOWED_HOSTS": "khoosheh.example.ir",
           "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40, "KHOOSHEH_DATA_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "khoosheh", "check", "--deploy", "--fail-level", "WARNING"],
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
