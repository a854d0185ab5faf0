from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from khoosheh.core import reference
from khoosheh.core.text import fold_digits
from khoosheh.registry.fields import CountyField, ProvinceField
from khoosheh.registry.models import County
from khoosheh.web.fields import HsCodesField, IntegerField, JalaliDateField
from khoosheh.web.formatting import digits


def _persian() -> bool:
    return (get_language() or "fa").startswith("fa")


# Labels in the reader's language, chosen when the form is made (callables).
def PROCESS_CHOICES():  # noqa: N802 - used where a list of choices was
    return [(p.code, p.name_fa if _persian() else p.name_en) for p in reference.processes()]


def CERTIFICATION_CHOICES():  # noqa: N802
    names_fa = reference.certification_names_fa()
    return [(code, names_fa.get(code) or name if _persian() else name) for code, name in reference.certifications()]


class ProfileForm(forms.Form):
    processes = forms.MultipleChoiceField(label=_("Processes"), choices=PROCESS_CHOICES, required=False,
                                          widget=forms.CheckboxSelectMultiple)
    materials = forms.CharField(label=_("Materials (comma-separated)"), required=False)
    certifications = forms.MultipleChoiceField(label=_("Certifications"), choices=CERTIFICATION_CHOICES,
                                               required=False, widget=forms.CheckboxSelectMultiple)
    monthly_capacity = IntegerField(label=_("Capacity (pieces a month)"), min_value=0, required=False)
    lead_time_days = IntegerField(label=_("Lead time (days)"), min_value=0, required=False)
    products = forms.CharField(label=_("Products made"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    machines = forms.CharField(label=_("Machines: one a line, as kind, count, size or tonnage limit"),
                               required=False, widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("for example: پرس هیدرولیک، 2، 250 تن"))

    def clean_machines(self):
        # Each line is "kind, count[, limit]" (Persian or Latin commas, digits of any script); a line without a
        # count is refused, not guessed as one machine, and a limit with commas of its own is kept whole.
        machines = []
        for number, line in enumerate(self.cleaned_data["machines"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("،", ",").split(",")]
            where = {"n": digits(number), "line": line.strip()}
            if len(parts) < 2 or not parts[1]:
                raise forms.ValidationError(
                    _("Line %(n)s (“%(line)s”): the count is missing; write the number of machines after the kind "
                      "and a comma.") % where)
            count = fold_digits(parts[1])
            if not count.isdigit() or int(count) < 1:
                raise forms.ValidationError(
                    _("Line %(n)s (“%(line)s”): the count must be a whole number.") % where)
            machines.append((parts[0], int(count), "، ".join(p for p in parts[2:] if p)))
        return machines


def machines_text(machines) -> str:
    """A profile's machines as the machines box asks for them ("kind، count[، limit]" a line), so that saving
    the form unchanged keeps them as they are."""
    return "\n".join("، ".join([m.kind, digits(m.count), *([m.limit] if m.limit else [])]) for m in machines)


class EnquiryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("subcontracting", _("subcontracting enquiry")),
                                                       ("import_substitution", _("import substitution"))])
    buyer = forms.CharField(label=_("Buyer"), max_length=200)
    buyer_province = ProvinceField(label=_("Buyer's province"), required=False)
    buyer_county = CountyField(label=_("Buyer's county (distances are measured from its seat)"), required=False)
    title = forms.CharField(label=_("Part or product"), max_length=200)
    description = forms.CharField(label=_("Description and technical requirements"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    processes = forms.MultipleChoiceField(label=_("Required processes"), choices=PROCESS_CHOICES, required=False,
                                          widget=forms.CheckboxSelectMultiple)
    material = forms.CharField(label=_("Material"), required=False, max_length=100)
    quantity = IntegerField(label=_("Quantity"), min_value=1, required=False)
    tolerances = forms.CharField(label=_("Tolerances"), required=False, max_length=200)
    certifications = forms.MultipleChoiceField(label=_("Required certifications"), choices=CERTIFICATION_CHOICES,
                                               required=False, widget=forms.CheckboxSelectMultiple)
    deadline = JalaliDateField(label=_("Deadline"), required=False)
    hs_code = HsCodesField(label=_("HS code"), required=False, many=False)
    yearly_quantity = IntegerField(label=_("Yearly quantity imported"), min_value=0, required=False)
    imported_value_usd = IntegerField(label=_("Yearly imported value (US dollars)"), min_value=0,
                                            required=False)

    def clean(self):
        data = super().clean()
        county, province = data.get("buyer_county"), data.get("buyer_province")
        if county and province and not County.objects.filter(code=county, province_id=province).exists():
            self.add_error("buyer_county", _("This county is not in the buyer's province."))
        return data


class QuoteForm(forms.Form):
    value = IntegerField(label=_("Quote (rial)"), min_value=0)


class ContractForm(forms.Form):
    value = IntegerField(label=_("Contract (rial)"), min_value=0)
    on = JalaliDateField(label=_("Contract date"))
