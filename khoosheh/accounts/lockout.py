"""Who is trying to log in, and when to stop them (django-axes' client address and lock-out rule).

* The client's address is REMOTE_ADDR, unless the request comes from a proxy listed in KHOOSHEH_TRUSTED_PROXIES:
  then it is the right-most address of X-Forwarded-For that is not itself a trusted proxy.  A header from anyone
  else is ignored, so a client cannot pick the address it is counted under.
* Five failures for one username from one address lock that pair (AXES_FAILURE_LIMIT); guesses spread over many
  addresses are counted per username too, and lock the username after KHOOSHEH_ACCOUNT_FAILURES (20) failures
  from all addresses together — higher than the pair's limit, so that one stranger cannot lock an official out
  with five tries.
"""

from __future__ import annotations

import ipaddress
from functools import cache

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


@cache
def _trusted(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in _trusted(tuple(settings.KHOOSHEH_TRUSTED_PROXIES)))


def client_ip(request) -> str | None:
    """The address a login attempt is counted under (AXES_CLIENT_IP_CALLABLE)."""
    remote = request.META.get("REMOTE_ADDR")
    if not remote or not _is_trusted(remote):
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):  # the right-most entries were added by our own proxies
        if not _is_trusted(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # a forged, unreadable entry: count the proxy, not a made-up name
    return remote


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler, plus the per-username count over all addresses; a successful login writes only
    when there are failed attempts to clear (on SQLite a write would wait behind a long import)."""

    def user_logged_in(self, sender, request, user, **kwargs):
        if AccessAttempt.objects.exists():  # a read: WAL lets it through while an import writes
            super().user_logged_in(sender, request, user, **kwargs)

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        username = get_client_username(request, credentials)
        if not username:
            return False
        attempts = AccessAttempt.objects.filter(username=username)
        cool_off = get_cool_off(request)
        if cool_off is not None:
            attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
        failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
        return failures >= settings.KHOOSHEH_ACCOUNT_FAILURES
