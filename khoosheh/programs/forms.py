from django import forms
from django.utils.translation import gettext_lazy as _

from khoosheh.core.jalali import FIRST_YEAR, LAST_YEAR
from khoosheh.core.text import persian_sort_key
from khoosheh.registry.fields import ProvinceField
from khoosheh.web.fields import HsCodesField, JalaliDateField
from khoosheh.web.formatting import digits

from .models import Indicator, Intervention, JointAction, Phase, ProblemCategory


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(label=_("Move to phase"), choices=Phase.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class DevelopmentForm(forms.Form):
    action_plan = forms.CharField(label=_("Action plan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    diagnostic_study = forms.FileField(label=_("Diagnostic study (PDF)"), required=False)


class JointActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=JointAction.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    start_date = JalaliDateField(label=_("Start"))
    end_date = JalaliDateField(label=_("End"), required=False)
    budget = forms.IntegerField(label=_("Budget (rial)"), min_value=0, initial=0)


class DiagnosisForm(forms.Form):
    problems = forms.MultipleChoiceField(label=_("Problems"), choices=ProblemCategory.choices,
                                         widget=forms.CheckboxSelectMultiple)
    main_problem = forms.ChoiceField(label=_("Main problem"), choices=ProblemCategory.choices)
    note = forms.CharField(label=_("Diagnosis"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class InterventionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Intervention"), choices=Intervention.Kind.choices)
    amount = forms.IntegerField(label=_("Amount (rial)"), min_value=0, initial=0)
    date = JalaliDateField(label=_("Date"))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class FollowUpForm(forms.Form):
    date = JalaliDateField(label=_("Date"))
    note = forms.CharField(label=_("Follow-up"), max_length=500)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("revived", _("revived")),
                                                             ("closed_down", _("closed down")),
                                                             ("still_idle", _("still idle"))])
    on = JalaliDateField(label=_("Date"))
    jobs_restored = forms.IntegerField(label=_("Jobs restored"), min_value=0, initial=0)


class ProjectForm(forms.Form):
    physical_progress = forms.IntegerField(label=_("Physical progress (%)"), min_value=0, max_value=100)
    investment_made = forms.IntegerField(label=_("Investment made (million rial)"), min_value=0, initial=0)
    investment_needed = forms.IntegerField(label=_("Investment still needed (million rial)"), min_value=0, initial=0)
    financing_sources = forms.CharField(label=_("Financing sources"), required=False, max_length=300)
    blockers = forms.CharField(label=_("Blockers"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    expected_opening = JalaliDateField(label=_("Expected opening"), required=False)
    planned_jobs = forms.IntegerField(label=_("Jobs when open"), min_value=0, initial=0)


class OpeningForm(forms.Form):
    on = JalaliDateField(label=_("Opened on"))


class ConsortiumForm(forms.Form):
    """Members are ticked from the cluster's own units (name and national ID shown), never typed."""

    name = forms.CharField(label=_("Name"), max_length=200)
    members = forms.MultipleChoiceField(label=_("Member units"), widget=forms.CheckboxSelectMultiple(
        attrs={"class": "checklist"}))
    products_hs = HsCodesField(label=_("Products (HS codes)"), required=False)
    target_markets = forms.CharField(label=_("Target markets"), required=False)
    formed_on = JalaliDateField(label=_("Formed on"))

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {str(u.pk): u for u in units}
        self.fields["members"].choices = sorted(
            ((pk, f"{digits(u.name)} · {digits(u.national_id) or '—'}") for pk, u in self.units.items()),
            key=lambda c: persian_sort_key(c[1]))

    def clean_members(self):
        return [self.units[pk] for pk in self.cleaned_data["members"]]


class ExportsForm(forms.Form):
    year = forms.IntegerField(label=_("Jalali year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    value_usd = forms.IntegerField(label=_("Exports (US dollars)"), min_value=0)


class TargetForm(forms.Form):
    year = forms.IntegerField(label=_("Jalali year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    indicator = forms.ChoiceField(label=_("Indicator"), choices=Indicator.choices)
    province = ProvinceField(label=_("Province"), required=False, empty_label=_("National (every province)"))
    value = forms.IntegerField(label=_("Target"), min_value=0)
