"""Import a unit file into the registry: validate everything, then write
everything in one transaction, or nothing.

* Units are matched by national ID; a unit without one is matched only to an
  identical unit without one (so re-importing a file changes nothing).  A
  look-alike (same normalised name and county, different data) is created and
  reported, never merged silently.
* A changed status is written to the unit's status history; every created or
  changed unit gets an audit entry with the values before and after.
* Provincial staff may import their own province's units only: both the row's province
  and the province of the unit its national ID already belongs to must be theirs.
"""

from __future__ import annotations

import fcntl
from collections.abc import Callable
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from khoosheh.accounts.audit import audit_entry, jsonable
from khoosheh.accounts.models import AuditEntry, User
from khoosheh.accounts.scoping import province_scope
from khoosheh.core.progress import ProgressCallback
from khoosheh.core.reference import Reference
from khoosheh.core.text import match_key
from khoosheh.core.unitfile import FileProblem, RowError, UnitRecord, read_rows, validate_rows

from . import staging
from .models import Activity, County, ImportBatch, IndustrialPark, ProductionUnit, Province, UnitStatusChange

# Fields compared to decide whether an existing unit changed.
UNIT_FIELDS = ("national_id", "name", "activity_id", "province_id", "county_id", "park_id", "lat", "lon",
               "employees", "status", "permit_date", "exporter", "capacity_utilisation")
CHUNK = 2000
PLANS = 3  # times an import plans again when the registry changed under its plan before giving up

Progress = ProgressCallback


@dataclass
class ImportOutcome:
    rows_read: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    status_changes: int = 0
    new_parks: list[str] = field(default_factory=list)
    accepted: bool = False  # validation passed (or invalid rows were skipped)
    written: bool = False  # something in the registry changed
    batch_id: int | None = None
    header_row: int = 1  # errors at or above it are about the file, not a row

    @property
    def skipped_rows(self) -> int:
        return len({e.row for e in self.errors if e.row > self.header_row})


def reference_from_db() -> Reference:
    from khoosheh.core.reference import County as RefCounty
    from khoosheh.core.reference import Province as RefProvince

    parks = {(county, key): name for county, key, name in IndustrialPark.objects.values_list(
        "county_id", "name_key", "name")}
    return Reference(
        provinces={p.code: RefProvince(p.code, p.name_fa, p.name_en) for p in Province.objects.all()},
        counties={c.code: RefCounty(c.code, c.province_id, c.name_fa, c.name_en, c.lat, c.lon)
                  for c in County.objects.all()},
        isic_classes=set(Activity.objects.filter(level="class").values_list("code", flat=True)),
        parks=parks,
    )


def import_units(
    path: str | Path,
    *,
    user: User | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Progress | None = None,
    file_name: str | None = None,
    before_commit: Callable[[ImportOutcome], None] | None = None,
    mapping: dict[str, str] | None = None,
) -> ImportOutcome:
    """``mapping`` (contract column → the file's header) reads headers no alias names (mappings.py)."""
    try:
        table = read_rows(path)
    except FileProblem as exc:
        outcome = ImportOutcome()
        outcome.errors.append(RowError(0, "", "", str(exc)))
        return outcome
    return import_table(table, user=user, dry_run=dry_run, skip_invalid=skip_invalid, progress=progress,
                        source_name=file_name or Path(path).name, before_commit=before_commit, mapping=mapping)


def import_table(table, *, user: User | None = None, dry_run: bool = False, skip_invalid: bool = False,
                 progress: Progress | None = None, source_name: str = "", target: ProductionUnit | None = None,
                 before_commit: Callable[[ImportOutcome], None] | None = None,
                 mapping: dict[str, str] | None = None) -> ImportOutcome:
    """The import itself, for any table of rows in the contract (a file, or the API's JSON).

    ``target`` makes a one-row table update that unit (the API's PUT), whatever its national ID.
    ``before_commit(outcome)`` runs inside the import's transaction once everything is written, so
    what it records (a background job marked done) commits with the units or not at all."""
    outcome = ImportOutcome()
    started = timezone.now()
    reference = reference_from_db()
    result = validate_rows(table, reference, progress=progress,
                           location_tolerance_km=settings.KHOOSHEH_LOCATION_TOLERANCE_KM, mapping=mapping)
    outcome.rows_read, outcome.errors, outcome.warnings = result.rows_read, result.errors, result.warnings
    outcome.header_row = result.header_row
    records = _within_scope(result.records, user, reference, outcome)
    if outcome.errors and not skip_invalid:
        return outcome
    if any(e.row <= outcome.header_row for e in outcome.errors):
        return outcome  # the file itself is unusable (missing columns): nothing to import
    with nullcontext() if dry_run else one_import_at_a_time():
        warnings_before_plan = len(outcome.warnings)
        for attempt in range(1, PLANS + 1):
            # Planned inside the turn: an import that waited must see what the one before it wrote.
            plan = _plan(records, outcome, target=target, province=province_scope(user) if user else None,
                         progress=progress)
            outcome.accepted = True
            if dry_run or not (plan.new or plan.changed or plan.parks):
                return outcome  # re-importing the same file changes nothing, not even the import log
            try:
                _write(plan, user, outcome, progress, started, source_name, before_commit)
                return outcome
            except staging.Stale:
                if attempt == PLANS:
                    raise
                # Someone changed the registry under the plan: plan again from what is there now.
                del outcome.warnings[warnings_before_plan:]
                outcome.unchanged = outcome.status_changes = 0
            finally:
                if connection.vendor == "sqlite":
                    staging.drop()
    return outcome


