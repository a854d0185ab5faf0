from django import forms
from django.utils.translation import gettext_lazy as _

from khoosheh.portal.fields import JalaliDateField

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
    name = forms.CharField(label=_("Name"), max_length=200)
    members = forms.CharField(label=_("Member units (national IDs, one per line or comma-separated)"),
                              widget=forms.Textarea(attrs={"rows": 3, "dir": "ltr"}))
    products_hs = forms.CharField(label=_("Products (HS codes)"), required=False)
    target_markets = forms.CharField(label=_("Target markets"), required=False)
    formed_on = JalaliDateField(label=_("Formed on"))


class ExportsForm(forms.Form):
    year = forms.IntegerField(label=_("Jalali year"), min_value=1300, max_value=1500)
    value_usd = forms.IntegerField(label=_("Exports (US dollars)"), min_value=0)


class TargetForm(forms.Form):
    year = forms.IntegerField(label=_("Jalali year"), min_value=1300, max_value=1500)
    indicator = forms.ChoiceField(label=_("Indicator"), choices=Indicator.choices)
    province = forms.CharField(label=_("Province code (empty: national)"), required=False, max_length=2)
    value = forms.IntegerField(label=_("Target"), min_value=0)
