from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khoosheh.accounts.models import Role
from khoosheh.accounts.scoping import (
    can_change_province,
    get_visible_or_404,
    province_scope,
    require_overview,
)
from khoosheh.core.text import in_persian_order
from khoosheh.registry.models import Province
from khoosheh.registry.selectors import visible_units
from khoosheh.web.actions import submit
from khoosheh.web.paging import page_of
from khoosheh.web.params import id_param, province_param, year_param

from . import jobs, services
from .forms import NameForm, RejectForm, RunForm
from .models import Candidate, IdentificationRun
from .selectors import visible_candidates, visible_clusters


@login_required
def cluster_list(request):
    clusters = visible_clusters(request.user).select_related("activity", "province", "county")
    # Only a province named is a filter (a provincial user's list is theirs anyway); naming another is 403.
    province = (province_param(request) or "") if request.GET.get("province") else ""
    year = request.GET.get("year", "")
    # The year cards count the province named, as the heading says; the table by province stays national.
    in_province = clusters.filter(province_id=province) if province else clusters
    shown = in_province.filter(identified_year=year_param(request)) if year else in_province
    by_year = in_province.values("identified_year").annotate(n=Count("id")).order_by("identified_year")
    by_province = (clusters.values("province_id", "province__name_fa", "province__name_en")
                   .annotate(n=Count("id")).order_by("-n"))
    years = [row["identified_year"] for row in by_year]
    table = {(r["province_id"], r["identified_year"]): r["n"] for r in
             clusters.values("province_id", "identified_year").annotate(n=Count("id"))}
    return render(request, "clusters/cluster_list.html", {
        "clusters": page_of(request, shown), "n_shown": shown.count(), "by_year": by_year, "years": years,
        "by_province": [{**row, "per_year": [table.get((row["province_id"], y), 0) for y in years]}
                        for row in by_province],
        "provinces": in_persian_order(Province.objects.filter(code__in=clusters.values("province_id"))),
        "selected_province": province, "selected_year": year,
        "province": Province.objects.filter(code=province).first() if province else None,  # for the heading
        "empty_message": _no_clusters_message(request.user, filtered=bool(province or year)),
    })


def _no_clusters_message(user, *, filtered: bool) -> str:
    """What an empty list tells this reader: advice they can follow (only national staff run an
    identification; provincial staff review its candidates; the others only read)."""
    if filtered:
        return _("No confirmed cluster for this province and year.")
    if services.can_run(user):
        return _("No confirmed cluster yet: run an identification and review its candidates.")
    if user.role == Role.CLUSTER_AGENT:
        return _("No cluster has been given to you to develop yet.")
    if user.role == Role.PROVINCIAL:
        return _("No confirmed cluster in your province yet: once national staff run an identification, "
                 "you review its candidates here.")
    return _("No industrial cluster has been confirmed yet.")


@login_required
def cluster_detail(request, pk: int):
    cluster = get_visible_or_404(visible_clusters(request.user).select_related("activity", "province", "county"),
                                pk=pk)
    return _cluster_page(request, cluster)


def _cluster_page(request, cluster, name_form: NameForm | None = None):
    """A cluster's page; ``name_form`` the refused rename, shown again with its error under the box (200)."""
    members = visible_units(request.user, cluster.members.select_related("county", "activity"))
    points = [{"lat": u.location[0], "lon": u.location[1], "name": u.name, "url": u.pk,
               "by_county": u.lat is None} for u in members]
    return render(request, "clusters/cluster_detail.html", {
        "cluster": cluster, "members": members, "points_json": json.dumps(points, ensure_ascii=False),
        "extent_json": json.dumps({"lat": cluster.lat, "lon": cluster.lon, "extent_km": cluster.extent_km,
                                   "stars": cluster.stars, "label": cluster.name}, ensure_ascii=False),
        "can_change": can_change_province(request.user, cluster.province_id),
        "name_form": name_form or NameForm(initial={"name": cluster.name}),
    })


@login_required
@require_POST
def cluster_rename(request, pk: int):
    cluster = get_visible_or_404(visible_clusters(request.user).select_related("activity", "province", "county"),
                                pk=pk)
    form = NameForm(request.POST)
    return submit(request, form, lambda d: services.rename(cluster, request.user, d["name"]), _("Renamed."),
                  then=reverse("clusters:cluster_detail", args=[cluster.pk]),
                  refused=lambda: _cluster_page(request, cluster, form))


@login_required
def run_list(request):
    require_overview(request.user)  # runs compare the whole country's candidates
    form = RunForm(request.POST or None)
    can_run = services.can_run(request.user)
    if request.method == "POST":
        if not can_run:
            raise PermissionDenied
        if form.is_valid():
            # A worker runs it (seconds to minutes at national scale); the job page follows it.
            job = jobs.start(request.user, form.params(), note=form.cleaned_data["note"])
            return redirect("jobs:detail", pk=job.pk)
    runs = IdentificationRun.objects.select_related("created_by")
    return render(request, "clusters/run_list.html", {"runs": runs, "form": form, "can_run": can_run})


