"""The audit trail as a person reads it: field labels, choice labels, Jalali dates, the reader's digits.

`accounts.AuditEntry` keeps the raw values (codes, ISO dates, lists) so the trail stays exact; this module
only words them, from the record's own model: a field's verbose name and choices, and its related record's
name for a foreign key.  Keys that are not fields (e.g. "members_added") have their labels here."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from khoosheh.core import reference
from khoosheh.web.formatting import digits, jdate, num, person

ACTIONS = {"create": _("created"), "update": _("edited"), "delete": _("deleted")}

# Keys the services write that are not fields of the record.
EXTRA_LABELS = {
    "from_candidate": _("from candidate"), "run": _("identification run"), "merged": _("merged candidates"),
    "members_added": _("members added"), "members_removed": _("members removed"), "candidates": _("candidates"),
    "params": _("parameters"), "sent": _("suppliers it was sent to"), "meetings": _("meetings"),
    "total_score": _("total score"), "reason": _("reason"), "note": _("note"), "id": _("record number"),
    "clusters": _("clusters facilitated"),
}
# Keys that are not fields but hold ids of records of a model (an agent's clusters): shown by the records' names.
EXTRA_RELATED = {"clusters": "clusters.Cluster"}

# How the records of a model are named where their str() is not enough, registered by the app that knows them
# (web sits below every app): namer(ids, reader) -> {id: name} for the records found.  The reader is who reads
# the page (None: nobody known), for a name may say more than the reader may see.
_NAMERS: dict[str, Callable[[list, object], dict]] = {}


def name_records(model_label: str, namer: Callable[[list, object], dict]) -> None:
    """Name the records of ``model_label`` ("registry.ProductionUnit") in every history with ``namer``."""
    _NAMERS[model_label.lower()] = namer


@dataclasses.dataclass
class Change:
    label: str
    before: str
    after: str


@dataclasses.dataclass
class ReadableEntry:
    at: dt.datetime
    actor: object
    action: str
    source: str
    changes: list[Change]


def readable(entries, reader=None) -> list[ReadableEntry]:
    words = _Words(reader)
    out = []
    for entry in entries:
        model = _model(entry.record_type)
        before, after = entry.before or {}, entry.after or {}
        keys = list(dict.fromkeys([*before, *after]))
        # A value set where there was none reads as the value alone, not as a struck-out «—» before it.
        changes = [Change(words.label(model, k), "" if _empty(before.get(k)) else words.value(model, k, before[k]),
                          words.value(model, k, after.get(k)) if k in after else "") for k in keys]
        out.append(ReadableEntry(entry.at, entry.actor, str(ACTIONS.get(entry.action, entry.action)),
                                 entry.source, changes))
    return out


def _empty(value) -> bool:
    return value is None or value == "" or value == []


def _model(record_type: str):
    try:
        return apps.get_model(record_type)
    except (LookupError, ValueError):
        return None


class _Words:
    """Labels and values, with the names of related records looked up once per entry list."""

    def __init__(self, reader=None):
        self.reader = reader
        self.names: dict[tuple, str] = {}

    def field(self, model, key):
        if model is None:
            return None
        try:
            field = model._meta.get_field(key)
        except FieldDoesNotExist:
            return None
        # A reverse relation (an exhibition's "meetings") is a count the service wrote, not a field.
        return None if field.auto_created and not field.concrete else field

    def child_field(self, model, key):
        """A key the service wrote from a record that belongs to this one (a consortium's exports of a year):
        the field of that name on the belonging model, for its label."""
        if model is None or key in EXTRA_LABELS:
            return None
        for relation in model._meta.related_objects:
            field = self.field(relation.related_model, key)
            if field is not None and field.concrete:
                return field
        return None

    def label(self, model, key: str) -> str:
        if key == "id":  # Django's own "ID", English in every language
            return str(EXTRA_LABELS["id"])
        field = self.field(model, key) or self.child_field(model, key)
        if field is not None and hasattr(field, "verbose_name"):
            return str(field.verbose_name)
        return str(EXTRA_LABELS.get(key, key.replace("_", " ")))

    def value(self, model, key: str, value) -> str:
        if _empty(value):
            return "—"
        if isinstance(value, bool):
            return str(_("yes") if value else _("no"))
        field = self.field(model, key)
        if isinstance(value, list):
            if isinstance(field, models.ForeignKey | models.ManyToManyField):
                self.look_up(field.related_model, value)  # a list of members at once, not one query each
            return "، ".join(self.value(model, key, item) for item in value)
        if isinstance(field, models.FileField):
            return _file(value)
        if isinstance(value, dict):
            return "، ".join(f"{self.label(None, k)}: {self.value(None, k, v)}" for k, v in value.items())
        if key in EXTRA_RELATED and isinstance(value, int):
            return self.related(apps.get_model(EXTRA_RELATED[key]), value)
        labels = self.choices(model, key, field)
        if str(value) in labels:
            return str(labels[str(value)])
        if isinstance(field, models.ForeignKey | models.ManyToManyField):
            return self.related(field.related_model, value)
        if isinstance(value, int) and (_is_year(key) or key == "id"):
            return digits(value)  # a year or a record's number is a name, never grouped: ۱۴۰۴, not ۱٬۴۰۴
        if isinstance(value, int | float):
            return num(value)
        if isinstance(value, str) and _looks_like_date(value):
            parsed = _parse_date(value)
            return jdate(parsed) if parsed else digits(value)
        return digits(value)

    def choices(self, model, key, field) -> dict[str, str]:
        if field is not None and field.choices:
            return {str(v): label for v, label in field.flatchoices}
        persian = (get_language() or "fa").startswith("fa")
        if key == "processes":
            return {p.code: p.name_fa if persian else p.name_en for p in reference.processes()}
        if key == "certifications":
            return reference.certification_names_fa() if persian else dict(reference.certifications())
        if model is not None and (field is None or isinstance(field, models.JSONField)):
            # A list field (e.g. a case's problems) holds the values of a choice field beside it.
            merged = {}
            for other in model._meta.get_fields():
                if getattr(other, "choices", None):
                    merged.update({str(v): label for v, label in other.flatchoices})
            return merged
        return {}

    def related(self, model, pk) -> str:
        key = (model._meta.label_lower, pk)
        if key not in self.names:
            self.look_up(model, [pk])
        return self.names[key]

    def look_up(self, model, pks: list) -> None:
        label = model._meta.label_lower
        wanted = list(dict.fromkeys(pk for pk in pks if (label, pk) not in self.names))
        if not wanted:
            return
        if label in _NAMERS:
            found = _NAMERS[label](wanted, self.reader)
        else:
            records = model._default_manager.filter(pk__in=wanted)
            # An agent named as "who" is: by their full name.
            name = person if label == settings.AUTH_USER_MODEL.lower() else str
            # A record's name carries digits ("پارس ریخته‌گری 44"): the reader's, as in the tables.
            found = {record.pk: digits(name(record)) for record in records}
        for pk in wanted:
            self.names[(label, pk)] = found.get(pk, f"#{digits(pk)}")


def _file(value) -> str:
    """A stored file by the name it was uploaded under ({"file": path, "name": name}, as programs.services keeps a
    study), or, in an entry written before names were kept, by its stored name; never by its path
    ("diagnostic-studies/…"), the server's business.  A file's name is an identifier: its digits stay as they are."""
    name = (value.get("name") or value.get("file") or "") if isinstance(value, dict) else str(value)
    return str(_("file «%(name)s»") % {"name": name.rsplit("/", 1)[-1]})


def _is_year(key: str) -> bool:
    return key == "year" or key.endswith("_year")


def _looks_like_date(text: str) -> bool:
    return len(text) >= 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit()


def _parse_date(text: str):
    try:
        return dt.datetime.fromisoformat(text) if len(text) > 10 else dt.date.fromisoformat(text)
    except ValueError:
        return None
