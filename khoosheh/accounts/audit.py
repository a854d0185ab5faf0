"""One way to write the audit trail: who changed which record, when, before and after.

The domain services call `record_change`; they do not know whether the change came from
a page or from the API.  `AuditSourceMiddleware` tells them: requests under /api/ are
recorded with the source "api", everything else "portal" (commands pass their own)."""

from __future__ import annotations

import contextvars
import datetime as dt
from contextlib import contextmanager

from .models import AuditEntry

_source = contextvars.ContextVar("audit_source", default="portal")


@contextmanager
def audit_source(name: str):
    token = _source.set(name)
    try:
        yield
    finally:
        _source.reset(token)


def current_source() -> str:
    return _source.get()


def jsonable(values: dict) -> dict:
    """A record's values as the audit trail stores them (JSON): dates as ISO text, files by name, related
    records by id."""
    out = {}
    for key, value in values.items():
        if isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()
        elif hasattr(value, "name") and not isinstance(value, str):  # files
            value = getattr(value, "name", "") or ""
        elif isinstance(value, list) and value and hasattr(value[0], "pk"):
            value = [v.pk for v in value]
        out[key] = value
    return out


def record_change(user, action: str, record, before: dict | None = None,
                  after: dict | None = None) -> AuditEntry | None:
    """Write one entry.  With both sides given, only the keys whose value changed are kept,
    so the trail reads as what happened rather than as two copies of the record.  An update that changed
    nothing (a form saved as it was) writes nothing and returns None: the trail says what happened."""
    entry = audit_entry(user, action, record, before, after)
    if action == "update" and before is not None and after is not None and not entry.before and not entry.after:
        return None
    entry.save()
    return entry


def audit_entry(user, action: str, record, before: dict | None = None, after: dict | None = None, *,
                source: str | None = None, at=None, diffed: bool = False) -> AuditEntry:
    """The entry `record_change` writes, unsaved: for a writer that stores many at once (an import's bulk insert
    or its staged copy), so every entry is built by the same rules.  ``diffed``: the caller kept only the changed
    keys already (an import fills in some values, such as a new park's id, after this)."""
    if before is not None and after is not None and not diffed:
        changed = [k for k in after if before.get(k) != after.get(k)]
        before, after = {k: before.get(k) for k in changed}, {k: after[k] for k in changed}
    entry = AuditEntry(actor=user if user is not None and user.is_authenticated else None, action=action,
                       record_type=record._meta.label_lower, record_id=str(record.pk), before=before, after=after,
                       source=source or current_source())
    if at is not None:
        entry.at = at
    return entry


class AuditSourceMiddleware:
    """Mark changes made through the API as such in the audit trail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            with audit_source("api"):
                return self.get_response(request)
        return self.get_response(request)
