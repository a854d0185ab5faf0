from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khoosheh.accounts.scoping import (
    can_change_province,
    get_visible_or_404,
    province_scope,
    scope_by_province,
    scope_units,
)
from khoosheh.core import reference
from khoosheh.core.jalali import jalali_year
from khoosheh.core.text import fold_digits
from khoosheh.portal.actions import attempt
from khoosheh.registry.models import ProductionUnit

from . import forms, services
from .models import CapabilityProfile, Enquiry, EnquiryMatch, Exhibition


def visible_enquiries(user):
    return scope_by_province(user, Enquiry.objects.all())


@login_required
def enquiry_list(request):
    enquiries = visible_enquiries(request.user).select_related("province")
    text = fold_digits(request.GET.get("year", ""))
    year = int(text) if text.isdigit() else jalali_year(timezone.localdate())
    return render(request, "spx/enquiry_list.html", {
        "enquiries": enquiries[:300], "year": year, "report": services.report(visible_enquiries(request.user), year),
        "can_create": province_scope(request.user) is not None or request.user.is_national,
    })


@login_required
def enquiry_new(request):
    form = forms.EnquiryForm(request.POST or None)
    province = province_scope(request.user) or request.POST.get("province") or request.GET.get("province", "23")
    if request.method == "POST" and form.is_valid():
        def create():
            data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
            enquiry = services.create_enquiry(request.user, province_code=province, **data)
            services.match_enquiry(enquiry, request.user)
            return enquiry

        enquiry = attempt(request, create, _("Enquiry saved and matched."))
        if enquiry:
            return redirect("spx:enquiry_detail", pk=enquiry.pk)
    return render(request, "spx/enquiry_new.html", {"form": form})


@login_required
def enquiry_detail(request, pk: int):
    enquiry = get_visible_or_404(visible_enquiries(request.user), pk=pk)
    names = {p.code: p.name_fa for p in reference.processes()}
    return render(request, "spx/enquiry_detail.html", {
        "e": enquiry, "matches": enquiry.matches.select_related("unit", "unit__county"),
        "process_names": [names.get(c, c) for c in enquiry.processes],
        "can_change": can_change_province(request.user, enquiry.province_id),
        "quote_form": forms.QuoteForm(), "contract_form": forms.ContractForm(),
    })


@login_required
@require_POST
def enquiry_action(request, pk: int):
    enquiry = get_visible_or_404(visible_enquiries(request.user), pk=pk)
    action = request.POST.get("action")
    if action == "rematch":
        attempt(request, lambda: services.match_enquiry(enquiry, request.user), _("Matched again."))
    elif action == "send":
        attempt(request, lambda: services.send_to_suppliers(enquiry, request.user, request.POST.getlist("match")),
             _("Sent to the chosen suppliers."))
    elif action in ("quote", "contract"):
        match = get_object_or_404(EnquiryMatch, pk=request.POST.get("match"), enquiry=enquiry)
        form = (forms.QuoteForm if action == "quote" else forms.ContractForm)(request.POST)
        if not form.is_valid():
            messages.error(request, form.errors.as_text())
        elif action == "quote":
            attempt(request, lambda: services.record_quote(match, request.user, value=form.cleaned_data["value"]),
                 _("Quote recorded."))
        else:
            attempt(request, lambda: services.record_contract(match, request.user, value=form.cleaned_data["value"],
                                                           on=form.cleaned_data["on"]), _("Contract recorded."))
    else:
        raise PermissionDenied
    return redirect("spx:enquiry_detail", pk=enquiry.pk)


@login_required
def profile_edit(request, unit_pk: int):
    unit = get_visible_or_404(scope_units(request.user, ProductionUnit.objects.all()), pk=unit_pk)
    if not services.can_edit_profile(request.user, unit):
        raise PermissionDenied
    profile = CapabilityProfile.objects.filter(unit=unit).first()
    initial = {}
    if profile:
        initial = {"processes": profile.processes, "materials": "، ".join(profile.materials),
                   "certifications": profile.certifications, "monthly_capacity": profile.monthly_capacity,
                   "lead_time_days": profile.lead_time_days, "products": profile.products,
                   "machines": "\n".join(f"{m.kind}، {m.count}، {m.limit}" for m in profile.machines.all())}
    form = forms.ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["materials"] = [m for m in data["materials"].replace("،", ",").split(",") if m.strip()]
        if attempt(request, lambda: services.save_profile(unit, request.user, **data), _("Profile saved.")):
            return redirect("registry:unit_detail", pk=unit.pk)
    return render(request, "spx/profile_edit.html", {"unit": unit, "form": form})


@login_required
def exhibition_list(request):
    return render(request, "spx/exhibition_list.html", {
        "exhibitions": scope_by_province(request.user, Exhibition.objects.all())})


@login_required
def exhibition_detail(request, pk: int):
    exhibition = get_visible_or_404(scope_by_province(request.user, Exhibition.objects.all()), pk=pk)
    if request.method == "POST":
        attempt(request, lambda: services.build_schedule(exhibition, request.user), _("Schedule built."))
        return redirect("spx:exhibition_detail", pk=exhibition.pk)
    who = request.GET.get("participant")
    meetings = exhibition.meetings.select_related("looker", "offerer")
    if who and who.isdigit():
        meetings = meetings.filter(looker_id=who) | meetings.filter(offerer_id=who)
    return render(request, "spx/exhibition_detail.html", {
        "x": exhibition, "meetings": meetings.order_by("slot", "table")[:600],
        "participants": exhibition.participants.all(), "who": who,
        "can_change": can_change_province(request.user, exhibition.province_id),
    })
