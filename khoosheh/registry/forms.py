from pathlib import Path

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .models import UnitStatus


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=UnitStatus.choices)
    reason = forms.CharField(label=_("Reason"), max_length=500,
                             error_messages={"required": _("Write why the status changes.")})


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Unit file (CSV or XLSX)"))
    dry_run = forms.BooleanField(label=_("Check only, write nothing"), required=False)
    skip_invalid = forms.BooleanField(label=_("Import the valid rows and skip invalid ones"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in (".csv", ".xlsx"):
            raise forms.ValidationError(_("Send a CSV or XLSX file."))
        if upload.size > settings.KHOOSHEH_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than %(limit)s.")
                                        % {"limit": filesizeformat(settings.KHOOSHEH_MAX_UPLOAD_BYTES)})
        return upload
