"""SQLite: an import's rows go into temporary tables first, and into the registry in one short transaction.

SQLite has one write lock for the whole database.  An import that built and inserted its 100,000 rows inside its
transaction held that lock for all of it, so every other write of the portal (editing a unit, setting a target, a
login's lock-out record) waited behind it and failed after the 10 s busy timeout (issue 17, finding 5).

So the long work happens outside the lock: `stage` adapts every value in Python and writes the rows — new units,
changed units, their status history and audit entries — into TEMP tables of the import's own connection (in
memory, `temp_store=MEMORY`; writing them takes no lock on the main database, and no other connection sees them).
`apply`, inside the import's transaction, then copies them with a few set-based statements
(`INSERT INTO main.… SELECT … FROM temp.…`, `UPDATE … FROM temp.…`), which run at C speed: the lock is held for
the copy and the index updates only.  The import stays all-or-nothing — the copy is one transaction, and the
temp tables vanish with the connection if the process dies.

Between planning and the copy another user may have changed a unit the import changes, or registered a national ID
or park it creates; `apply` checks for that first, under the lock, and raises `Stale`, so the import plans again
rather than overwriting an edit it did not see (or failing on a unique constraint).

PostgreSQL does not need any of this (MVCC: other writes do not wait for an import's transaction); it keeps COPY.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from khoosheh.accounts.models import AuditEntry

from .models import ImportBatch, IndustrialPark, ProductionUnit, UnitStatusChange

NEW_UNITS, CHANGED_UNITS, HISTORY, AUDIT = ("import_new_units", "import_changed_units", "import_history",
                                           "import_audit")
_ROWS_PER_PROGRESS = 5000


class Stale(Exception):
    """The registry changed under the plan (another user's edit, a national ID or park registered meanwhile)."""


@dataclass
class Staged:
    new: int = 0
    changed: int = 0


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _table(model) -> str:
    return "main." + _q(model._meta.db_table)


def _column(model, name: str) -> str:
    return _q(model._meta.get_field(name).column)


def _create(cursor, name: str, columns: list[str]) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS temp.{name}")
    cursor.execute(f"CREATE TEMP TABLE {name} ({', '.join(columns)})")


def _fill(raw, name: str, rows, width: int, progress=None, start: int = 0, total: int = 0) -> int:
    """Insert rows (tuples of adapted values) in blocks, reporting progress; sqlite3's executemany runs in C."""
    sql = f"INSERT INTO temp.{name} VALUES ({', '.join(['?'] * width)})"
    block, n = [], 0
    for row in rows:
        block.append(row)
        if len(block) == _ROWS_PER_PROGRESS:
            raw.executemany(sql, block)
            n += len(block)
            block.clear()
            if progress:
                progress("write", start + n, total)
    if block:
        raw.executemany(sql, block)
        n += len(block)
    return n


UNIT_COLUMNS = ("national_id", "name", "activity_id", "province_id", "county_id", "park_id", "lat", "lon",
                "employees", "status", "permit_date", "exporter", "capacity_utilisation", "name_key")


def stage(new_units, changes, history, audit, *, progress=None) -> Staged:
    """Write the import's rows into temp tables, outside any transaction on the main database.

    ``new_units``: dicts of UNIT_COLUMNS values plus ``park_key`` (a park the import creates: its name key, and
    park_id None).  ``changes``: (unit, planned updated_at, park_key) with the unit's new values set.
    ``history`` / ``audit``: unsaved UnitStatusChange and (AuditEntry, park_key, county_id) for the changed
    units.  Rows go straight to the sqlite3 connection (not Django's cursor): this is the part that was slow."""
    ops = connection.ops
    date = ops.adapt_datefield_value
    stamp = ops.adapt_datetimefield_value
    total = len(new_units) + len(changes)
    connection.ensure_connection()
    raw = connection.connection
    with connection.cursor() as cursor:
        _create(cursor, NEW_UNITS, [*UNIT_COLUMNS, "park_key"])
        _create(cursor, CHANGED_UNITS, ["id", "planned_updated_at", *UNIT_COLUMNS, "park_key"])
        _create(cursor, HISTORY, ["unit_id", "changed_at", "changed_by_id", "old_status", "new_status", "reason"])
        _create(cursor, AUDIT, ["at", "actor_id", "action", "record_type", "record_id", "before", "after", "park_key",
                                "county_id"])
    # Temp tables live in the connection's own temp database: without a transaction of our own each statement
    # would commit on its own, so take a deferred one (not Django's atomic(), whose BEGIN IMMEDIATE would lock
    # the main database too) unless the caller already has one.
    own = not connection.in_atomic_block
    if own:
        raw.execute("BEGIN")
    try:
        done = _fill(raw, NEW_UNITS, (
            (*(date(v[k]) if k == "permit_date" else v[k] for k in UNIT_COLUMNS), v["park_key"])
            for v in new_units), len(UNIT_COLUMNS) + 1, progress, 0, total)
        _fill(raw, CHANGED_UNITS, (
            (u.pk, stamp(planned), *(date(getattr(u, k)) if k == "permit_date" else getattr(u, k)
                                     for k in UNIT_COLUMNS), park_key)
            for u, planned, park_key in changes), len(UNIT_COLUMNS) + 3, progress, done, total)
        _fill(raw, HISTORY, ((h.unit_id, stamp(h.changed_at), h.changed_by_id, h.old_status, h.new_status, h.reason)
                           for h in history), 6)
        before, after = AuditEntry._meta.get_field("before"), AuditEntry._meta.get_field("after")
        _fill(raw, AUDIT, ((stamp(a.at), a.actor_id, a.action, a.record_type, a.record_id,
                            before.get_db_prep_save(a.before, connection),
                            after.get_db_prep_save(a.after, connection), park_key, county)
                           for a, park_key, county in audit), 9)
    except BaseException:
        if own:
            raw.execute("ROLLBACK")
        raise
    if own:
        raw.execute("COMMIT")
    return Staged(new=len(new_units), changed=len(changes))


def apply(staged: Staged, batch: ImportBatch, now, source: str) -> None:
    """Copy the staged rows into the registry; call inside the import's transaction (it holds the write lock)."""
    with connection.cursor() as cursor:
        _refuse_if_stale(cursor)
        stamp = connection.ops.adapt_datetimefield_value(now)
        columns = ", ".join(_column(ProductionUnit, c) for c in UNIT_COLUMNS)
        values = ", ".join(_park_id("s") if c == "park_id" else f"s.{c}" for c in UNIT_COLUMNS)
        if staged.new:
            cursor.execute(
                f"INSERT INTO {_table(ProductionUnit)} ({columns}, {_column(ProductionUnit, 'created_at')}, "
                f"{_column(ProductionUnit, 'updated_at')}, {_column(ProductionUnit, 'created_by_import')}) "
                f"SELECT {values}, %s, %s, %s FROM temp.{NEW_UNITS} AS s ORDER BY s.rowid", [stamp, stamp, batch.pk])
        if staged.changed:
            cursor.execute(
                f"UPDATE {_table(ProductionUnit)} AS u SET ({columns}, {_column(ProductionUnit, 'updated_at')}) = "
                f"({values}, %s) FROM temp.{CHANGED_UNITS} AS s WHERE u.{_column(ProductionUnit, 'id')} = s.id",
                [stamp])
        history = ", ".join(_column(UnitStatusChange, c) for c in (
            "unit", "changed_at", "changed_by", "old_status", "new_status", "reason", "source"))
        cursor.execute(f"INSERT INTO {_table(UnitStatusChange)} ({history}) SELECT unit_id, changed_at, changed_by_id,"
                       f" old_status, new_status, reason, %s FROM temp.{HISTORY} ORDER BY rowid", [source])
        audit = ", ".join(_column(AuditEntry, c) for c in (
            "at", "actor", "action", "record_type", "record_id", "before", "after", "source"))
        # A unit moved into a park this import creates learns the park's id only now.
        after = (f"CASE WHEN s.park_key IS NULL THEN s.after ELSE json_set(s.after, '$.park_id', "
                 f"{_new_park_id('s')}) END")
        cursor.execute(f"INSERT INTO {_table(AuditEntry)} ({audit}) SELECT s.at, s.actor_id, s.action, s.record_type,"
                       f" s.record_id, s.before, {after}, %s FROM temp.{AUDIT} AS s ORDER BY s.rowid", [source])


def _park_id(alias: str) -> str:
    """The staged park_id, or else the id of the park the import created (by county and name key)."""
    return f"COALESCE({alias}.park_id, {_new_park_id(alias)})"


def _new_park_id(alias: str) -> str:
    park = IndustrialPark
    return (f"(SELECT p.{_column(park, 'id')} FROM {_table(park)} AS p WHERE p.{_column(park, 'county')} = "
            f"{alias}.county_id AND p.{_column(park, 'name_key')} = {alias}.park_key)")


def _refuse_if_stale(cursor) -> None:
    unit = ProductionUnit
    pk, national_id, updated = (_column(unit, c) for c in ("id", "national_id", "updated_at"))
    cursor.execute(f"SELECT 1 FROM temp.{CHANGED_UNITS} AS s LEFT JOIN {_table(unit)} AS u ON u.{pk} = s.id "
                   f"WHERE u.{pk} IS NULL OR julianday(u.{updated}) IS NOT julianday(s.planned_updated_at) LIMIT 1")
    if cursor.fetchone():
        raise Stale("a unit this import changes was changed or deleted since it was planned")
    cursor.execute(f"SELECT 1 FROM temp.{NEW_UNITS} AS s JOIN {_table(unit)} AS u ON u.{national_id} = "
                   f"s.national_id WHERE s.national_id <> '' LIMIT 1")
    if cursor.fetchone():
        raise Stale("a national ID this import registers was registered since it was planned")


def drop() -> None:
    """Free the temp tables (they would go with the connection anyway)."""
    if connection.connection is None or connection.needs_rollback:
        return  # no connection, or the caller's transaction is failing: they go with it
    with connection.cursor() as cursor:
        for name in (NEW_UNITS, CHANGED_UNITS, HISTORY, AUDIT):
            cursor.execute(f"DROP TABLE IF EXISTS temp.{name}")
