"""Accounts (issue 17, finding 10): API tokens expire, can be revoked (command and account page) and die with a
password change; password change and reset pages in the site's layout, in Persian."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from khoosheh.accounts.models import ApiToken
from khoosheh.accounts.tokens import make_token

pytestmark = pytest.mark.django_db


def api(client, token):
    return client.get("/api/v1/units", HTTP_AUTHORIZATION=f"Bearer {token}").status_code


def test_a_token_expires_after_its_lifetime(client, cast, settings):
    settings.KHOOSHEH_API_TOKEN_DAYS = 90
    token = make_token(cast.national)
    assert api(client, token) == 200
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert api(client, token) == 401


def test_a_new_token_lives_the_configured_number_of_days(cast, settings):
    settings.KHOOSHEH_API_TOKEN_DAYS = 30
    make_token(cast.national)
    made = ApiToken.objects.get()
    assert dt.timedelta(days=29, hours=23) < made.expires_at - timezone.now() <= dt.timedelta(days=30)


def test_the_command_revokes_every_token_of_a_user(client, cast, capsys):
    first, second = make_token(cast.national), make_token(cast.national)
    call_command("api_token", "national", "--revoke")
    assert "2" in capsys.readouterr().out
    assert api(client, first) == 401 and api(client, second) == 401


def test_a_password_change_kills_the_users_tokens(client, cast):
    token = make_token(cast.national)
    cast.national.set_password("a new one, long enough")
    cast.national.save()
    assert api(client, token) == 401


def test_the_account_page_lists_and_revokes_tokens(client, cast):
    token = make_token(cast.national)
    client.force_login(cast.national)
    page = client.get(reverse("account")).content.decode()
    assert token[:8] in page and "توکن" in page
    pk = ApiToken.objects.get().pk
    assert client.post(reverse("token_revoke", args=[pk])).status_code == 302
    assert api(client, token) == 401
    # Another user's token cannot be revoked from this account.
    other = make_token(cast.viewer)
    client.post(reverse("token_revoke", args=[ApiToken.objects.get(user=cast.viewer).pk]))
    assert api(client, other) == 200


def test_an_official_makes_a_token_on_the_account_page_and_sees_it_once(client, cast):
    from khoosheh.accounts.models import AuditEntry

    client.force_login(cast.viewer)
    # The page points to the API's documentation, and a token is one click away (no command line needed).
    page = client.get(reverse("account")).content.decode()
    assert 'href="/api/v1/docs"' in page and reverse("token_new") in page
    answer = client.post(reverse("token_new")).content.decode()
    [token] = re.findall(r"kh_[\w-]{20,}", answer)
    assert api(client, token) == 200
    assert AuditEntry.objects.filter(action="create", record_type="accounts.apitoken").count() == 1
    # Listed afterwards by its prefix only, with Jalali dates in Persian digits.
    listed = client.get(reverse("account")).content.decode()
    assert token not in listed and token[:8] in listed
    assert re.search(r"۱۴[۰-۹]{2}/[۰-۹]{2}/[۰-۹]{2}", listed)


def test_the_password_change_page_changes_the_password_in_persian(client, cast):
    client.force_login(cast.national)
    page = client.get(reverse("password_change"))
    assert page.status_code == 200 and "تغییر گذرواژه" in page.content.decode()
    response = client.post(reverse("password_change"), {"old_password": "pw-national",
                                                        "new_password1": "Kashi-Yazd-1405!", "new_password2":
                                                        "Kashi-Yazd-1405!"})
    assert response.status_code == 302
    cast.national.refresh_from_db()
    assert cast.national.check_password("Kashi-Yazd-1405!")


def test_a_too_short_new_password_is_refused_with_its_minimum_in_persian_digits(client, cast):
    client.force_login(cast.national)
    page = client.post(reverse("password_change"), {"old_password": "pw-national", "new_password1": "Kq-7",
                                                    "new_password2": "Kq-7"})
    message = " ".join(page.context["form"].errors["new_password2"])
    assert "۸" in message and not any(c.isascii() and c.isdigit() for c in message)


def test_a_password_reset_mails_a_link_that_sets_a_new_password(client, cast, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cast.national.email = "national@example.org"
    cast.national.save()
    assert "فراموش" in client.get(reverse("login")).content.decode()
    client.post(reverse("password_reset"), {"email": "national@example.org"})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    path = link.split("testserver", 1)[1]
    form = client.get(path, follow=True)
    assert form.status_code == 200 and "گذرواژه" in form.content.decode()
    response = client.post(form.redirect_chain[-1][0], {"new_password1": "Kashi-Yazd-1405!",
                                                        "new_password2": "Kashi-Yazd-1405!"})
    assert response.status_code == 302
    cast.national.refresh_from_db()
    assert cast.national.check_password("Kashi-Yazd-1405!")
