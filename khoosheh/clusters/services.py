"""Identification runs and the review of their candidates.

Views call these; every change is audited (accounts.AuditEntry)."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from khoosheh.accounts.audit import record_change
from khoosheh.accounts.models import User
from khoosheh.accounts.scoping import can_change_province, can_write
from khoosheh.analysis import ClusterIdentifier, IdentifyParams
from khoosheh.core.text import clean_name
from khoosheh.registry.models import ProductionUnit

from .models import Candidate, Cluster, IdentificationRun
from .sources import columns_from_db

# A candidate whose members overlap a confirmed cluster of the same activity at least this much
# (Jaccard: shared members / all members of either) is the same concentration seen again by a newer
# run: review offers it as an update of that cluster, never as a second cluster (docs/methodology.md).
SAME_CLUSTER_JACCARD = 0.5

FIGURES = ("activity_id", "province_id", "county_id", "provinces", "counties", "lat", "lon", "extent_km",
           "n_units", "employees", "lq", "p_value", "share_small", "share_exporters", "share_idle",
           "located_by_county", "score", "stars", "star_reasons")


@transaction.atomic
def run_identification(user: User | None, params: IdentifyParams, *, note: str = "", progress=None,
                       before_commit: Callable[[IdentificationRun], None] | None = None) -> IdentificationRun:
    """Analyse the whole registry (the counterfactual is national, whoever asks).

    ``progress(stage, done, total)`` follows the method's steps; ``before_commit(run)`` runs inside
    the transaction (a background job marks itself done there, so it commits with the run)."""
    if user is not None and not user.is_national:
        raise PermissionDenied
    started = time.perf_counter()
    columns, _, unit_ids = columns_from_db()
    identifier = ClusterIdentifier(params, progress=progress).fit(columns)
    # Stored as used: "auto" significance settled by the registry's size (the run says which test it made).
    run = IdentificationRun.objects.create(created_by=user, params=dataclasses.asdict(identifier.params_),
                                           n_units=len(columns), n_candidates=len(identifier.clusters_),
                                           note=clean_name(note))
    candidates = [Candidate(run=run, code=c.id, activity_id=c.isic, province_id=c.province, county_id=c.county,
                            provinces=c.provinces, counties=c.counties, lat=c.centroid[0], lon=c.centroid[1],
                            extent_km=c.extent_km, n_units=c.n_units, employees=c.employees, lq=c.lq,
                            p_value=c.p_value, share_small=_nan_none(c.share_small),
                            share_exporters=_nan_none(c.share_exporters), share_idle=_nan_none(c.share_idle),
                            located_by_county=c.located_by_county, score=c.score, stars=c.stars,
                            star_reasons=c.star_reasons)
                  for c in identifier.clusters_]
    Candidate.objects.bulk_create(candidates)
    through = Candidate.members.through
    through.objects.bulk_create(
        [through(candidate_id=candidate.pk, productionunit_id=int(unit_id))
         for candidate, cluster in zip(candidates, identifier.clusters_, strict=True)
         for unit_id in unit_ids[cluster.member_index]], batch_size=5000)
    run.seconds = round(time.perf_counter() - started, 2)
    run.save(update_fields=["seconds"])
    record_change(user, "create", run, after={"params": run.params, "candidates": run.n_candidates})
    if before_commit:
        before_commit(run)
    return run


def _nan_none(value):
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else value


def default_name(activity, county) -> str:
    return f"خوشه {activity.title_fa or activity.title_en} {county.name_fa}"


def _check_reviewer(user: User, candidate: Candidate) -> None:
    if not can_change_province(user, candidate.province_id):
        raise PermissionDenied
    if candidate.review != Candidate.Review.PENDING:
        raise ValidationError("این خوشه پیش‌تر بررسی شده است")


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _member_sets(through, owner: str, owners) -> dict[int, set[int]]:
    sets: dict[int, set[int]] = {}
    for owner_id, unit_id in through.objects.filter(**{f"{owner}__in": owners}).values_list(
            f"{owner}_id", "productionunit_id"):
        sets.setdefault(owner_id, set()).add(unit_id)
    return sets


def existing_clusters_for(candidates) -> dict[int, tuple[Cluster, float]]:
    """For each candidate, the confirmed cluster of its activity it overlaps most, if at or above
    SAME_CLUSTER_JACCARD (candidate id -> (cluster, Jaccard)).  A candidate already turned into a
    cluster is matched to that cluster itself."""
    candidates = list(candidates)
    if not candidates:
        return {}
    clusters = {c.pk: c for c in Cluster.objects.filter(activity_id__in={c.activity_id for c in candidates})
                .select_related("province")}
    cluster_sets = _member_sets(Cluster.members.through, "cluster", list(clusters))
    candidate_sets = _member_sets(Candidate.members.through, "candidate", [c.pk for c in candidates])
    found = {}
    for candidate in candidates:
        mine = candidate_sets.get(candidate.pk, set())
        best, best_j = None, 0.0
        for pk, members in cluster_sets.items():
            cluster = clusters[pk]
            if cluster.activity_id != candidate.activity_id:
                continue
            j = jaccard(mine, members)
            if j > best_j:
                best, best_j = cluster, j
        if best is not None and best_j >= SAME_CLUSTER_JACCARD:
            found[candidate.pk] = (best, best_j)
    return found


def existing_cluster_for(candidate: Candidate) -> Cluster | None:
    match = existing_clusters_for([candidate]).get(candidate.pk)
    return match[0] if match else None


def _refuse_duplicate(candidate: Candidate) -> None:
    existing = existing_cluster_for(candidate)
    if existing is not None:
        raise ValidationError(f"این نامزد همان خوشهٔ ثبت‌شدهٔ «{existing.name}» است (بیشتر واحدهایش مشترک‌اند)؛ "
                              "به‌جای خوشهٔ تازه، آن خوشه را به‌روز کنید")


@transaction.atomic
def update_cluster(candidate: Candidate, cluster: Cluster, user: User) -> Cluster:
    """A newer run's view of an existing cluster: its members and figures are refreshed from the candidate;
    its name, identification year and earlier candidates stay, and the change is audited."""
    _check_reviewer(user, candidate)
    if not can_change_province(user, cluster.province_id):
        raise PermissionDenied
    if existing_cluster_for(candidate) != cluster:
        raise ValidationError("این نامزد با این خوشه همپوشانی کافی ندارد")
    before = _snapshot(cluster)
    old_members = set(cluster.members.values_list("pk", flat=True))
    new_members = set(candidate.members.values_list("pk", flat=True))
    for field in FIGURES:
        setattr(cluster, field, getattr(candidate, field))
    cluster.save()
    cluster.members.set(new_members)
    _mark(candidate, user, Candidate.Review.CONFIRMED, cluster=cluster)
    record_change(user, "update", cluster, before=before,
                  after={**_snapshot(cluster), "from_candidate": candidate.code, "run": candidate.run_id,
                         "members_added": len(new_members - old_members),
                         "members_removed": len(old_members - new_members)})
    return cluster


def _snapshot(cluster: Cluster) -> dict:
    return {"n_units": cluster.n_units, "employees": cluster.employees, "lq": round(cluster.lq, 2),
            "extent_km": round(cluster.extent_km, 2), "stars": cluster.stars, "county": cluster.county_id}


@transaction.atomic
def confirm(candidate: Candidate, user: User, *, name: str = "") -> Cluster:
    _check_reviewer(user, candidate)
    _refuse_duplicate(candidate)
    cluster = Cluster(**{f: getattr(candidate, f) for f in FIGURES},
                      name=clean_name(name) or default_name(candidate.activity, candidate.county),
                      confirmed_at=timezone.now(), confirmed_by=user)
    cluster.save()
    cluster.members.set(candidate.members.all())
    _mark(candidate, user, Candidate.Review.CONFIRMED, cluster=cluster)
    record_change(user, "create", cluster, after={"name": cluster.name, "from_candidate": candidate.code,
                                           "run": candidate.run_id, "n_units": cluster.n_units})
    return cluster


@transaction.atomic
def reject(candidate: Candidate, user: User, *, reason: str) -> None:
    if not clean_name(reason):
        raise ValidationError("دلیل رد کردن را بنویسید")
    _check_reviewer(user, candidate)
    _mark(candidate, user, Candidate.Review.REJECTED, reason=clean_name(reason))


@transaction.atomic
def merge(candidates: Iterable[Candidate], user: User, *, name: str = "") -> Cluster:
    """One cluster from several candidates of one activity (e.g. one estate cut in two by a road)."""
    candidates = sorted(candidates, key=lambda c: -c.n_units)
    if len(candidates) < 2:
        raise ValidationError("برای ادغام دست‌کم دو خوشه را برگزینید")
    if len({c.activity_id for c in candidates}) > 1:
        raise ValidationError("فقط خوشه‌های یک فعالیت ادغام می‌شوند")
    for c in candidates:
        _check_reviewer(user, c)
        _refuse_duplicate(c)
    largest = candidates[0]
    members = ProductionUnit.objects.filter(candidate_clusters__in=candidates).distinct()
    figures = {f: getattr(largest, f) for f in FIGURES}
    n_units = members.count()
    weights = np.array([c.n_units for c in candidates], float)
    figures.update(
        n_units=n_units, employees=members.aggregate(s=Sum("employees"))["s"] or 0,
        lat=float(np.average([c.lat for c in candidates], weights=weights)),
        lon=float(np.average([c.lon for c in candidates], weights=weights)),
        lq=float(np.average([c.lq for c in candidates], weights=weights)),
        extent_km=max(c.extent_km for c in candidates),
        counties=sorted({k for c in candidates for k in c.counties}),
        provinces=sorted({k for c in candidates for k in c.provinces}),
    )
    cluster = Cluster(**figures, name=clean_name(name) or default_name(largest.activity, largest.county),
                      confirmed_at=timezone.now(), confirmed_by=user)
    cluster.save()
    cluster.members.set(members)
    for c in candidates:
        _mark(c, user, Candidate.Review.MERGED, cluster=cluster)
    record_change(user, "create", cluster, after={"name": cluster.name, "merged": [c.code for c in candidates],
                                           "n_units": n_units})
    return cluster


@transaction.atomic
def rename(cluster: Cluster, user: User, name: str) -> None:
    name = clean_name(name)
    if not name:
        raise ValidationError({"name": "نام خوشه خالی است"})  # keyed: a form shows it under its name box
    if not can_change_province(user, cluster.province_id):
        raise PermissionDenied
    before = cluster.name
    cluster.name = name
    cluster.save(update_fields=["name"])
    record_change(user, "update", cluster, before={"name": before}, after={"name": name})


def _mark(candidate: Candidate, user: User, review: str, *, reason: str = "", cluster=None) -> None:
    before = {"review": candidate.review}
    candidate.review, candidate.review_reason = review, reason
    candidate.reviewed_by, candidate.reviewed_at, candidate.cluster = user, timezone.now(), cluster
    candidate.save(update_fields=["review", "review_reason", "reviewed_by", "reviewed_at", "cluster"])
    record_change(user, "update", candidate, before=before, after={"review": review, "reason": reason})


@dataclasses.dataclass
class Comparison:
    new: list[Candidate]
    gone: list[Candidate]
    changed: list[tuple[Candidate, Candidate, float]]
    same: list[tuple[Candidate, Candidate]]


def compare_runs(older: IdentificationRun, newer: IdentificationRun, *, jaccard: float = 0.5) -> Comparison:
    """Match candidates of one activity sharing members at Jaccard >= 0.5."""
    def members(run):
        through = Candidate.members.through.objects.filter(candidate__run=run)
        sets: dict[int, set[int]] = {}
        for candidate_id, unit_id in through.values_list("candidate_id", "productionunit_id"):
            sets.setdefault(candidate_id, set()).add(unit_id)
        return sets

    old_sets, new_sets = members(older), members(newer)
    old = list(older.candidates.select_related("activity", "county", "province"))
    new = list(newer.candidates.select_related("activity", "county", "province"))
    matched_old, comparison = set(), Comparison([], [], [], [])
    for b in new:
        best, best_j = None, 0.0
        for a in old:
            if a.activity_id != b.activity_id or a.pk in matched_old:
                continue
            sa, sb = old_sets.get(a.pk, set()), new_sets.get(b.pk, set())
            j = len(sa & sb) / len(sa | sb) if sa | sb else 0.0
            if j > best_j:
                best, best_j = a, j
        if best is None or best_j < jaccard:
            comparison.new.append(b)
            continue
        matched_old.add(best.pk)
        if best_j == 1.0:
            comparison.same.append((best, b))
        else:
            comparison.changed.append((best, b, best_j))
    comparison.gone = [a for a in old if a.pk not in matched_old]
    return comparison


def can_run(user: User) -> bool:
    return can_write(user) and user.is_national
