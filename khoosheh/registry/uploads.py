"""Unit files imported in the background: from the upload page, or `import-units FILE --background`.

The file is kept under the data folder (KHOOSHEH_JOBS_DIR/uploads), so a restart of the web process
loses nothing; a `jobs.Job` of kind "import" names it, and `khoosheh worker` runs `run_import`.
The import is one transaction and the job is marked done inside it: a worker killed midway leaves
the registry as it was and the job is run again by the next worker; it is never applied twice."""

from __future__ import annotations

import shutil
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from khoosheh.core.unitfile.writers import write_report
from khoosheh.jobs import kinds, runner
from khoosheh.jobs.models import Job

from .importing import ImportOutcome, import_units

ERRORS_SHOWN, WARNINGS_SHOWN = 200, 100

KIND = kinds.Kind(
    name="import", handler="khoosheh.registry.uploads.run_import", label=_("import of a unit file"),
    result_template="registry/import_result.html",
    stages={"validate": _("checking the rows"), "compare": _("comparing with the registry"),
            "write": _("writing to the registry")},
)


def _keep(name: str) -> tuple[Path, str]:
    """A new path for an uploaded file under the jobs folder, and that path relative to it."""
    relative = f"uploads/{uuid.uuid4().hex}{Path(name).suffix.lower()}"
    path = runner.jobs_dir("uploads").parent / relative
    return path, relative


def keep_upload(upload) -> str:
    """Keep an uploaded file (a Django UploadedFile) under the jobs folder; its path relative to it."""
    remove_abandoned()
    path, relative = _keep(upload.name)
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return relative


def remove_abandoned() -> int:
    """Uploads left on the mapping step and never imported go once KHOOSHEH_JOB_KEEP_DAYS have passed
    (a job's own upload goes with the job, runner.remove_expired)."""
    cutoff = time.time() - settings.KHOOSHEH_JOB_KEEP_DAYS * 86_400
    old = {f"uploads/{p.name}": p for p in runner.jobs_dir("uploads").iterdir() if p.stat().st_mtime < cutoff}
    if not old:
        return 0
    used = set(Job.objects.filter(input_file__in=list(old)).values_list("input_file", flat=True))
    for relative, path in old.items():
        if relative not in used:
            path.unlink(missing_ok=True)
    return len(old) - len(used)


def kept_path(relative: str) -> Path:
    return runner.jobs_dir() / relative


def start_upload(upload, user, *, dry_run: bool, skip_invalid: bool, mapping: dict[str, str] | None = None) -> Job:
    """Keep an uploaded file and queue its import; returns at once."""
    return submit_kept(keep_upload(upload), upload.name, user, dry_run=dry_run, skip_invalid=skip_invalid,
                       mapping=mapping)


def start_file(source: str | Path, user=None, *, dry_run: bool = False, skip_invalid: bool = False,
               mapping: dict[str, str] | None = None) -> Job:
    """Queue the import of a file on disk (the command line); a copy is kept, so the file may change."""
    path, relative = _keep(str(source))
    shutil.copyfile(source, path)
    return submit_kept(relative, Path(source).name, user, dry_run=dry_run, skip_invalid=skip_invalid,
                       mapping=mapping)


def submit_kept(relative: str, file_name: str, user, *, dry_run: bool, skip_invalid: bool,
                mapping: dict[str, str] | None = None) -> Job:
    """Queue the import of a file already kept (``relative`` to the jobs folder)."""
    check = "بررسی" if dry_run else "ورود"
    return runner.submit("import", user=user, title=f"{check} فایل واحدها: {file_name}", input_file=relative,
                         params={"file_name": file_name, "dry_run": dry_run, "skip_invalid": skip_invalid,
                                 "mapping": mapping or {}})


