"""The "management" pages for national staff: users and roles, parks, exhibitions (portal/administration.py
does the work and audits it)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khoosheh.accounts.models import Role, User
from khoosheh.accounts.passwords import MinimumLengthValidator
from khoosheh.core.jalali import format_jalali
from khoosheh.registry.fields import CountyField, ProvinceField, park_choices
from khoosheh.registry.models import IndustrialPark
from khoosheh.spx.models import Exhibition
from khoosheh.web.actions import attempt
from khoosheh.web.fields import JalaliDateField
from khoosheh.web.paging import page_of

from . import administration


class UserForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=150, required=False)
    password = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput(attrs={"minlength": 8}))
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)
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
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["username"], self.fields["password"]


class ParkForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=150)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=IndustrialPark.Kind.choices)
    county = CountyField(label=gettext_lazy("County"))
    lat = forms.FloatField(label=gettext_lazy("Latitude"), required=False, min_value=24, max_value=40.5)
    lon = forms.FloatField(label=gettext_lazy("Longitude"), required=False, min_value=43.5, max_value=64)


class ExhibitionForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    city = forms.CharField(label=gettext_lazy("City"), max_length=100)
    # Required, as the model's is, and starts empty: a preselected first province was saved unnoticed.
    province = ProvinceField(label=gettext_lazy("Province"), empty_label="—")
    starts_on = JalaliDateField(label=gettext_lazy("Starts"))
    slots = forms.IntegerField(label=gettext_lazy("Meeting slots"), min_value=1, max_value=40, initial=10)
    tables = forms.IntegerField(label=gettext_lazy("Tables"), min_value=1, max_value=500, initial=50)
    day_starts_at = forms.TimeField(label=gettext_lazy("First meeting at"), initial="09:00",
                                    widget=forms.TimeInput(attrs={"type": "time"}))
    slot_minutes = forms.IntegerField(label=gettext_lazy("Minutes per meeting"), min_value=5, max_value=120,
                                      initial=20)


def _national(request):
    if not request.user.is_national:
        raise PermissionDenied


@login_required
def index(request):
    _national(request)
    return render(request, "portal/manage.html", {
        "users": page_of(request, User.objects.select_related("province").order_by("username")),
        "parks": IndustrialPark.objects.select_related("county").order_by("name")[:500],
        "exhibitions": Exhibition.objects.select_related("province"),
        "user_form": UserForm(), "park_form": ParkForm(), "exhibition_form": ExhibitionForm(),
    })


def _edit(request, form, save, success: str, template_context: dict):
    if request.method == "POST" and form.is_valid() and attempt(request, lambda: save(form.cleaned_data), success):
        return redirect("manage")
    return render(request, "portal/manage_edit.html", {"form": form, **template_context})


@login_required
def user_edit(request, pk: int | None = None):
    _national(request)
    person = get_object_or_404(User, pk=pk) if pk else None
    if person is None:
        form = UserForm(request.POST or None)
        save = lambda d: administration.create_user(  # noqa: E731
            request.user, username=d["username"], password=d["password"], role=d["role"],
            province=d["province"] or None, full_name=d["full_name"], parks=d["parks"])
    else:
        form = ChangeUserForm(request.POST or None, initial={
            "full_name": person.first_name, "role": person.role, "province": person.province_id,
            "is_active": person.is_active, "parks": [str(p) for p in person.parks.values_list("pk", flat=True)]})
        save = lambda d: administration.change_user(  # noqa: E731
            request.user, person, role=d["role"], province=d["province"] or None, is_active=d["is_active"],
            full_name=d["full_name"], parks=d["parks"])
    return _edit(request, form, save, _("User saved."), {"title": person or _("New user"), "record": person})


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
                       starts_on=format_jalali(exhibition.starts_on, persian_digits=False))
    form = ExhibitionForm(request.POST or None, initial=initial)
    return _edit(request, form, lambda d: administration.save_exhibition(request.user, exhibition, **d),
                 _("Exhibition saved."), {"title": exhibition or _("New exhibition"), "record": exhibition})
