"""The Dask engine: a registry in many files identified as the embedded engine identifies it.

What runs where (docs/scale-out.md has the picture):

map, one task per file          check the file (validate_rows), its IDs split into hash buckets
reduce, one task per bucket     repeated national IDs across files judged (core/unitfile/many.py)
map, per file                   the verdicts applied; the accepted rows become analysis columns, kept on the
                                worker (the only per-unit data; nothing per unit comes back to the client)
map, per file                   placement and the per-(activity, cell) counts against the registry's
                                activity list (a small gather of each file's distinct activities)
reduce, a tree                  counts merged by summing (merge_counts)
one task                        the scan on the merged counts: windows, significance, candidates
map, per file                   each candidate activity's units within reach of its windows (few)
per activity                    footprints and members (activity_footprints)
map, per file                   the members' rows; the client describes, names and scores the clusters

Every step calls the embedded engine's own functions, so the clusters (ids, members, figures) are the same.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl
from distributed import Client, LocalCluster, as_completed

from khoosheh.analysis.columns import UnitColumns, columns_from_frame
from khoosheh.analysis.counting import CellCounts, Pyramid, count_units, finest_cells, merge_counts
from khoosheh.analysis.describe import Cluster, describe_cluster, name_and_score
from khoosheh.analysis.footprints import Surroundings, activity_footprints, footprint_radii, gather_reach
from khoosheh.analysis.identify import IdentifyParams, reportable
from khoosheh.analysis.placement import PlacedUnits, activity_index, place_units
from khoosheh.analysis.scan import Windows, relabelling_null, search_p_values, significant_by_activity
from khoosheh.core.progress import ProgressCallback, no_progress
from khoosheh.core.reference import Reference
from khoosheh.core.unitfile.many import (
    FileCheck,
    Verdicts,
    apply_verdicts,
    bucket_of,
    check_file,
    id_entries,
    judge_across_files,
    with_file,
)
from khoosheh.core.unitfile.validate import RowError

from .tiles import TILE_KM, in_scan_order, plan_tiles, registry_family, scan_tile

MERGE_FAN_IN = 4  # counts merged four partitions at a time


@contextlib.contextmanager
def connect(scheduler: str | None = None, *, workers: int = 2):
    """A client of an existing scheduler (``tcp://host:port``), or of a LocalCluster of ``workers`` processes
    (one thread each: the steps are NumPy and Polars, which release the GIL, but keep memory per process)."""
    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=40) as cluster, Client(cluster) as client:
        yield client


def describe(client: Client) -> str:
    info = client.scheduler_info()
    workers = info.get("workers", {})
    memory = sum(w.get("memory_limit", 0) for w in workers.values())
    return f"{len(workers)} workers, {memory / 2**30:.1f} GiB at {info.get('address', '?')}"


@dataclass
class Outcome:
    """The checks of every file, as the report and the command need them (like registry's ImportOutcome)."""

    rows_read: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)


class DistributedRun:
    """``run = DistributedRun(client, files)``; ``run.check()`` validates (an Outcome with every file's errors);
    ``run.identify(params)`` gives the clusters of the accepted rows."""

    def __init__(self, client: Client, paths: list[Path], *, location_tolerance_km: float | None = None,
                 progress: ProgressCallback = no_progress, buckets: int | None = None, tile_km: float = TILE_KM,
                 mappings: list[dict[str, str] | None] | None = None):
        self.client, self.paths, self.progress = client, [Path(p) for p in paths], progress
        # Each file's column mapping (headers no alias names), as check_files takes them: a few strings a file.
        self.mappings = list(mappings) if mappings is not None else [None] * len(self.paths)
        self.options = {} if location_tolerance_km is None else {"location_tolerance_km": location_tolerance_km}
        self.buckets = buckets or max(1, len(self.paths))
        self.tile_km = tile_km
        self.columns = []  # futures: the accepted units of each file, as analysis columns
        self.sizes: list[int] = []

    # --- checking -------------------------------------------------------------------------

    def check(self) -> Outcome:
        client, names = self.client, [p.name for p in self.paths]
        checks = client.map(_check, [str(p) for p in self.paths], range(len(self.paths)), self.mappings,
                            options=self.options, pure=False)
        self._wait("checking files", checks)
        entries = client.map(_bucketed_entries, checks, buckets=self.buckets)
        verdicts = [client.submit(_judge_bucket, b, names, *entries) for b in range(self.buckets)]
        merged = client.submit(_merge_verdicts, *verdicts)
        checked = client.map(apply_verdicts, checks, verdicts=merged)
        summaries = client.gather(client.map(_summary, checked))
        several = len(self.paths) > 1
        self.columns = client.map(_columns, checked, several=several)
        self.sizes = client.gather(client.map(len, self.columns))
        del checks, entries, verdicts, checked  # the frames (names and all) are released on the workers
        outcome = Outcome()
        for rows_read, errors, warnings in summaries:
            outcome.rows_read += rows_read
            outcome.errors.extend(errors)
            outcome.warnings.extend(warnings)
        return outcome

    def source(self) -> dict:
        return {"files": [p.name for p in self.paths], "units": int(sum(self.sizes)), "engine": "dask"}

    # --- identifying -----------------------------------------------------------------------

    def identify(self, params: IdentifyParams) -> list[Cluster]:
        client = self.client
        offsets = np.concatenate([[0], np.cumsum(self.sizes)]).astype(np.int64)
        if offsets[-1] == 0:
            return []
        params = params.for_registry(int(offsets[-1]))  # "auto" significance, as ClusterIdentifier settles it
        placed = client.map(place_units, self.columns, activity_level=params.activity_level)
        activities = np.unique(np.concatenate(client.gather(client.map(_activities, placed))))
        shared = client.scatter(activities, broadcast=True)
        counts = client.map(_count, placed, activities=shared)
        self._wait("counting", counts)
        merged = _tree(client, merge_counts, counts)
        unit_cells = None
        if params.significance == "monte carlo":
            # The relabelling null draws over every unit in input order: the one step with a number per unit
            # (8 bytes) on one machine; the default test (Bonferroni) has none.
            unit_cells = client.submit(_concat, *client.map(_cells, placed))
        candidates = self._scan(merged, params, unit_cells)
        footprints = self._footprints(candidates, placed, merged, activities, offsets, params)
        return self._describe(footprints, placed, activities, offsets, params)

    def _scan(self, merged, params: IdentifyParams, unit_cells) -> list[Windows]:
        """The scan in spatial tiles (tiles.py), then the significance of the windows of all tiles together."""
        client = self.client
        family = client.submit(registry_family, merged, params)
        plan = client.submit(plan_tiles, merged, params, tile_km=self.tile_km).result()
        parts = [client.submit(scan_tile, merged, tile, plan, params, family) for tile in plan.tiles]
        self._wait("scan tiles", parts)
        windows = client.submit(in_scan_order, parts, params)
        return client.submit(_significant, windows, merged, params, unit_cells).result()

    def _footprints(self, candidates: list[Windows], placed, merged, activities, offsets, params):
        client = self.client
        if not candidates:
            return []
        reach = [(int(w.activity[0]), w.x, w.y, gather_reach(w)) for w in candidates]
        # Scattered once to every worker (a list of arrays as a keyword of map would be one per task).
        windows_reach = client.scatter(reach, broadcast=True)
        near = client.map(_near_units, placed, offsets[:-1], activities=client.scatter(activities, broadcast=True),
                          reach=windows_reach)
        gathered = client.gather(near)  # per file: {activity: (global index, x, y)}, only units near windows
        around = client.submit(_surroundings, merged, params)
        jobs = []
        for windows in candidates:
            a = int(windows.activity[0])
            parts = [g[a] for g in gathered if a in g]
            index = np.concatenate([p[0] for p in parts])
            x, y = np.concatenate([p[1] for p in parts]), np.concatenate([p[2] for p in parts])
            jobs.append(client.submit(activity_footprints, windows, index, x, y, around, pure=False))
        self._wait("footprints", jobs)
        return [f for job in client.gather(jobs) for f in job]

    def _describe(self, footprints, placed, activities, offsets, params) -> list[Cluster]:
        client = self.client
        wanted = np.unique(np.concatenate([f.members for f in footprints])) if footprints else np.array([], int)
        starts = offsets[:-1]
        rows = client.gather(client.map(_member_rows, self.columns, placed, starts,
                                        wanted=client.scatter(wanted, broadcast=True)))
        members_columns = UnitColumns.concat([r[0] for r in rows])
        members_placed = _concat_placed([r[1] for r in rows])
        clusters = []
        for footprint in footprints:
            local = np.searchsorted(wanted, footprint.members)
            if not reportable(footprint, members_columns.employees[local], params):
                continue
            cluster = describe_cluster(members_columns, members_placed, local, activities[footprint.activity],
                                       footprint.lq, footprint.p_value)
            cluster.member_index = footprint.members
            clusters.append(cluster)
        exporters, known = np.sum(client.gather(client.map(_exporter_sums, self.columns)), axis=0)
        name_and_score(clusters, exporters=float(exporters), known=int(known))
        return clusters

    def _wait(self, stage: str, futures) -> None:
        self.progress(stage, 0, len(futures))
        for done, _ in enumerate(as_completed(futures), start=1):
            self.progress(stage, done, len(futures))


# --- the tasks (top-level functions, so workers can import them) ------------------------------

def _check(path: str, position: int, mapping: dict[str, str] | None, *, options: dict) -> FileCheck:
    return check_file(path, position, Reference.packaged(), mapping=mapping, **options)


def _bucketed_entries(check: FileCheck, *, buckets: int) -> list[pl.DataFrame]:
    entries = id_entries(check)
    bucket = bucket_of(entries, buckets)
    return [entries.filter(bucket == b) for b in range(buckets)]


def _judge_bucket(bucket: int, names: list[str], *entries: list[pl.DataFrame]) -> Verdicts:
    return judge_across_files(pl.concat([e[bucket] for e in entries]), names)


def _merge_verdicts(*parts: Verdicts) -> Verdicts:
    merged = Verdicts()
    for part in parts:
        merged.add(part)
    return merged


def _summary(check: FileCheck) -> tuple[int, list[RowError], list[RowError]]:
    return check.rows_read, check.errors, check.warnings


def _columns(check: FileCheck, *, several: bool) -> UnitColumns:
    frame = with_file(check.frame, check.file) if several else check.frame
    return columns_from_frame(frame, Reference.packaged())


def _activities(placed: PlacedUnits) -> np.ndarray:
    return np.unique(placed.activity)


def _count(placed: PlacedUnits, *, activities: np.ndarray) -> CellCounts:
    return count_units(placed.x, placed.y, activity_index(placed, activities), len(activities))


def _cells(placed: PlacedUnits) -> np.ndarray:
    return finest_cells(placed.x, placed.y)


def _concat(*arrays: np.ndarray) -> np.ndarray:
    return np.concatenate(arrays)


def _tree(client: Client, merge, futures):
    while len(futures) > 1:
        futures = [client.submit(merge, *futures[i:i + MERGE_FAN_IN]) for i in range(0, len(futures), MERGE_FAN_IN)]
    return futures[0]


def _significant(windows: Windows, counts: CellCounts, params: IdentifyParams,
                 unit_cells: np.ndarray | None) -> list[Windows]:
    """The rest of ClusterIdentifier's scan step (identify.scan), on the windows of every tile."""
    null = lambda: relabelling_null(Pyramid(counts), unit_cells, params.radii(), params.window_units)  # noqa: E731
    windows.p_search = search_p_values(windows, counts.national(), significance=params.significance,
                                       alpha=params.alpha, min_lq=params.min_lq, null=null)
    return significant_by_activity(windows, params.alpha, params.min_lq)


def _surroundings(counts: CellCounts, params: IdentifyParams) -> Surroundings:
    return Surroundings(counts.cells, counts.cell_counts.astype(float), footprint_radii(params.radii()))


def _near_units(placed: PlacedUnits, start: int, *, activities: np.ndarray, reach) -> dict:
    """This file's units of each candidate activity within reach of one of its windows, as (global position,
    x, y) in increasing position."""
    codes = activity_index(placed, activities)
    found = {}
    for activity, wx, wy, wr in reach:
        own = np.flatnonzero(codes == activity)
        if not len(own):
            continue
        x, y = placed.x[own], placed.y[own]
        near = np.zeros(len(own), bool)
        for cx, cy, r in zip(wx, wy, wr, strict=True):
            near |= (x - cx) ** 2 + (y - cy) ** 2 <= (r + 1e-9) ** 2
        if near.any():
            found[activity] = (own[near] + start, x[near], y[near])
    return found


def _member_rows(columns: UnitColumns, placed: PlacedUnits, start: int, *, wanted: np.ndarray):
    """The rows of this file among ``wanted`` (global positions, sorted), in that order."""
    local = wanted[(wanted >= start) & (wanted < start + len(columns))] - start
    return columns.take(local), PlacedUnits(*(getattr(placed, f)[local] for f in
                                              ("lat", "lon", "x", "y", "activity", "located")))


def _concat_placed(parts: list[PlacedUnits]) -> PlacedUnits:
    return PlacedUnits(*(np.concatenate([getattr(p, f) for p in parts]) for f in
                         ("lat", "lon", "x", "y", "activity", "located")))


def _exporter_sums(columns: UnitColumns) -> tuple[float, int]:
    known = np.isfinite(columns.exporter)
    return float(columns.exporter[known].sum()), int(known.sum())

