from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "khoosheh.registry"
    label = "registry"
    verbose_name = _("Registry of production units")

    def ready(self) -> None:
        from khoosheh.jobs import kinds
        from khoosheh.web import history

        from .fields import unit_names
        from .uploads import KIND

        kinds.register(KIND)
        history.name_records("registry.ProductionUnit", unit_names)
