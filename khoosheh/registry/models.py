"""The registry: places, activities, parks and production units."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from khoosheh.core.text import match_key


class BilingualName:
    """``name`` in the reader's language, Persian by default."""

    @property
    def name(self) -> str:
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name_fa

    def __str__(self) -> str:
        return self.name


class Province(BilingualName, models.Model):
    code = models.CharField(_("official code"), max_length=2, primary_key=True)
    name_fa = models.CharField(_("Persian name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=60)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["name_fa"]


class County(BilingualName, models.Model):
    code = models.CharField(_("official code"), max_length=4, primary_key=True)
    province = models.ForeignKey(Province, verbose_name=_("province"), on_delete=models.PROTECT,
                                 related_name="counties")
    name_fa = models.CharField(_("Persian name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    lat = models.FloatField(_("seat latitude"))
    lon = models.FloatField(_("seat longitude"))

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["name_fa"]


class Activity(models.Model):
    """An ISIC Rev.4 entry: section, division, group or (4-digit) class."""

    code = models.CharField(_("ISIC code"), max_length=4, primary_key=True)
    level = models.CharField(_("level"), max_length=10)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    title_en = models.CharField(_("English title"), max_length=200)
    title_fa = models.CharField(_("Persian title"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("activity (ISIC Rev.4)")
        verbose_name_plural = _("activities (ISIC Rev.4)")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        if get_language() == "en" or not self.title_fa:
            return self.title_en
        return self.title_fa


class IndustrialPark(models.Model):
    class Kind(models.TextChoices):
        PARK = "park", _("industrial park (شهرک صنعتی)")
        ZONE = "zone", _("industrial zone (ناحیه صنعتی)")

    name = models.CharField(_("name"), max_length=150)
    name_key = models.CharField(max_length=150, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PARK)
    county = models.ForeignKey(County, verbose_name=_("county"), on_delete=models.PROTECT, related_name="parks")
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("industrial park or zone")
        verbose_name_plural = _("industrial parks and zones")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["county", "name_key"], name="one_park_name_per_county")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = match_key(self.name)
        super().save(*args, **kwargs)


class UnitStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    IDLE = "idle", _("idle")
    HALF_FINISHED = "half_finished", _("half-finished")
    CLOSED = "closed", _("closed")


class ProductionUnit(models.Model):
    national_id = models.CharField(_("national ID"), max_length=11, blank=True, default="")
    name = models.CharField(_("name"), max_length=250)
    name_key = models.CharField(max_length=250, editable=False, db_index=True)
    # No index of their own for activity and province: the composite indexes below start with them, and
    # each index SQLite maintains lengthens the write lock an import holds (docs/benchmarks.md).
    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.PROTECT, db_index=False)
    # The province is implied by the county; it is kept on the unit because
    # every list, count and permission check filters by it.
    province = models.ForeignKey(Province, verbose_name=_("province"), on_delete=models.PROTECT, db_index=False)
    county = models.ForeignKey(County, verbose_name=_("county"), on_delete=models.PROTECT)
    park = models.ForeignKey(IndustrialPark, verbose_name=_("industrial park or zone"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="units")
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=UnitStatus.choices, default=UnitStatus.ACTIVE)
    permit_date = models.DateField(_("operating permit date"), null=True, blank=True)
    exporter = models.BooleanField(_("exporter"), null=True, blank=True)
    capacity_utilisation = models.FloatField(_("capacity utilisation (%)"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Provenance: the import that created the unit (null when made in the portal or API).
    created_by_import = models.ForeignKey("ImportBatch", verbose_name=_("created by import"), null=True,
                                          blank=True, on_delete=models.PROTECT, related_name="created_units")

    class Meta:
        verbose_name = _("production unit")
        verbose_name_plural = _("production units")
        ordering = ["name_key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["national_id"], condition=~models.Q(national_id=""),
                                    name="unique_national_id_when_given"),
            models.CheckConstraint(condition=models.Q(capacity_utilisation__isnull=True)
                                   | models.Q(capacity_utilisation__gte=0, capacity_utilisation__lte=100),
                                   name="capacity_utilisation_is_a_percentage"),
        ]
        indexes = [
            models.Index(fields=["province", "status"]),
            models.Index(fields=["province", "name_key"]),
            models.Index(fields=["activity", "province"]),
            models.Index(fields=["status"]),
            models.Index(fields=["national_id"]),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = match_key(self.name)
        super().save(*args, **kwargs)

    @property
    def location(self) -> tuple[float, float]:
        """Where to draw the unit: its own point, or else its county seat."""
        if self.lat is not None and self.lon is not None:
            return self.lat, self.lon
        return self.county.lat, self.county.lon


class UnitStatusChange(models.Model):
    """One change of a unit's status: who, when, from what, to what, and why."""

    unit = models.ForeignKey(ProductionUnit, on_delete=models.CASCADE, related_name="status_changes")
    changed_at = models.DateTimeField(_("when"), db_index=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True,
                                   on_delete=models.SET_NULL)
    old_status = models.CharField(_("old status"), max_length=20, blank=True)  # "" when the unit was created
    new_status = models.CharField(_("new status"), max_length=20)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status history")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.old_status or '-'} -> {self.new_status}"

    def get_old_status_display(self) -> str:
        return UnitStatus(self.old_status).label if self.old_status else "—"

    def get_new_status_display(self) -> str:
        return UnitStatus(self.new_status).label


class ImportBatch(models.Model):
    """One import of a unit file that wrote to the registry."""

    file_name = models.CharField(_("file"), max_length=255)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True,
                                    on_delete=models.SET_NULL)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped_invalid = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.started_at:%Y-%m-%d %H:%M})"


class HeaderMapping(models.Model):
    """How to read a file whose headers no alias names: contract column → the file's header, as an
    official chose it on the upload page's mapping step, remembered for the next file with the same
    headers (``signature``, core.unitfile.header.header_signature).

    Scoped to the province of whoever saved it (null: national staff, for every province): each
    province's office makes its own spreadsheets, and one province's choice must never decide
    silently how another province's file is read (docs/file-formats.md)."""

    signature = models.CharField(_("header signature"), max_length=64)
    province = models.ForeignKey(Province, verbose_name=_("province"), null=True, blank=True,
                                 on_delete=models.CASCADE)
    headers = models.JSONField(_("the file's headers"), default=list)
    mapping = models.JSONField(_("column mapping"), default=dict)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("saved by"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    saved_at = models.DateTimeField(_("saved"), auto_now=True)

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        constraints = [
            models.UniqueConstraint(fields=["signature", "province"], condition=models.Q(province__isnull=False),
                                    name="one_mapping_per_headers_and_province"),
            models.UniqueConstraint(fields=["signature"], condition=models.Q(province__isnull=True),
                                    name="one_national_mapping_per_headers"),
        ]

    def __str__(self) -> str:
        return f"{self.signature[:12]} ({self.province_id or 'national'})"