def run_import(job: Job, progress) -> runner.Finished:
    params = job.params
    path = runner.jobs_dir() / job.input_file

    def done_inside_the_transaction(outcome: ImportOutcome) -> None:
        runner.mark_done(job.pk, _finished(job, outcome))

    outcome = import_units(path, user=job.user, dry_run=params.get("dry_run", False),
                           skip_invalid=params.get("skip_invalid", False), progress=progress,
                           file_name=params.get("file_name"), before_commit=done_inside_the_transaction,
                           mapping=params.get("mapping") or None)
    return _finished(job, outcome)


def _finished(job: Job, outcome: ImportOutcome) -> runner.Finished:
    report = ""
    if outcome.errors or outcome.warnings:
        report = f"import-{job.pk}-report.csv"
        write_report(runner.jobs_dir("files") / report, outcome)
    return runner.Finished(result=summary(outcome, dry_run=job.params.get("dry_run", False)), file_name=report)


# A problem found on this many rows or more (same column, same words) is shown once, with its rows.
GROUPED_FROM = 3


def _ranges(rows: list[int]) -> list[list[int]]:
    """Row numbers as runs: [2, 3, 4, 9] -> [[2, 4], [9, 9]]."""
    runs: list[list[int]] = []
    for row in sorted(set(rows)):
        if runs and row == runs[-1][1] + 1:
            runs[-1][1] = row
        else:
            runs.append([row, row])
    return runs


def grouped(items, limit: int) -> list[dict]:
    """The problems as the page lists them: one line for a problem repeated on many rows (a file of another
    province: 851 times the same refusal), with its rows as runs and their count; the others one line a row.
    In the order each problem first appears; at most ``limit`` lines (the report has every row)."""
    by_problem: dict[tuple, list] = {}
    for item in items:
        by_problem.setdefault((item.column, item.message, bool(item.row)), []).append(item)
    lines = []
    for (column, message, on_a_row), same in by_problem.items():
        if on_a_row and len(same) >= GROUPED_FROM:
            values = {item.value for item in same}
            lines.append({"row": same[0].row, "runs": _ranges([item.row for item in same]), "count": len(same),
                          "column": column, "value": values.pop() if len(values) == 1 else "", "message": message})
        else:
            lines.extend({"row": item.row, "runs": [], "count": 1, "column": column, "value": item.value,
                          "message": message} for item in same)
    return lines[:limit]


def summary(outcome: ImportOutcome, *, dry_run: bool) -> dict:
    """What the result page shows: counts, and the first errors and warnings (all are in the report), a problem
    repeated on many rows once (``error_lines``, ``warning_lines``)."""
    rows = lambda items: [[e.row, e.column, e.value, e.message] for e in items]  # noqa: E731
    error_lines, warning_lines = grouped(outcome.errors, ERRORS_SHOWN), grouped(outcome.warnings, WARNINGS_SHOWN)
    return {
        "rows_read": outcome.rows_read, "created": outcome.created, "updated": outcome.updated,
        "unchanged": outcome.unchanged, "status_changes": outcome.status_changes,
        "skipped_rows": outcome.skipped_rows, "new_parks": outcome.new_parks, "accepted": outcome.accepted,
        "written": outcome.written, "batch_id": outcome.batch_id, "dry_run": dry_run,
        "n_errors": len(outcome.errors), "n_warnings": len(outcome.warnings),
        "errors": rows(outcome.errors[:ERRORS_SHOWN]), "warnings": rows(outcome.warnings[:WARNINGS_SHOWN]),
        "error_lines": error_lines, "warning_lines": warning_lines,
        "errors_shown": sum(line["count"] for line in error_lines),
        "warnings_shown": sum(line["count"] for line in warning_lines),
        "verdict": verdict(outcome, dry_run=dry_run),
    }


def verdict(outcome: ImportOutcome, *, dry_run: bool) -> str:
    """How the job lists tell this import apart (jobs.Job.verdict): the file refused, or rows left out
    with the rest written (a check writes nothing anyway: only its refusal is worth a mark)."""
    if not outcome.accepted:
        return "refused"
    if not outcome.skipped_rows or dry_run:
        return ""
    return "partial" if outcome.written else "refused"
