"""Identification runs, their candidate clusters, and the confirmed clusters
the development programs work with."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from khoosheh.core.jalali import jalali_year


class IdentificationRun(models.Model):
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True,
                                   on_delete=models.SET_NULL)
    params = models.JSONField(_("parameters"))
    n_units = models.PositiveIntegerField(_("units analysed"), default=0)
    n_candidates = models.PositiveIntegerField(_("candidate clusters"), default=0)
    seconds = models.FloatField(_("duration (s)"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("identification run")
        verbose_name_plural = _("identification runs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.created_at:%Y-%m-%d})"


class ClusterFigures(models.Model):
    """The indicators a candidate and a confirmed cluster both carry."""

    activity = models.ForeignKey("registry.Activity", verbose_name=_("activity"), on_delete=models.PROTECT)
    province = models.ForeignKey("registry.Province", verbose_name=_("province"), on_delete=models.PROTECT)
    county = models.ForeignKey("registry.County", verbose_name=_("county"), on_delete=models.PROTECT)
    provinces = models.JSONField(default=list)
    counties = models.JSONField(default=list)
    lat = models.FloatField(_("centre latitude"))
    lon = models.FloatField(_("centre longitude"))
    extent_km = models.FloatField(_("extent (km)"))
    n_units = models.PositiveIntegerField(_("units"))
    employees = models.PositiveIntegerField(_("employees"))
    lq = models.FloatField(_("location quotient"))
    p_value = models.FloatField(_("p-value"), null=True)
    share_small = models.FloatField(_("share of small units"), null=True)
    share_exporters = models.FloatField(_("share of exporters"), null=True)
    share_idle = models.FloatField(_("share idle"), null=True)
    located_by_county = models.PositiveIntegerField(default=0)
    score = models.FloatField(_("strength score"), default=0)
    stars = models.PositiveSmallIntegerField(_("stars"), default=0)
    star_reasons = models.JSONField(default=list)

    class Meta:
        abstract = True


class Candidate(ClusterFigures):
    class Review(models.TextChoices):
        PENDING = "pending", _("awaiting review")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("rejected")
        MERGED = "merged", _("merged into another")

    run = models.ForeignKey(IdentificationRun, on_delete=models.CASCADE, related_name="candidates")
    code = models.CharField(_("identifier"), max_length=40)
    members = models.ManyToManyField("registry.ProductionUnit", related_name="candidate_clusters")
    review = models.CharField(_("review"), max_length=12, choices=Review.choices, default=Review.PENDING)
    review_reason = models.CharField(_("reason"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    cluster = models.ForeignKey("Cluster", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="candidates")

    class Meta:
        verbose_name = _("candidate cluster")
        verbose_name_plural = _("candidate clusters")
        ordering = ["run", "-n_units", "code"]
        constraints = [models.UniqueConstraint(fields=["run", "code"], name="one_code_per_run")]

    def __str__(self) -> str:
        return self.code


class Cluster(ClusterFigures):
    """A confirmed industrial cluster: what the development programs work with."""

    name = models.CharField(_("name"), max_length=200)
    members = models.ManyToManyField("registry.ProductionUnit", related_name="clusters")
    confirmed_at = models.DateTimeField(_("confirmed"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    identified_year = models.PositiveSmallIntegerField(_("Jalali year identified"), db_index=True)

    class Meta:
        verbose_name = _("industrial cluster")
        verbose_name_plural = _("industrial clusters")
        ordering = ["name"]
        indexes = [models.Index(fields=["province", "identified_year"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if self.confirmed_at and not self.identified_year:
            from django.utils import timezone

            self.identified_year = jalali_year(timezone.localtime(self.confirmed_at).date())
        super().save(*args, **kwargs)