@login_required
def run_detail(request, pk: int):
    require_overview(request.user)  # runs compare the whole country's candidates
    run = get_object_or_404(IdentificationRun, pk=pk)
    candidates = visible_candidates(request.user, run).select_related("activity", "province", "county", "cluster")
    review = request.GET.get("review", "")
    if review in Candidate.Review.values:
        candidates = candidates.filter(review=review)
    totals = visible_candidates(request.user, run).aggregate(
        **{value: Count("id", filter=Q(review=value)) for value in Candidate.Review.values})
    counts = [(value, Candidate.Review(value).label, totals[value]) for value in Candidate.Review.values]
    n_visible = sum(totals.values())  # a provincial reader's share of the run, not the country's total
    page = page_of(request, candidates)
    candidates = list(page)
    # A pending candidate that is an already confirmed cluster seen again is offered as its update.
    matches = services.existing_clusters_for([c for c in candidates if c.review == Candidate.Review.PENDING])
    for c in candidates:
        c.existing, c.existing_jaccard = matches.get(c.pk, (None, None))
    return render(request, "clusters/run_detail.html", {
        "run": run, "candidates": candidates, "page": page, "counts": counts, "review": review, "n_visible": n_visible,
        "can_review": province_scope(request.user) is not None or request.user.is_national,
        "reject_form": RejectForm(), "other_runs": IdentificationRun.objects.exclude(pk=run.pk)[:20],
    })


@login_required
def candidate_detail(request, pk: int):
    """A candidate reviewed by what it is: its figures, its members and where they are."""
    candidate = get_visible_or_404(visible_candidates(request.user).select_related(
        "activity", "province", "county", "run", "cluster"), pk=pk)
    members = visible_units(request.user, candidate.members.select_related("county", "activity"))
    points = [{"lat": u.location[0], "lon": u.location[1], "name": u.name, "by_county": u.lat is None}
              for u in members]
    existing = services.existing_clusters_for([candidate]).get(candidate.pk) \
        if candidate.review == Candidate.Review.PENDING else None
    return render(request, "clusters/candidate_detail.html", {
        "c": candidate, "members": page_of(request, members), "points": points,
        "extent": {"lat": candidate.lat, "lon": candidate.lon, "extent_km": candidate.extent_km,
                   "stars": candidate.stars, "label": candidate.code},
        "existing": existing[0] if existing else None, "existing_jaccard": existing[1] if existing else None,
        "can_review": can_change_province(request.user, candidate.province_id),
    })


def _candidate(request, pk):
    return get_visible_or_404(visible_candidates(request.user), pk=pk)


@login_required
@require_POST
def candidate_review(request, pk: int):
    require_overview(request.user)  # runs compare the whole country's candidates
    candidate = _candidate(request, pk)
    action = request.POST.get("action")
    try:
        if action == "confirm":
            cluster = services.confirm(candidate, request.user, name=request.POST.get("name", ""))
            messages.success(request, _("Confirmed as “%(name)s”.") % {"name": cluster.name})
        elif action == "update":
            cluster = get_visible_or_404(visible_clusters(request.user), pk=request.POST.get("cluster"))
            services.update_cluster(candidate, cluster, request.user)
            messages.success(request, _("“%(name)s” updated from this run.") % {"name": cluster.name})
        elif action == "reject":
            services.reject(candidate, request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("Rejected."))
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("clusters:run_detail", pk=candidate.run_id)


@login_required
@require_POST
def candidates_merge(request, pk: int):
    require_overview(request.user)  # runs compare the whole country's candidates
    run = get_object_or_404(IdentificationRun, pk=pk)
    chosen = list(visible_candidates(request.user, run).filter(pk__in=request.POST.getlist("candidate"))
                  .select_related("activity", "county"))
    try:
        cluster = services.merge(chosen, request.user, name=request.POST.get("name", ""))
        messages.success(request, _("Merged into “%(name)s”.") % {"name": cluster.name})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("clusters:run_detail", pk=run.pk)


@login_required
def run_compare(request):
    require_overview(request.user)  # runs compare the whole country's candidates
    older = get_object_or_404(IdentificationRun, pk=id_param(request, "a"))
    newer = get_object_or_404(IdentificationRun, pk=id_param(request, "b"))
    comparison = services.compare_runs(older, newer)
    scope = province_scope(request.user)
    if scope:
        keep = lambda c: c.province_id == scope  # noqa: E731
        comparison.new = [c for c in comparison.new if keep(c)]
        comparison.gone = [c for c in comparison.gone if keep(c)]
        comparison.changed = [t for t in comparison.changed if keep(t[1])]
        comparison.same = [t for t in comparison.same if keep(t[1])]
    # Each candidate of either run next to the confirmed cluster it is (or overlaps), so the comparison
    # leads to the clusters officials work with rather than to run-local codes.
    shown = comparison.new + comparison.gone + [x for t in comparison.changed + comparison.same for x in t[:2]]
    visible = set(visible_clusters(request.user).values_list("pk", flat=True))
    clusters = {pk: cluster for pk, (cluster, _j) in services.existing_clusters_for(shown).items()
                if cluster.pk in visible}
    for c in shown:
        c.existing = clusters.get(c.pk)
    return render(request, "clusters/run_compare.html", {"older": older, "newer": newer, "c": comparison})