def out_of_scope_message(province_name: str) -> str:
    """The one refusal for every row a provincial user may not write.

    A row naming another province and a row whose national ID is registered outside the
    user's province get the same words, so the refusal never says whether, or where,
    another unit with that ID exists (national IDs are unique, so only national staff,
    who see every province, can resolve such a row — by moving the unit, audited)."""
    return (f"حساب شما فقط واحدهای استان {province_name} را ثبت یا تغییر می‌دهد و این ردیف را نمی‌پذیرد؛ "
            f"اگر این واحد باید در استان {province_name} ثبت شود، از کارشناسان ستاد ملی بخواهید")


@contextmanager
def one_import_at_a_time():
    """On SQLite, imports take turns (a file lock in the data folder, across processes): a second import waits
    for the first to commit instead of failing after the 10 s busy timeout with "database is locked".  PostgreSQL
    lets imports write side by side.  (The task queue runs imports one at a time as well.)"""
    if connection.vendor != "sqlite":
        yield
        return
    path = Path(settings.DATA_DIR) / ".import.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _within_scope(records: list[UnitRecord], user: User | None, ref: Reference, outcome) -> list[UnitRecord]:
    if user is None:
        return records  # the command line, run by whoever runs the server
    allowed = province_scope(user)
    if allowed is None:
        return records
    message = out_of_scope_message(ref.provinces[allowed].name_fa if allowed in ref.provinces else allowed)
    kept = []
    for r in records:
        if r.province_code == allowed:
            kept.append(r)
        else:
            outcome.errors.append(RowError(r.row, "استان", ref.provinces[r.province_code].name_fa, message))
    # Units are matched by national ID across the whole country, so the row's province is not
    # enough: the unit the ID already belongs to must be in the user's province too.
    elsewhere = _national_ids_outside(allowed, [r.national_id for r in kept if r.national_id])
    for r in kept:
        if r.national_id in elsewhere:
            outcome.errors.append(RowError(r.row, "شناسه ملی", r.national_id, message))
    return [r for r in kept if r.national_id not in elsewhere]


def _national_ids_outside(province: str, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(ids), CHUNK):
        found.update(ProductionUnit.objects.filter(national_id__in=ids[i:i + CHUNK]).exclude(province_id=province)
                     .values_list("national_id", flat=True))
    return found


@dataclass
class _Plan:
    new: list[tuple[UnitRecord, dict]] = field(default_factory=list)
    changed: list[tuple[UnitRecord, ProductionUnit, dict]] = field(default_factory=list)
    parks: dict[tuple[str, str], str] = field(default_factory=dict)  # (county, key) -> name to create


def _values(record: UnitRecord, park_ids: dict[tuple[str, str], int]) -> dict:
    return {
        "national_id": record.national_id, "name": record.name, "activity_id": record.isic,
        "province_id": record.province_code, "county_id": record.county_code,
        "park_id": park_ids.get((record.county_code, match_key(record.park))) if record.park else None,
        "lat": record.lat, "lon": record.lon, "employees": record.employees, "status": record.status,
        "permit_date": record.permit_date, "exporter": record.exporter,
        "capacity_utilisation": record.capacity_utilisation,
    }


