"""The "management" pages: national staff's users and roles, parks, exhibitions (portal/administration.py does
the work and audits it); and, for national and provincial staff, which units an owner's account keeps and which
clusters an agent's facilitates (portal/links.py, province-scoped)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from khoosheh.accounts.models import Role, User
from khoosheh.accounts.passwords import MinimumLengthValidator
from khoosheh.accounts.scoping import can_change_province, get_visible_or_404
from khoosheh.clusters.selectors import visible_clusters
from khoosheh.core.jalali import format_jalali
from khoosheh.registry.fields import CountyField, ProvinceField, park_choices
from khoosheh.registry.models import IndustrialPark
from khoosheh.registry.selectors import visible_units
from khoosheh.spx.models import Exhibition
from khoosheh.web.actions import attempt, submit
from khoosheh.web.fields import ClockField, FloatField, IntegerField, JalaliDateField
from khoosheh.web.paging import page_of

from . import administration, links, selectors


class UserForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=150, required=False)
    password = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput(attrs={"minlength": 8}))
    # Starts at "—": a new account that opened at the first role was national staff, the widest one.
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=[("", "—"), *Role.choices])
    province = ProvinceField(label=gettext_lazy("Province"), required=False, empty_label="—")
    parks = forms.MultipleChoiceField(label=gettext_lazy("Parks it runs (industrial-parks company)"), required=False,
                                      choices=park_choices, widget=forms.SelectMultiple(attrs={"data-search": "1"}))
    is_active = forms.BooleanField(label=gettext_lazy("Active"), required=False, initial=True)

    def clean_password(self) -> str:
        # The length rule of every password page, in its words and the reader's digits (not the form
        # field's min_length, whose message shows «8» and «3»).
        password = self.cleaned_data["password"]
        MinimumLengthValidator().validate(password)
        return password


class ChangeUserForm(UserForm):
    """An account's form; the parks it runs only for a parks company's account (by its saved role: an owner's or
    an agent's page has no parks to choose, and one turned into a parks company gets the list once saved)."""

    def __init__(self, *args, saved_role: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["username"], self.fields["password"]
        if saved_role != Role.PARKS_COMPANY:
            del self.fields["parks"]


class ParkForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=150)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=[("", "—"), *IndustrialPark.Kind.choices])
    county = CountyField(label=gettext_lazy("County"))
    # Iran with a margin: a point beyond it is a typo (a latitude for a longitude, a digit dropped), said so.
    lat = FloatField(label=gettext_lazy("Latitude"), required=False, min_value=24, max_value=40.5,
                     out_of_range=gettext_lazy("This point is outside Iran: Iran's latitudes run from %(low)s "
                                               "to %(high)s degrees north."))
    lon = FloatField(label=gettext_lazy("Longitude"), required=False, min_value=43.5, max_value=64,
                     out_of_range=gettext_lazy("This point is outside Iran: Iran's longitudes run from %(low)s "
                                               "to %(high)s degrees east."))


class ExhibitionForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    city = forms.CharField(label=gettext_lazy("City"), max_length=100)
    # Required, as the model's is, and starts empty: a preselected first province was saved unnoticed.
    province = ProvinceField(label=gettext_lazy("Province"), empty_label="—")
    starts_on = JalaliDateField(label=gettext_lazy("Starts"))
    slots = IntegerField(label=gettext_lazy("Meeting slots"), min_value=1, max_value=40, initial=10)
    tables = IntegerField(label=gettext_lazy("Tables"), min_value=1, max_value=500, initial=50)
    day_starts_at = ClockField(label=gettext_lazy("First meeting at"), initial=dt.time(9, 0))
    slot_minutes = IntegerField(label=gettext_lazy("Minutes per meeting"), min_value=5, max_value=120, initial=20)


def _national(request):
    if not request.user.is_national:
        raise PermissionDenied


def _linker(request):
    """National staff, and provincial staff for the owners' and agents' links (links.may_link)."""
    if not links.may_link(request.user):
        raise PermissionDenied


@login_required
def index(request):
    _linker(request)
    national = request.user.is_national
    return render(request, "portal/manage.html", {
        "users": page_of(request, selectors.managed_accounts(request.user)), "national": national,
        "parks": IndustrialPark.objects.select_related("county").order_by("name")[:500] if national else [],
        "exhibitions": Exhibition.objects.select_related("province") if national else [],
    })


def _edit(request, form, save, success: str, template_context: dict, then=lambda value: reverse("manage")):
    """A management form: shown; or submitted, saved and back to ``then(saved record)``; or refused in place,
    the service's reason in the form's summary (web.actions.submit), nothing saved."""
    page = lambda: render(request, "portal/manage_edit.html", {"form": form, **template_context})  # noqa: E731
    if request.method != "POST":
        return page()
    return submit(request, form, save, success, then=then, refused=page)


def _after_create(person: User):
    # An owner or an agent is of no use before their units or clusters are linked: go on to that step.
    return reverse("manage_user", args=[person.pk]) if person.role in links.LINKED_ROLES else reverse("manage")


