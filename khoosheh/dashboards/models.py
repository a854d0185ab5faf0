from django.db import models
from django.utils.translation import gettext_lazy as _

from khoosheh.jobs.models import Job


class Boundary(models.Model):
    """A province or county polygon loaded by officials (`khoosheh load-boundaries`).

    None ships with khoosheh: no source with a clean licence exists, so the
    dashboards draw a schematic tile map until real boundaries are loaded."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("province")
        COUNTY = "county", _("county")

    level = models.CharField(max_length=10, choices=Level.choices)
    code = models.CharField(max_length=4)
    name_in_file = models.CharField(max_length=200)
    geometry = models.JSONField()  # GeoJSON Polygon or MultiPolygon, coordinates rounded to ~100 m
    source = models.CharField(max_length=255)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("boundary")
        verbose_name_plural = _("boundaries")
        constraints = [models.UniqueConstraint(fields=["level", "code"], name="one_boundary_per_area")]

    def __str__(self) -> str:
        return f"{self.level} {self.code}"


class ReportJobManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind="report")


class ReportJob(Job):
    """A report built in the background because it is large (a province's full unit list, say): a job
    of kind "report" whose params are the `dashboards.jobs.ReportSpec`.

    The file is written under the data directory (never a public URL) and only the user who
    asked may download it; it is built within that user's scope, like the pages."""

    Status = Job.Status
    objects = ReportJobManager()

    class Meta:
        proxy = True

    @property
    def spec(self) -> dict:
        return self.params

    @spec.setter
    def spec(self, value: dict) -> None:
        self.params = value

    def save(self, *args, **kwargs):
        self.kind = "report"
        super().save(*args, **kwargs)
