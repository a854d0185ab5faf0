"""Identification runs in the background: from the runs page, or `identify --from-db --background`.

A job of kind "identify" holds the method's parameters.  Without an output path (the portal) the
worker stores an `IdentificationRun` with its candidates — one transaction, in which the job is
marked done too; with one (the command line) it writes the file there, as `identify` would."""

from __future__ import annotations

import dataclasses

from django.utils.translation import gettext_lazy as _

from khoosheh.analysis import ClusterIdentifier, IdentifyParams
from khoosheh.core.text import persian_decimal, persian_number
from khoosheh.jobs import kinds, runner
from khoosheh.jobs.models import Job

from . import services
from .outputs import write_result
from .sources import columns_from_db

KIND = kinds.Kind(
    name="identify", handler="khoosheh.clusters.jobs.run_identify", label=_("identification run"),
    result_template="clusters/identify_result.html",
    stages={"grid": _("placing the units on the grid"), "local statistics": _("testing each neighbourhood"),
            "grouping": _("grouping the cores"), "clusters": _("describing the clusters")},
)


def start(user, params: IdentifyParams, *, note: str = "", output: str = "") -> Job:
    title = (f"شناسایی خوشه‌ها (شعاع {persian_decimal(params.distance_km)} کیلومتر، "
             f"دست‌کم {persian_number(params.min_units)} واحد)")
    return runner.submit("identify", user=user, title=title,
                         params={"params": dataclasses.asdict(params), "note": note, "output": output})


def run_identify(job: Job, progress) -> runner.Finished:
    params = IdentifyParams(**job.params["params"])
    if output := job.params.get("output"):
        columns, source, _ = columns_from_db()
        identifier = ClusterIdentifier(params, progress=progress).fit(columns)
        write_result(output, identifier.clusters_, identifier.params_, source)
        return runner.Finished(result={"clusters": len(identifier.clusters_), "output": output,
                                       "units": len(columns)})

    def done_inside_the_transaction(run) -> None:
        runner.mark_done(job.pk, _finished(run))

    run = services.run_identification(job.user, params, note=job.params.get("note", ""), progress=progress,
                                      before_commit=done_inside_the_transaction)
    return _finished(run)


def _finished(run) -> runner.Finished:
    return runner.Finished(result={"run": run.pk, "candidates": run.n_candidates, "units": run.n_units})
