"""The portal's forms, made from the one description of each input (inputs.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from khoosheh.core.inputs import Description, Entry, Kind, document_refusal
from khoosheh.core.jalali import FIRST_YEAR, LAST_YEAR
from khoosheh.core.text import to_persian_digits
from khoosheh.registry.fields import ProvinceField, unit_choices
from khoosheh.web.fields import FilePicker, HsCodesField, IntegerField, JalaliDateField, TextListField

from . import inputs


def _text(entry: Entry, **common) -> forms.Field:
    if entry.many:
        return TextListField(item_max_length=entry.max_length, **common)
    widget = forms.Textarea(attrs={"rows": entry.rows}) if entry.rows else None
    return forms.CharField(max_length=entry.max_length, widget=widget, **common)


class Ticks(forms.MultipleChoiceField):
    """Ticks within the description's bounds (a consortium's three members at least), said under the list
    where they are ticked rather than by the service at the top of the page."""

    def __init__(self, *, min_items: int = 0, max_items: int | None = None, **kwargs):
        self.min_items, self.max_items = min_items, max_items
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and len(value) < self.min_items:
            raise forms.ValidationError(f"دست‌کم {to_persian_digits(self.min_items)} مورد را علامت بزنید")
        if self.max_items and len(value) > self.max_items:
            raise forms.ValidationError(f"بیش از {to_persian_digits(self.max_items)} مورد را نمی‌توان علامت زد")


class DocumentField(forms.FileField):
    """A PDF, refused under its box when it is none or too large (core.inputs.document_refusal, which the
    service checks again for every other caller)."""

    def __init__(self, entry: Entry, **kwargs):
        self.entry = entry
        super().__init__(widget=FilePicker(attrs={"accept": ".pdf,application/pdf"}), **kwargs)

    def clean(self, data, initial=None):
        document = super().clean(data, initial)
        reason = document_refusal(self.entry, document) if document and document is not initial else None
        if reason:
            raise forms.ValidationError(reason)
        return document


def _ticks(entry: Entry, **common) -> forms.Field:
    return Ticks(min_items=entry.min_items, max_items=entry.max_items, **common)


def _choice(entry: Entry, **common) -> forms.Field:
    if entry.many:
        return _ticks(entry, choices=entry.choices.choices, widget=forms.CheckboxSelectMultiple, **common)
    # One choice starts at "—", not at the first real one: an outcome box that opened at "revived" was a way to
    # record a revival by pressing Save (a walk found it); now the person must choose, or is told to.
    return forms.ChoiceField(choices=[("", "—"), *entry.choices.choices], **common)


def _number(low, high=None):
    return lambda entry, **common: IntegerField(min_value=low, max_value=high, **common)


def _records(entry: Entry, **common) -> forms.Field:
    """Records are ticked from a list the form is given (ConsortiumForm), never typed."""
    return _ticks(entry, widget=forms.CheckboxSelectMultiple(attrs={"class": "checklist"}), **common)


_FIELDS = {
    Kind.CHOICE: _choice,
    Kind.TEXT: _text, Kind.NAME: _text, Kind.CODE: _text,
    Kind.HS_CODE: lambda entry, **common: HsCodesField(many=entry.many, **common),
    Kind.DAY: lambda entry, **common: JalaliDateField(**common),
    Kind.COUNT: _number(0), Kind.MONEY: _number(0), Kind.PERCENT: _number(0, 100),
    Kind.YEAR: _number(FIRST_YEAR, LAST_YEAR),
    Kind.PDF: lambda entry, **common: DocumentField(entry, **common),
    Kind.RECORD: _records,
    Kind.PROVINCE: lambda entry, **common: ProvinceField(empty_label=entry.blank or None, **common),
}


def form_field(entry: Entry, *, required: bool = False) -> forms.Field:
    common = {"label": entry.label, "required": required or entry.required}
    if isinstance(entry.default, int):
        # A number with a default must stay filled: an emptied box is not 0.  A count or a year is shown filled
        # in; a sum of money starts empty, so a budget or an amount is typed, never saved as a 0 nobody wrote.
        common.update(required=True, initial=None if entry.kind == Kind.MONEY else entry.default)
    return _FIELDS[entry.kind](entry, **common)


def form_for(description: Description, *, required: tuple[str, ...] = ()) -> type[forms.Form]:
    """A form with a field for each entry, in the description's order; ``required``: entries the API may omit
    (the service then picks a value) that a page asks for all the same."""
    fields = {name: form_field(entry, required=name in required) for name, entry in description.entries.items()}
    # __module__: a class made by type() under Django's form metaclass would say django.forms.widgets.
    return type("DescribedForm", (forms.Form,), {**fields, "__module__": __name__})


PhaseForm = form_for(inputs.PHASE)
DevelopmentForm = form_for(inputs.DEVELOPMENT.without("agent"))
DiagnosisForm = form_for(inputs.DIAGNOSIS)
InterventionForm = form_for(inputs.INTERVENTION)
FollowUpForm = form_for(inputs.FOLLOW_UP)
OutcomeForm = form_for(inputs.OUTCOME)
ProjectForm = form_for(inputs.PROJECT)
OpeningForm = form_for(inputs.OPENING.only("on"))
ExportsForm = form_for(inputs.EXPORTS)
TargetForm = form_for(inputs.TARGET)


def _unit_ticks(field: forms.MultipleChoiceField, units) -> dict:
    """Ticks for the given units (registry.fields.unit_label); returns them by the tick's value."""
    field.choices, by_value = unit_choices(units)
    return by_value


class JointActionForm(form_for(inputs.JOINT_ACTION)):
    """The participants are ticked from the cluster's members (the service refuses any other unit), so a
    refused form comes back with its ticks as they were."""

    participants = forms.MultipleChoiceField(label=_("Participants"), required=False,
                                             widget=forms.CheckboxSelectMultiple(attrs={"class": "checklist"}))

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = _unit_ticks(self.fields["participants"], units)

    def clean_participants(self):
        return [self.units[pk] for pk in self.cleaned_data["participants"]]


class ConsortiumForm(form_for(inputs.CONSORTIUM.without("province", "clusters"), required=("formed_on",))):
    """Members are ticked from the cluster's own units (name, county and national ID shown), never typed; the province
    and the cluster are the page's."""

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = _unit_ticks(self.fields["members"], units)

    def clean_members(self):
        return [self.units[pk] for pk in self.cleaned_data["members"]]
