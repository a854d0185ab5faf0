from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpxConfig(AppConfig):
    name = "khoosheh.spx"
    label = "spx"
    verbose_name = _("Subcontracting and partnership exchange")
