from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khoosheh.accounts.scoping import (
    can_change_province,
    can_write,
    get_visible_or_404,
    province_scope,
)
from khoosheh.core import reference
from khoosheh.registry.fields import unit_label
from khoosheh.registry.selectors import visible_units
from khoosheh.web.actions import attempt
from khoosheh.web.formatting import digits
from khoosheh.web.paging import page_of
from khoosheh.web.params import year_param

from . import forms, services
from .models import CapabilityProfile, EnquiryMatch
from .selectors import visible_enquiries, visible_exhibitions


@login_required
def enquiry_list(request):
    enquiries = visible_enquiries(request.user).select_related("province")
    year = year_param(request)
    return render(request, "spx/enquiry_list.html", {
        "enquiries": enquiries[:300], "year": year, "report": services.report(visible_enquiries(request.user), year),
        "can_create": can_write(request.user),
    })


@login_required
def enquiry_new(request):
    if not can_write(request.user):  # refused before the form is filled in, not after
        raise PermissionDenied
    scope = province_scope(request.user)
    form = forms.EnquiryForm(request.POST or None, initial={"buyer_province": scope})
    if request.method == "POST" and form.is_valid():
        def create():
            data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
            # The buyer's place decides the enquiry's province and where distances are measured from;
            # provincial staff enter their own province's enquiries.
            county = data.pop("buyer_county", None)
            province = scope or data.pop("buyer_province", None) or (county[:2] if county else None)
            data.pop("buyer_province", None)
            if not province:
                raise ValidationError(_("Choose the buyer's province (or county)."))
            enquiry = services.create_enquiry(request.user, province_code=province, county_code=county, **data)
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
    unit = get_visible_or_404(visible_units(request.user), pk=unit_pk)
    if not services.can_edit_profile(request.user, unit):
        raise PermissionDenied
    profile = CapabilityProfile.objects.filter(unit=unit).first()
    initial = {}
    if profile:
        initial = {"processes": profile.processes, "materials": "، ".join(profile.materials),
                   "certifications": profile.certifications, "monthly_capacity": profile.monthly_capacity,
                   "lead_time_days": profile.lead_time_days, "products": profile.products,
                   "machines": forms.machines_text(profile.machines.order_by("pk"))}
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
        "exhibitions": visible_exhibitions(request.user)})


@login_required
def exhibition_detail(request, pk: int):
    exhibition = get_visible_or_404(visible_exhibitions(request.user), pk=pk)
    if request.method == "POST":
        attempt(request, lambda: services.build_schedule(exhibition, request.user), _("Schedule built."))
        return redirect("spx:exhibition_detail", pk=exhibition.pk)
    who = request.GET.get("participant")
    meetings = exhibition.meetings.select_related("looker__unit__county", "offerer__unit__county")
    if who and who.isdigit():
        meetings = meetings.filter(looker_id=who) | meetings.filter(offerer_id=who)
    # One participant's agenda is short and printed whole; everyone's schedule is paged.
    page = page_of(request, meetings.order_by("slot", "table"), per_page=1000 if who else 100)
    for meeting in page:
        meeting.starts, meeting.ends = exhibition.slot_times(meeting.slot)
        meeting.looker_name = _participant_name(meeting.looker)
        meeting.offerer_name = _participant_name(meeting.offerer)
    participants = {str(p.pk): p for p in exhibition.participants.select_related("unit__county")}
    participant = participants.get(who or "")
    return render(request, "spx/exhibition_detail.html", {
        "x": exhibition, "meetings": page, "page": page, "participant": participant,
        "participant_label": participant and _participant_label(participant),
        "participants": [(value, _participant_label(p)) for value, p in participants.items()], "who": who,
        "can_change": can_change_province(request.user, exhibition.province_id),
    })


def _participant_label(participant) -> str:
    """A participant as the agenda's list names it, with its kind: a unit as every list of units names one
    (registry.fields.unit_label), for several units of one name may come to an exhibition."""
    return f"{_participant_name(participant)} ({participant.get_kind_display()})"


def _participant_name(participant) -> str:
    """A unit as every list of units names one (registry.fields.unit_label); anyone else by the name given."""
    return unit_label(participant.unit) if participant.unit else digits(participant.name)
