"""Back up the whole database and the data folder's files to one compressed file, and restore both, with
per-table counts and checksums (and per-file checksums) that the restore must reproduce exactly.

The tables are read in one snapshot (one read transaction: REPEATABLE READ on PostgreSQL, one BEGIN on SQLite),
so a backup taken while others write is a state the database was really in.  The file is created readable by its
owner only (0600): it holds every record and every password hash."""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import connection, transaction

FORMAT = "khoosheh-backup/2"  # a .tar.gz: database.json and the files; /1 was the database alone, gzip JSON
OLD_FORMAT = "khoosheh-backup/1"
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


def file_areas() -> dict[str, Path]:
    """The data folder's files a restore needs: uploads (cluster studies, import reports), built reports, and the
    task queue's files (uploaded unit files, their reports)."""
    areas = {"media": Path(settings.MEDIA_ROOT), "reports": Path(settings.REPORTS_DIR)}
    if getattr(settings, "KHOOSHEH_JOBS_DIR", None):
        areas["jobs"] = Path(settings.KHOOSHEH_JOBS_DIR)
    return areas


@contextlib.contextmanager
def _snapshot():
    """One read transaction for every table, so that all of them are read as of one moment."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            else:
                # SQLite starts the read (and its WAL snapshot) at the first SELECT: make it now.
                cursor.execute("SELECT count(*) FROM sqlite_master")
        yield


def _private_file(path: Path):
    """Open for writing, readable by the owner only, whatever the umask (and even if the file existed)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, "wb")


def _files(excluding: Path) -> dict[str, Path]:
    found = {}
    for area, root in file_areas().items():
        if root.is_dir():
            for file in sorted(p for p in root.rglob("*") if p.is_file() and p.resolve() != excluding):
                found[f"{area}/{file.relative_to(root).as_posix()}"] = file
    return found


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backup(path: str | Path) -> dict[str, dict]:
    with _snapshot():
        tables = {m._meta.label_lower: _rows(m) for m in _models()}
    summary = {label: {"count": len(rows), "sha256": _checksum(rows)} for label, rows in tables.items()}
    files = _files(excluding=Path(path).resolve())  # never the backup itself, if written among the files
    document = {"format": FORMAT, "created": dt.datetime.now(dt.UTC).isoformat(), "manifest": summary,
                "files": {name: _sha256_file(file) for name, file in files.items()}, "tables": tables}
    data = json.dumps(document, ensure_ascii=False).encode()
    with _private_file(Path(path)) as out, tarfile.open(fileobj=out, mode="w:gz") as archive:
        info = tarfile.TarInfo("database.json")
        info.size, info.mode = len(data), 0o600
        archive.addfile(info, io.BytesIO(data))
        for name, file in files.items():
            archive.add(file, arcname=f"files/{name}", recursive=False)
    return summary


class RestoreError(RuntimeError):
    pass


def _read(path: Path) -> tuple[dict, tarfile.TarFile | None]:
    if tarfile.is_tarfile(path):
        archive = tarfile.open(path, mode="r:gz")  # noqa: SIM115 - the caller reads the files from it, then closes it
        member = archive.extractfile("database.json")
        if member is None:
            raise RestoreError("this file is not a khoosheh backup")
        return json.load(member), archive
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return json.load(f), None


def restore(path: str | Path) -> dict[str, dict]:
    try:
        document, archive = _read(Path(path))
    except (OSError, KeyError, ValueError, tarfile.TarError) as exc:
        raise RestoreError("this file is not a khoosheh backup") from exc
    if document.get("format") not in (FORMAT, OLD_FORMAT):
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
    if archive is not None:
        with archive:
            _restore_files(archive, document.get("files", {}))
    return found


def _restore_files(archive: tarfile.TarFile, expected: dict[str, str]) -> None:
    """Put the data folder's files back as they were: each area replaced by the backup's, checksums verified."""
    areas = file_areas()
    for root in areas.values():
        if root.is_dir():
            shutil.rmtree(root)
        root.mkdir(parents=True, exist_ok=True)
    for name, sha256 in expected.items():
        area, _, relative = name.partition("/")
        if area not in areas or ".." in Path(relative).parts or Path(relative).is_absolute():
            raise RestoreError(f"a file outside the data folder in the backup: {name}")
        source = archive.extractfile(f"files/{name}")
        if source is None:
            raise RestoreError(f"a file missing from the backup: {name}")
        target = areas[area] / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        with source, target.open("wb") as out:
            shutil.copyfileobj(source, out)
        if _sha256_file(target) != sha256:
            raise RestoreError(f"a restored file differs from the backup: {name}")


def _reset_sequences() -> None:
    sql = connection.ops.sequence_reset_sql(_no_style(), _models())
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)


def _no_style():
    from django.core.management.color import no_style

    return no_style()
