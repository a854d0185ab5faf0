from pathlib import Path

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from khoosheh.web.fields import FilePicker

from .models import UnitStatus


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=UnitStatus.choices)
    reason = forms.CharField(label=_("Reason"), max_length=500,
                             error_messages={"required": _("Write why the status changes.")})


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Unit file (CSV or XLSX)"), widget=FilePicker, error_messages={
        "required": _("Choose the file of units to import."), "empty": _("The file is empty.")})
    dry_run = forms.BooleanField(label=_("Check only, write nothing"), required=False)
    skip_invalid = forms.BooleanField(label=_("Import the valid rows and skip invalid ones"), required=False)
    choose_columns = forms.BooleanField(label=_("Let me match the file's columns myself (even if a mapping is "
                                                "remembered for its headers)"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in (".csv", ".xlsx"):
            raise forms.ValidationError(_("Send a CSV or XLSX file."))
        if upload.size > settings.KHOOSHEH_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than %(limit)s.")
                                        % {"limit": filesizeformat(settings.KHOOSHEH_MAX_UPLOAD_BYTES)})
        return upload


class MappingForm(forms.Form):
    """The mapping step: each contract column ← one of the file's columns (or none, if optional).
    Plain selects, so it works without JavaScript."""

    remember = forms.BooleanField(label=_("Remember this mapping for the next file with the same headers"),
                                  required=False, initial=True)

    def __init__(self, file_columns: list[str], *args, remembered: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        from khoosheh.core.text import match_key
        from khoosheh.core.unitfile.columns import COLUMNS, column_for_header

        automatic = {}
        for header in file_columns:
            automatic.setdefault(column_for_header(header), header)
        # A remembered choice comes first, where it names a column this file has (however spelt).
        by_key = {match_key(h): h for h in file_columns}
        automatic.update({name: by_key.get(match_key(h), "") for name, h in (remembered or {}).items()})
        self.contract_fields = []
        for column in COLUMNS:
            empty = _("— choose a column —") if column.required else _("— not in this file —")
            self.fields[column.name] = forms.ChoiceField(
                label=column.header_fa, required=column.required, initial=automatic.get(column.name, ""),
                choices=[("", empty), *((h, h) for h in file_columns)],
                error_messages={"required": _("Choose the file's column for this required column.")})
            self.contract_fields.append(self[column.name])
        self.order_fields([*(c.name for c in COLUMNS), "remember"])

    def clean(self):
        data = super().clean()
        chosen: dict[str, str] = {}
        for name in self.fields:
            header = data.get(name)
            if name == "remember" or not header:
                continue
            if header in chosen:
                self.add_error(name, _("The column «%(header)s» is already chosen for «%(other)s».")
                               % {"header": header, "other": self.fields[chosen[header]].label})
            chosen.setdefault(header, name)
        return data

    def mapping(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in self.fields if name != "remember"}
