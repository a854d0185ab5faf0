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