def _plan(records: list[UnitRecord], outcome: ImportOutcome, *, target: ProductionUnit | None = None,
          province: str | None = None, progress: Progress | None = None) -> _Plan:
    plan = _Plan()
    if progress:
        progress("compare", 0, len(records))  # matching against the registry: seconds at 100,000 rows
    park_ids = {(c, k): i for c, k, i in IndustrialPark.objects.values_list("county_id", "name_key", "id")}
    for r in records:
        if r.park and (r.county_code, match_key(r.park)) not in park_ids:
            plan.parks.setdefault((r.county_code, match_key(r.park)), r.park)
            park_ids[(r.county_code, match_key(r.park))] = None  # placeholder until created
    outcome.new_parks = sorted(plan.parks.values())
    existing = _existing_by_national_id([r.national_id for r in records if r.national_id])
    unnamed = _existing_without_national_id(records, province)
    for i, r in enumerate(records, start=1):
        if progress and i % 5000 == 0:
            progress("compare", i, len(records))
        values = _values(r, park_ids)
        unit = target or (existing.get(r.national_id) if r.national_id else None)
        if unit is None and not r.national_id and target is None:
            twins = unnamed.get((r.name_key or match_key(r.name), r.county_code), [])
            unit = next((u for u in twins if _same(u, values)), None)
            if unit is None and twins:
                outcome.warnings.append(RowError(
                    r.row, "نام واحد", r.name,
                    f"واحدی بی‌شناسه با همین نام در این شهرستان از پیش ثبت است (شماره {twins[0].pk})؛ "
                    "واحد تازه ثبت می‌شود و یکی نمی‌شوند"))
        if unit is None:
            plan.new.append((r, values))
        elif (r.county_code, match_key(r.park)) in plan.parks or not _same(unit, values):
            plan.changed.append((r, unit, values))
        else:
            outcome.unchanged += 1
    outcome.created, outcome.updated = len(plan.new), len(plan.changed)
    return plan


def _same(unit: ProductionUnit, values: dict) -> bool:
    return all(getattr(unit, k) == v for k, v in values.items())


def _existing_by_national_id(ids: list[str]) -> dict[str, ProductionUnit]:
    found = {}
    for i in range(0, len(ids), CHUNK):
        for unit in ProductionUnit.objects.filter(national_id__in=ids[i:i + CHUNK]):
            found[unit.national_id] = unit
    return found


def _existing_without_national_id(records: list[UnitRecord], province: str | None = None,
                                  ) -> dict[tuple[str, str], list[ProductionUnit]]:
    """Units without ID by (name key, county); only within ``province`` if the importer is confined to one."""
    keys = {r.name_key or match_key(r.name) for r in records if not r.national_id}
    units = ProductionUnit.objects.filter(national_id="")
    if province is not None:
        units = units.filter(province_id=province)
    found: dict[tuple[str, str], list[ProductionUnit]] = {}
    keys_list = sorted(keys)
    for i in range(0, len(keys_list), CHUNK):
        for unit in units.filter(name_key__in=keys_list[i:i + CHUNK]):
            found.setdefault((unit.name_key, unit.county_id), []).append(unit)
    return found


def _write(plan: _Plan, user, outcome: ImportOutcome, progress, started, source_name: str, before_commit) -> None:
    """Write the plan in one transaction: on SQLite staged first, so the transaction holds the lock briefly."""
    now = timezone.now()
    staged = _stage(plan, user, outcome, now, progress) if connection.vendor == "sqlite" else None
    with transaction.atomic():
        batch = ImportBatch.objects.create(file_name=source_name, imported_by=user, started_at=started,
                                           rows_read=outcome.rows_read)
        source = f"import:{batch.pk}"
        if staged is None:
            _write_directly(plan, batch, user, outcome, progress, now, source)
        else:
            _create_parks(plan.parks, refuse_existing=True)
            staging.apply(staged, batch, now, source)
            _start_history_of_created_units(batch, now, user, source)
        if progress:  # inside: a cancel seen at this last step still rolls everything back
            progress("write", len(plan.new) + len(plan.changed), len(plan.new) + len(plan.changed))
        # Creation is audited once per import (the batch: file, who, when, counts) and per
        # unit in its status history; updates are audited per unit with before and after.
        audit_entry(user, "import", batch, source=source, after={
            "file": batch.file_name, "created": len(plan.new), "updated": outcome.updated,
            "new_parks": outcome.new_parks}).save()
        batch.created, batch.updated, batch.unchanged = outcome.created, outcome.updated, outcome.unchanged
        batch.skipped_invalid = outcome.skipped_rows
        batch.finished_at = timezone.now()
        batch.save()
        outcome.written, outcome.batch_id = True, batch.id
        if before_commit:
            before_commit(outcome)


# SQLite: the rows are built and adapted outside the write lock (registry/staging.py).  The source of the
# history and audit rows ("import:<batch>") is not known until the batch exists: the copy sets it.
SOURCE_PLACEHOLDER = "import:?"


