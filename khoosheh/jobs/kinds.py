"""The kinds of job, registered by the apps that own them (in their AppConfig.ready).

The jobs app sits beside the floors, like accounts: every app may use it, and it imports none of
them, so a kind names its handler by dotted path.  A handler is called as ``handler(job, progress)``
with the Job and the one progress callback shape, ``progress(stage, done, total)``; it returns a
`Finished` (or calls `jobs.runner.mark_done` itself inside its own transaction, so that the job's
completion commits together with its writes)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Kind:
    name: str
    handler: str  # dotted path of handler(job, progress) -> Finished | None
    label: object  # a (lazy) translated noun for lists
    result_template: str = ""  # what the job page shows once it is done (given `job`)
    stages: dict = field(default_factory=dict)  # stage name -> (lazy) label
    # Run again, automatically, after its worker died?  Only for work that is all-or-nothing or
    # idempotent: an import (one transaction, done marked inside it), a report, an identification run.
    rerun_after_crash: bool = True

    def run(self, job, progress):
        return import_string(self.handler)(job, progress)

    def stage_label(self, stage: str) -> str:
        return str(self.stages.get(stage, stage))


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    _KINDS[kind.name] = kind
    return kind


def get(name: str) -> Kind:
    return _KINDS[name]


def all_kinds() -> dict[str, Kind]:
    return dict(_KINDS)
