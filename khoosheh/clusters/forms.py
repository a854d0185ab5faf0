from django import forms
from django.utils.translation import gettext_lazy as _

from khoosheh.analysis import IdentifyParams
from khoosheh.web.fields import FloatField, IntegerField

DEFAULTS = IdentifyParams()


class RunForm(forms.Form):
    distance_km = FloatField(label=_("Neighbourhood radius (km)"), initial=DEFAULTS.distance_km,
                                   min_value=0.5, max_value=50)
    min_units = IntegerField(label=_("Minimum units"), initial=DEFAULTS.min_units, min_value=2)
    min_employees = IntegerField(label=_("Minimum employees"), initial=DEFAULTS.min_employees, min_value=0)
    alpha = FloatField(label=_("Significance level"), initial=DEFAULTS.alpha, min_value=0.0001,
                             max_value=0.2)
    min_lq = FloatField(label=_("Minimum location quotient"), initial=DEFAULTS.min_lq, min_value=1)
    activity_level = forms.TypedChoiceField(label=_("Activity level"), coerce=int, initial=4, choices=[
        (4, _("ISIC class (4 digits)")), (3, _("ISIC group (3 digits)")), (2, _("ISIC division: related activities"))])
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def params(self) -> IdentifyParams:
        data = {k: v for k, v in self.cleaned_data.items() if k != "note"}
        return IdentifyParams(**data)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class NameForm(forms.Form):
    # Not required here: the service says what an empty name means (keyed to this field).
    name = forms.CharField(label=_("Rename"), max_length=200, required=False)