def _stage(plan: _Plan, user, outcome: ImportOutcome, now, progress) -> staging.Staged:
    park_ids = _planned_park_ids(plan)
    new_units = []
    for r, v in plan.new:
        park_key = _new_park_key(r, plan)
        new_units.append({**v, "park_id": None if park_key else v["park_id"],
                          "name_key": r.name_key or match_key(r.name), "park_key": park_key})
    changes, history, audit = [], [], []
    for record, unit, before, diff, planned in _changed_units(plan, park_ids, now, outcome):
        park_key = _new_park_key(record, plan)
        unit_history, unit_audit = _history_and_audit(unit, before, diff, now, user, SOURCE_PLACEHOLDER)
        if unit.park_id is _NEW_PARK:
            unit.park_id = None
        changes.append((unit, planned, park_key))  # planned: updated_at as the plan saw it
        history.extend(unit_history)
        audit.append((unit_audit, park_key, unit.county_id))
    outcome.status_changes = len(history)
    return staging.stage(new_units, changes, history, audit, progress=progress)


class _NewParkPlaceholder:
    """The park_id of a unit moved into a park the import creates: differs from every id, None in the audit."""

    def __repr__(self) -> str:
        return "<new park>"


_NEW_PARK = _NewParkPlaceholder()


def _planned_park_ids(plan: _Plan) -> dict:
    park_ids = {(c, k): i for c, k, i in IndustrialPark.objects.values_list("county_id", "name_key", "id")}
    return {**park_ids, **{key: _NEW_PARK for key in plan.parks}}


def _new_park_key(record: UnitRecord, plan: _Plan) -> str | None:
    key = (record.county_code, match_key(record.park)) if record.park else None
    return key[1] if key in plan.parks else None


def _write_directly(plan: _Plan, batch: ImportBatch, user, outcome: ImportOutcome, progress, now, source) -> None:
    """PostgreSQL: other writers do not wait for this transaction (MVCC), so it writes as it goes, with COPY."""
    _refuse_if_changed_since_planned(plan)
    park_ids = _create_parks(plan.parks, refuse_existing=True)
    total = len(plan.new) + len(plan.changed)
    _insert_new_units([{**_with_park(v, r, park_ids), "name_key": r.name_key or match_key(r.name)}
                       for r, v in plan.new], batch, now, progress, total)
    # One set-based statement starts the history of every unit this import created.
    _start_history_of_created_units(batch, now, user, source)
    _update_changed_units(plan, park_ids, now, user, source, outcome)


def _refuse_if_changed_since_planned(plan: _Plan) -> None:
    """Lock the units the import changes; if one was edited (or deleted) since the plan read it, plan again, so
    the edit is neither overwritten unseen nor missing from the audit's "before"."""
    planned = {unit.pk: unit.updated_at for _r, unit, _v in plan.changed}
    ids = list(planned)
    for i in range(0, len(ids), CHUNK):
        now = dict(ProductionUnit.objects.select_for_update().filter(pk__in=ids[i:i + CHUNK])
                   .values_list("pk", "updated_at"))
        if any(now.get(pk) != planned[pk] for pk in ids[i:i + CHUNK]):
            raise staging.Stale("a unit this import changes was changed or deleted since it was planned")
    new_ids = [r.national_id for r, _v in plan.new if r.national_id]
    for i in range(0, len(new_ids), CHUNK):
        if ProductionUnit.objects.filter(national_id__in=new_ids[i:i + CHUNK]).exists():
            raise staging.Stale("a national ID this import registers was registered since it was planned")


# Django's bulk_create spends ~50 µs a unit preparing values, a third of a
# 100,000-row import.  So new units go in raw: with COPY on PostgreSQL (and through
# temp tables on SQLite, registry/staging.py).  Values are adapted by the backend's own ops.
_INSERT_COLUMNS = (*UNIT_FIELDS, "name_key", "created_at", "updated_at", "created_by_import_id")


def _insert_new_units(values_list: list[dict], batch: ImportBatch, now, progress, total: int) -> None:
    if not values_list:
        return
    ops = connection.ops
    table = ops.quote_name(ProductionUnit._meta.db_table)
    columns = ", ".join(ops.quote_name(ProductionUnit._meta.get_field(c).column) for c in _INSERT_COLUMNS)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for i, v in enumerate(values_list, start=1):
            copy.write_row((*(v[k] for k in UNIT_FIELDS), v["name_key"], now, now, batch.pk))
            if progress and i % 5000 == 0:
                progress("write", i, total)