@login_required
def user_edit(request, pk: int | None = None):
    _linker(request)
    person = get_object_or_404(selectors.managed_accounts(request.user), pk=pk) if pk else None
    title = f"{person.first_name} ({person.username})" if person and person.first_name else person or _("New user")
    # account_form: the note that an owner's units or an agent's clusters are linked on the next page.
    context = {"title": title, "record": person, "person": person, "account_form": True,
               **_links_context(request, person)}
    if not request.user.is_national:
        # Provincial staff keep the links only; the account itself (role, province, active) is national staff's.
        if person is None or request.method == "POST":
            raise PermissionDenied
        # Nor the account's history, which names every province's units.
        return render(request, "portal/manage_edit.html", {**context, "record": None, "person": person})
    if person is None:
        form = UserForm(request.POST or None)
        save = lambda d: administration.create_user(  # noqa: E731
            request.user, username=d["username"], password=d["password"], role=d["role"],
            province=d["province"] or None, full_name=d["full_name"], parks=d["parks"])
        return _edit(request, form, save, _("User saved."), context, then=_after_create)
    parks = [str(p) for p in person.parks.values_list("pk", flat=True)]
    form = ChangeUserForm(request.POST or None, saved_role=person.role, initial={
        "full_name": person.first_name, "role": person.role, "province": person.province_id,
        "is_active": person.is_active, "parks": parks})
    save = lambda d: administration.change_user(  # noqa: E731
        request.user, person, role=d["role"], province=d["province"] or None, is_active=d["is_active"],
        full_name=d["full_name"], parks=d.get("parks", parks))  # no list shown: the parks stay as they were
    return _edit(request, form, save, _("User saved."), context)


def _links_context(request, person: User | None) -> dict:
    """An owner's units or an agent's clusters, each with whether this reader may unlink it, and the search."""
    if person is None or person.role not in links.LINKED_ROLES:
        return {}
    query = request.GET.get("q", "")
    if person.role == Role.UNIT_OWNER:
        linked, search = person.units.select_related("province").order_by("name"), selectors.unit_search
    else:
        linked, search = selectors.linked_clusters(person), selectors.cluster_search
    # Another province's links are counted, not named: a provincial reader sees no other province's units.
    mine = [r for r in linked if can_change_province(request.user, r.province_id)]
    # What is linked already is not offered again; one more than the limit tells whether the limit was hit.
    found = search(request.user, query, unlinked_from=person, limit=selectors.SEARCH_LIMIT + 1)
    return {"link_kind": "units" if person.role == Role.UNIT_OWNER else "clusters", "q": query,
            "linked": mine, "linked_elsewhere": len(linked) - len(mine),
            "found": found[:selectors.SEARCH_LIMIT], "more_found": len(found) > selectors.SEARCH_LIMIT,
            "search_limit": selectors.SEARCH_LIMIT}


_LINKS = {
    "units": (visible_units, links.link_unit, links.unlink_unit),
    "clusters": (visible_clusters, links.link_cluster, links.unlink_cluster),
}


@login_required
@require_POST
def user_link(request, pk: int, kind: str):
    """Link or unlink one unit (or cluster): the record is looked up in the reader's scope, and the service checks
    the province again."""
    _linker(request)
    person = get_object_or_404(selectors.managed_accounts(request.user), pk=pk)
    scoped, link, unlink = _LINKS[kind]
    record = get_visible_or_404(scoped(request.user), pk=request.POST.get("record", ""))
    if request.POST.get("action") == "unlink":
        attempt(request, lambda: unlink(request.user, person, record), _("Link removed."))
    else:
        attempt(request, lambda: link(request.user, person, record), _("Linked."))
    query = request.POST.get("q", "")
    return redirect(reverse("manage_user", args=[person.pk]) + (f"?{urlencode({'q': query})}" if query else ""))


@login_required
def park_edit(request, pk: int | None = None):
    _national(request)
    park = get_object_or_404(IndustrialPark, pk=pk) if pk else None
    initial = {"name": park.name, "kind": park.kind, "county": park.county_id, "lat": park.lat,
               "lon": park.lon} if park else None
    form = ParkForm(request.POST or None, initial=initial)
    return _edit(request, form, lambda d: administration.save_park(request.user, park, **d), _("Park saved."),
                 {"title": park or _("New industrial park"), "record": park})


@login_required
def exhibition_edit(request, pk: int | None = None):
    _national(request)
    exhibition = get_object_or_404(Exhibition, pk=pk) if pk else None
    initial = {"province": request.user.province_id}  # a new one: the person's own province, if they have one
    if exhibition:
        initial = {k: getattr(exhibition, k) for k in ExhibitionForm.base_fields}
        initial.update(province=exhibition.province_id,
                       starts_on=format_jalali(exhibition.starts_on))
    form = ExhibitionForm(request.POST or None, initial=initial)
    return _edit(request, form, lambda d: administration.save_exhibition(request.user, exhibition, **d),
                 _("Exhibition saved."), {"title": exhibition or _("New exhibition"), "record": exhibition})
