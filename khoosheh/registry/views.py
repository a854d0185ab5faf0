from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khoosheh.accounts.scoping import can_change_province, can_write, get_visible_or_404, province_scope
from khoosheh.core.text import in_persian_order
from khoosheh.core.unitfile.columns import BY_NAME
from khoosheh.core.unitfile.header import missing_required, peek_file
from khoosheh.web import sources
from khoosheh.web.actions import attempt, submit

from . import mappings, services, uploads
from .exporting import export_units
from .filters import UnitFilter
from .forms import MappingForm, StatusChangeForm, UploadForm
from .models import Activity, County, IndustrialPark, ProductionUnit, Province
from .selectors import visible_mappings, visible_units

PAGE_SIZE = 50


def scoped_filter(request) -> UnitFilter:
    """The list's filters (UnitFilter.scoped): the province pinned for province-bound users, so the page shows
    what the export and counts use; another province's province, county or park is 403, an unknown one 400."""
    try:
        return UnitFilter.scoped(request.user, request.GET)
    except ValidationError as exc:
        raise BadRequest(exc.messages[0]) from None


@login_required
def unit_list(request):
    unit_filter = scoped_filter(request)
    scope = province_scope(request.user)
    units = unit_filter.apply(visible_units(request.user)).select_related("activity", "county", "province", "park")
    page = Paginator(units.only("id", "name", "national_id", "status", "employees", "activity__code",
                                "activity__title_fa", "activity__title_en", "county__name_fa",
                                "county__name_en", "province__name_fa", "province__name_en", "park__name"),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/unit_list.html", {
        "page": page,
        "filter": unit_filter,
        "province": Province.objects.filter(code=unit_filter.province).first() if unit_filter.province else None,
        "provinces": in_persian_order(Province.objects.all() if scope is None else Province.objects.filter(code=scope)),
        "counties": in_persian_order(County.objects.filter(province_id=unit_filter.province))
        if unit_filter.province else [],
        "parks": (IndustrialPark.objects.filter(county_id=unit_filter.county) if unit_filter.county
                  else IndustrialPark.objects.filter(county__province_id=unit_filter.province)
                  if unit_filter.province else []),
        "activities": Activity.objects.filter(level__in=["division", "class"], code__regex=r"^(1|2|3[0-3])"),
        "statuses": ProductionUnit._meta.get_field("status").choices,
        "province_locked": scope is not None,
        "can_import": can_write(request.user),
        "county_map": _county_points(units, unit_filter.county),
    })


COUNTY_MAP_LIMIT = 5000


def _county_points(units, county: str) -> dict | None:
    """With a county chosen, its (filtered) units for a point map: own coordinates, or else the seat."""
    if not county:
        return None
    seat = County.objects.filter(code=county).values_list("lat", "lon").first()
    if seat is None:
        return None
    rows = units.order_by().values_list("pk", "name", "lat", "lon")[:COUNTY_MAP_LIMIT + 1]
    points = [{"lat": lat if lat is not None else seat[0], "lon": lon if lon is not None else seat[1],
               "name": name, "url": reverse("registry:unit_detail", args=[pk]), "by_county": lat is None}
              for pk, name, lat, lon in rows[:COUNTY_MAP_LIMIT]]
    return {"points": points, "truncated": len(rows) > COUNTY_MAP_LIMIT, "limit": COUNTY_MAP_LIMIT}


@login_required
def unit_detail(request, pk: int):
    unit = get_visible_or_404(visible_units(request.user).select_related(
        "activity", "county", "province", "park"), pk=pk)
    return _unit_page(request, unit)


def _unit_page(request, unit: ProductionUnit, status_form: StatusChangeForm | None = None) -> HttpResponse:
    """A unit's page; ``status_form`` the refused status change, shown again with its errors (status 200)."""
    can_change = can_change_province(request.user, unit.province_id)
    history = list(unit.status_changes.select_related("changed_by"))
    if can_change and status_form is None:
        status_form = StatusChangeForm(initial={"status": unit.status})
    return render(request, "registry/unit_detail.html", {
        "unit": unit,
        "history": history,
        # A source (a project, a case) is a link only when this reader may open it.
        "may_open": sources.openable(request.user, [h.source for h in history]),
        "can_change": can_change,
        # Unit owners keep their own profile too; the SPX service checks again.
        "can_edit_profile": can_change or request.user.units.filter(pk=unit.pk).exists(),
        "status_form": status_form if can_change else None,
    })


@login_required
@require_POST
def unit_change_status(request, pk: int):
    unit = get_visible_or_404(visible_units(request.user).select_related(
        "activity", "county", "province", "park"), pk=pk)
    if not can_change_province(request.user, unit.province_id):
        raise PermissionDenied
    form = StatusChangeForm(request.POST)
    return submit(request, form,
                  lambda d: services.change_status(unit, d["status"], user=request.user, reason=d["reason"]),
                  lambda changed: _("Status changed.") if changed else _("The status was already that."),
                  then=reverse("registry:unit_detail", args=[unit.pk]),
                  refused=lambda: _unit_page(request, unit, form))


