"""A login that does not wait for the database: on SQLite, while an import holds the write lock, last_login is
left as it was rather than making the person wait (and then fail) behind the import."""

from __future__ import annotations

import logging
from contextlib import contextmanager

from django.db import OperationalError, connection, transaction
from django.utils import timezone

log = logging.getLogger(__name__)


@contextmanager
def _without_waiting():
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        waited = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout = 0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(waited)}")


def note_last_login(sender, user, **kwargs) -> None:
    try:
        with _without_waiting(), transaction.atomic():
            type(user).objects.filter(pk=user.pk).update(last_login=timezone.now())
    except OperationalError:
        log.info("last_login of %s not recorded: the database is busy with a write", user.pk)