def _start_history_of_created_units(batch: ImportBatch, now, user, source: str) -> None:
    ops = connection.ops
    history = UnitStatusChange._meta
    column = lambda model, name: ops.quote_name(model._meta.get_field(name).column)  # noqa: E731
    sql = (
        f"INSERT INTO {ops.quote_name(history.db_table)} "
        f"({column(UnitStatusChange, 'unit')}, {column(UnitStatusChange, 'changed_at')}, "
        f"{column(UnitStatusChange, 'changed_by')}, {column(UnitStatusChange, 'old_status')}, "
        f"{column(UnitStatusChange, 'new_status')}, {column(UnitStatusChange, 'reason')}, "
        f"{column(UnitStatusChange, 'source')}) "
        f"SELECT {column(ProductionUnit, 'id')}, %s, %s, '', {column(ProductionUnit, 'status')}, %s, %s "
        f"FROM {ops.quote_name(ProductionUnit._meta.db_table)} WHERE {column(ProductionUnit, 'created_by_import')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [ops.adapt_datetimefield_value(now), user.pk if user else None, "ثبت با فایل", source,
                             batch.pk])


def _changed_units(plan: _Plan, park_ids, now, outcome: ImportOutcome):
    """Each changed row's values set on its unit (in memory): (record, unit, values before, changed fields,
    updated_at before).

    A row the plan thought changed may turn out the same once its park has an id: it is counted unchanged."""
    for record, unit, values in plan.changed:
        values = _with_park(values, record, park_ids)
        before, planned = _unit_values(unit), unit.updated_at
        for k, v in values.items():
            setattr(unit, k, v)
        unit.name_key = match_key(unit.name)
        unit.updated_at = now
        diff = {k for k, v in _unit_values(unit).items() if before[k] != v}
        if not diff:
            outcome.updated -= 1
            outcome.unchanged += 1
            continue
        yield record, unit, before, diff, planned


def _history_and_audit(unit: ProductionUnit, before: dict, diff: set, now, user, source: str):
    after = _unit_values(unit)
    history = []
    if "status" in diff:
        history.append(UnitStatusChange(unit=unit, changed_at=now, changed_by=user, old_status=before["status"],
                                        new_status=unit.status, reason="به‌روزرسانی با فایل", source=source))
    audit = audit_entry(user, "update", unit, _jsonable({k: before[k] for k in diff}),
                        _jsonable({k: after[k] for k in diff}), source=source, at=now, diffed=True)
    return history, audit


def _update_changed_units(plan: _Plan, park_ids, now, user, source: str, outcome: ImportOutcome) -> None:
    history: list[UnitStatusChange] = []
    audit: list[AuditEntry] = []
    changed_units = []
    for _record, unit, before, diff, _planned in _changed_units(plan, park_ids, now, outcome):
        changed_units.append(unit)
        unit_history, unit_audit = _history_and_audit(unit, before, diff, now, user, source)
        history.extend(unit_history)
        audit.append(unit_audit)
    ProductionUnit.objects.bulk_update(changed_units, [*UNIT_FIELDS, "name_key", "updated_at"], batch_size=500)
    UnitStatusChange.objects.bulk_create(history, batch_size=CHUNK)
    AuditEntry.objects.bulk_create(audit, batch_size=CHUNK)
    outcome.status_changes = len(history)


def _create_parks(parks: dict[tuple[str, str], str], *, refuse_existing: bool = False) -> dict[tuple[str, str], int]:
    if refuse_existing and parks and parks.keys() & set(IndustrialPark.objects.filter(
            county_id__in={c for c, _k in parks}).values_list("county_id", "name_key")):
        raise staging.Stale("a park this import creates was registered since it was planned")
    for (county, _key), name in parks.items():
        IndustrialPark.objects.create(county_id=county, name=name,
                                      kind=IndustrialPark.Kind.ZONE if "ناحیه" in name else IndustrialPark.Kind.PARK)
    return {(c, k): i for c, k, i in IndustrialPark.objects.values_list("county_id", "name_key", "id")}


def _with_park(values: dict, record: UnitRecord, park_ids: dict) -> dict:
    if record.park:
        return {**values, "park_id": park_ids[(record.county_code, match_key(record.park))]}
    return values


def _unit_values(unit: ProductionUnit) -> dict:
    return {k: getattr(unit, k) for k in UNIT_FIELDS}


def _jsonable(values: dict) -> dict:
    """As the audit stores values (accounts.audit.jsonable); a park this import creates has no id yet."""
    return jsonable({k: None if v is _NEW_PARK else v for k, v in values.items()})
