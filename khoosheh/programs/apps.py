from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "khoosheh.programs"
    label = "programs"
    verbose_name = _("Development programs")

    def ready(self) -> None:
        from khoosheh.web import sources

        from .models import ClinicCase, HalfFinishedProject
        from .selectors import visible

        def openable(model):
            return lambda user, pks: visible(user, model.objects.filter(pk__in=pks)).values_list("pk", flat=True)

        # A unit's status history links a project or a case only for a reader who may open it.
        sources.register_openable("project", openable(HalfFinishedProject))
        sources.register_openable("clinic", openable(ClinicCase))
