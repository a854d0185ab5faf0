from django.db import models
from django.utils.translation import gettext_lazy as _


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


class ReportJob(models.Model):
    """A report built in the background because it is large (a province's full unit list, say).

    The file is written under the data directory (never a public URL) and only the user who
    asked may download it; it is built within that user's scope, like the pages."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("being built")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="report_jobs")
    spec = models.JSONField()  # kind, fmt, year, province, cluster, units: see dashboards.jobs.ReportSpec
    title = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=100, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)  # a heartbeat: progress saves touch it
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def fraction(self) -> float:
        return self.percent / 100
