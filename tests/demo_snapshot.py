"""A demo registry built once per test session and laid back into the database for every test that reads it.

`khoosheh demo-data` takes 10-15 s for a few thousand units (identification, programmes, capability
profiles, an exhibition); the dashboard's browser tests and the report tests each need the same one.  The first
test builds it and keeps every table's rows; the others empty the tables and insert those rows again (about a
second), so each still starts from exactly the registry demo-data made, and may write to it freely.

Foreign keys are DEFERRABLE INITIALLY DEFERRED on SQLite and PostgreSQL alike (Django creates them so), so the
tables are filled in any order inside one transaction and checked at its end."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction


@dataclass(frozen=True)
class Snapshot:
    media: Path  # the files demo-data wrote (diagnostic studies), which the rows name
    rows: dict  # model -> (field attnames, rows)


_snapshots: dict[tuple[int, int], Snapshot] = {}


def demo_registry(settings, tmp_path_factory, *, units: int, seed: int) -> None:
    """The database holds demo-data's registry of ``units`` units made with ``seed``, users included."""
    key = (units, seed)
    if key in _snapshots:
        settings.MEDIA_ROOT = _snapshots[key].media
        _restore(_snapshots[key].rows)
        return
    settings.MEDIA_ROOT = tmp_path_factory.mktemp(f"demo-{units}-{seed}")
    call_command("sync_reference", verbosity=0)  # a transactional test before this one emptied the tables
    call_command("demo_data", "--units", str(units), "--seed", str(seed))
    _snapshots[key] = Snapshot(Path(settings.MEDIA_ROOT), _capture())


def _models():
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            assert not model._meta.parents, f"{model._meta.label}: multi-table inheritance is not laid back"
            yield model


def _capture() -> dict:
    """Every table's rows, as the values the database takes (so laying them back skips the models)."""
    captured = {}
    for model in _models():
        fields = model._meta.concrete_fields
        rows = model._base_manager.order_by("pk").values_list(*[f.attname for f in fields])
        prepared = [tuple(f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True))
                    for row in rows]
        if prepared:
            captured[model] = ([f.column for f in fields], prepared)
    return captured


def _restore(captured: dict) -> None:
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        # DELETE, not the flush's TRUNCATE: the tables are mostly empty already (a transactional test
        # before emptied them), and PostgreSQL's TRUNCATE costs the same on an empty table as on a full one.
        for model in _models():
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")
        for model, (columns, rows) in captured.items():
            cursor.executemany(f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) "
                               f"VALUES ({', '.join(['%s'] * len(columns))})", rows)
        # New rows a test adds take ids after the laid-back ones (PostgreSQL's sequences do not follow
        # explicit ids; SQLite's AUTOINCREMENT does).
        for statement in connection.ops.sequence_reset_sql(no_style(), list(captured)):
            cursor.execute(statement)
    ContentType.objects.clear_cache()  # ids cached from the test before may differ
