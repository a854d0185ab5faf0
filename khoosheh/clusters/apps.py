from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClustersConfig(AppConfig):
    name = "khoosheh.clusters"
    label = "clusters"
    verbose_name = _("Industrial clusters")

    def ready(self) -> None:
        from khoosheh.jobs import kinds

        from .jobs import KIND

        kinds.register(KIND)