@login_required
def unit_export(request):
    """The filtered list, as the user may see it, in the unit-file contract."""
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("xlsx", "csv"):
        raise Http404
    units = scoped_filter(request).apply(visible_units(request.user))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"units.{fmt}"
        export_units(path, units, language="en" if request.LANGUAGE_CODE == "en" else "fa")
        data = path.read_bytes()
    content_type = ("text/csv; charset=utf-8" if fmt == "csv"
                    else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="khoosheh-units.{fmt}"'
    return response


@login_required
def unit_import(request):
    """The file is kept and imported by a worker; the page answers at once and follows the job.
    A file whose headers miss a required column goes through the mapping step first, unless a
    mapping remembered for the same headers reads it."""
    if not can_write(request.user):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        pending = {"file": uploads.keep_upload(upload), "name": upload.name,
                   "dry_run": form.cleaned_data["dry_run"], "skip_invalid": form.cleaned_data["skip_invalid"]}
        reading = mappings.reading_for(peek_file(uploads.kept_path(pending["file"])), request.user,
                                       by_hand=form.cleaned_data["choose_columns"])
        if not reading.ask:
            return _import_pending(request, pending, reading.mapping)
        token = Path(pending["file"]).stem
        request.session[PENDING_IMPORTS] = {**request.session.get(PENDING_IMPORTS, {}), token: pending}
        return redirect("registry:unit_import_map", token=token)
    return render(request, "registry/unit_import.html", {"form": form})


@login_required
def mapping_list(request):
    """The column mappings saved on the mapping step, in the reader's scope, each as contract column ← the file's
    header, with who saved it and when."""
    if not can_write(request.user):
        raise PermissionDenied
    saved = visible_mappings(request.user).order_by("-saved_at", "-id")
    rows = [(m, [(BY_NAME[name].header_fa, header) for name, header in m.mapping.items() if name in BY_NAME])
            for m in saved[:500]]
    return render(request, "registry/mapping_list.html", {"rows": rows, "national": request.user.is_national})


@login_required
@require_POST
def mapping_delete(request, pk: int):
    saved = get_visible_or_404(visible_mappings(request.user), pk=pk)
    attempt(request, lambda: mappings.forget(saved, request.user),
            _("Mapping deleted: the next file with those headers will ask for its columns again."))
    return redirect("registry:mapping_list")


PENDING_IMPORTS = "pending_imports"  # session key: uploads waiting on the mapping step, by token


@login_required
def unit_import_map(request, token: str):
    """The mapping step: contract columns ← the file's columns, with the first rows shown."""
    if not can_write(request.user):
        raise PermissionDenied
    pending = request.session.get(PENDING_IMPORTS, {}).get(token)
    if pending is None:
        # Pending uploads live in the uploader's session: after logging in again, or for another user's link, it
        # is gone (and another user's upload must never be shown).  Say so and send them back to upload it again,
        # rather than a bare "page not found".
        messages.warning(request, _("This upload has expired or belongs to another session; "
                                    "please upload the file again."))
        return redirect("registry:unit_import")
    top = peek_file(uploads.kept_path(pending["file"]))
    if top is None:
        return _import_pending(request, pending, token=token)  # unreadable after all: the job says why
    saved = mappings.remembered(top.headers, request.user)
    form = MappingForm(top.columns, request.POST or None, remembered=saved.mapping if saved else None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["remember"]:
            mappings.remember(top.headers, form.mapping(), request.user)
        return _import_pending(request, pending, form.mapping(), token=token)
    return render(request, "registry/unit_import_map.html", {
        "form": form, "top": top, "file_name": pending["name"],
        "missing": [BY_NAME[name].header_fa for name in missing_required(top.headers)],
        "saved": saved})


def _import_pending(request, pending: dict, mapping: dict[str, str] | None = None, *, token: str = ""):
    job = uploads.submit_kept(pending["file"], pending["name"], request.user, dry_run=pending["dry_run"],
                              skip_invalid=pending["skip_invalid"], mapping=mapping)
    if token:
        request.session[PENDING_IMPORTS] = {k: v for k, v in request.session.get(PENDING_IMPORTS, {}).items()
                                            if k != token}
    return redirect("jobs:detail", pk=job.pk)


@login_required
def import_template(request):
    """An empty XLSX in the contract with drop-down lists from the reference tables."""
    from khoosheh.core.unitfile.writers import write_template

    from .importing import reference_from_db

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "template.xlsx"
        write_template(path, reference_from_db())
        data = path.read_bytes()
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="khoosheh-units-template.xlsx"'
    return response


@login_required
def import_sample(request):
    path = Path(__file__).parent / "samples" / "units-sample.csv"
    return FileResponse(path.open("rb"), as_attachment=True, filename="khoosheh-units-sample.csv",
                        content_type="text/csv; charset=utf-8")
