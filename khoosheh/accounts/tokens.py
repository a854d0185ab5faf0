"""API tokens: made once, stored hashed, checked in constant time; each expires (KHOOSHEH_API_TOKEN_DAYS), can be
revoked (`khoosheh api-token USERNAME --revoke`, or the account page), and dies when its user's password changes."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.utils import timezone

from .models import ApiToken, User


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def password_stamp(user: User) -> str:
    """Changes whenever the password does (a new salt even for the same password)."""
    return hashlib.sha256(f"khoosheh-token:{user.password}".encode()).hexdigest()


def make_token(user: User, *, days: int | None = None) -> str:
    token = "kh_" + secrets.token_urlsafe(32)
    lifetime = dt.timedelta(days=days if days is not None else settings.KHOOSHEH_API_TOKEN_DAYS)
    ApiToken.objects.create(user=user, key_hash=_hash(token), prefix=token[:8], expires_at=timezone.now() + lifetime,
                            password_stamp=password_stamp(user))
    return token


def live_tokens(user: User):
    """The user's tokens that still open the API."""
    now = timezone.now()
    return [t for t in user.api_tokens.filter(revoked_at__isnull=True, expires_at__gt=now).order_by("-created_at")
            if t.password_stamp == password_stamp(user)]


def revoke(user: User, token_id: int | None = None) -> int:
    """Revoke one of the user's tokens, or all of them; the number revoked."""
    tokens = user.api_tokens.filter(revoked_at__isnull=True)
    if token_id is not None:
        tokens = tokens.filter(pk=token_id)
    return tokens.update(revoked_at=timezone.now())


def user_for_token(token: str) -> User | None:
    # The hash is the lookup key, so no secret is compared character by character.
    found = ApiToken.objects.select_related("user").filter(key_hash=_hash(token)).first()
    if found is None or not found.user.is_active or found.revoked_at is not None:
        return None
    if found.expires_at is None or found.expires_at <= timezone.now():
        return None
    if found.password_stamp != password_stamp(found.user):
        return None  # the password changed since: whoever had the old one may also have the token
    ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
    return found.user
