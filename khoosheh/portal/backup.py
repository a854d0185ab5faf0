"""Back up the whole database to one compressed file, and restore it, with
per-table counts and checksums that the restore must reproduce exactly."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import re
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.db import connection, transaction

FORMAT = "khoosheh-backup/1"
# Rebuilt by Django itself, or of no value in a restore.
SKIPPED = {"contenttypes.contenttype", "auth.permission", "sessions.session", "admin.logentry",
           "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}


def _models():
    return [m for m in apps.get_models() if m._meta.label_lower not in SKIPPED and not m._meta.proxy
            and m._meta.managed]


def _rows(model) -> list[dict]:
    return json.loads(serializers.serialize("json", model._default_manager.order_by("pk")))


# Django's serializer writes times to the millisecond, and a time whose milliseconds
# are zero without them ("…:32.000Z" becomes "…:32Z" once restored): compare both alike.
_WHOLE_SECOND = re.compile(r'(\d{2}:\d{2}:\d{2})\.000(Z|[+-]\d{2}:\d{2})"')


def _checksum(rows: list[dict]) -> str:
    text = _WHOLE_SECOND.sub(r'\1\2"', json.dumps(rows, sort_keys=True, ensure_ascii=False))
    return hashlib.sha256(text.encode()).hexdigest()


def manifest() -> dict[str, dict]:
    return {m._meta.label_lower: {"count": len(rows := _rows(m)), "sha256": _checksum(rows)} for m in _models()}


def backup(path: str | Path) -> dict[str, dict]:
    tables = {m._meta.label_lower: _rows(m) for m in _models()}
    summary = {label: {"count": len(rows), "sha256": _checksum(rows)} for label, rows in tables.items()}
    document = {"format": FORMAT, "created": dt.datetime.now(dt.UTC).isoformat(), "manifest": summary,
                "tables": tables}
    with gzip.open(path, "wt", encoding="utf-8") as f:
        json.dump(document, f, ensure_ascii=False)
    return summary


class RestoreError(RuntimeError):
    pass


def restore(path: str | Path) -> dict[str, dict]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        document = json.load(f)
    if document.get("format") != FORMAT:
        raise RestoreError("this file is not a khoosheh backup")
    order = [m._meta.label_lower for m in _models()]
    with transaction.atomic():
        call_command("flush", "--no-input", verbosity=0)
        with connection.constraint_checks_disabled():
            for label in order:
                rows = document["tables"].get(label, [])
                for obj in serializers.deserialize("json", json.dumps(rows)):
                    obj.save()
        connection.check_constraints()
        _reset_sequences()
        found = manifest()
        different = sorted(label for label, expected in document["manifest"].items() if found.get(label) != expected)
        if different:
            raise RestoreError(f"restored tables differ from the backup: {', '.join(different)}")
    return found


def _reset_sequences() -> None:
    sql = connection.ops.sequence_reset_sql(_no_style(), _models())
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)


def _no_style():
    from django.core.management.color import no_style

    return no_style()
