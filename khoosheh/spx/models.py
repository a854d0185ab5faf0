"""Subcontracting and partnership exchange (UNIDO's SPX model): capability
profiles, enquiries and their matches, exhibitions and B2B meetings."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CapabilityProfile(models.Model):
    unit = models.OneToOneField("registry.ProductionUnit", verbose_name=_("unit"), on_delete=models.CASCADE,
                                related_name="capability")
    province = models.ForeignKey("registry.Province", verbose_name=_("province"), on_delete=models.PROTECT)
    processes = models.JSONField(_("processes"), default=list)  # codes of core/data/processes.csv
    materials = models.JSONField(_("materials"), default=list)
    certifications = models.JSONField(_("certifications"), default=list)
    monthly_capacity = models.PositiveIntegerField(_("capacity (pieces a month)"), null=True, blank=True)
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"), null=True, blank=True)
    products = models.TextField(_("products made"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("capability profile")
        verbose_name_plural = _("capability profiles")

    def __str__(self) -> str:
        return str(self.unit)


class Machine(models.Model):
    profile = models.ForeignKey(CapabilityProfile, on_delete=models.CASCADE, related_name="machines")
    kind = models.CharField(_("machine"), max_length=120)
    count = models.PositiveSmallIntegerField(_("count"), default=1)
    limit = models.CharField(_("size or tonnage limit"), max_length=120, blank=True)

    def __str__(self) -> str:
        return f"{self.kind} x{self.count}"


class Enquiry(models.Model):
    class Kind(models.TextChoices):
        SUBCONTRACTING = "subcontracting", _("subcontracting enquiry")
        IMPORT_SUBSTITUTION = "import_substitution", _("import substitution")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        SENT = "sent", _("sent to suppliers")
        QUOTED = "quoted", _("quotes received")
        CONTRACTED = "contracted", _("contract signed")
        CLOSED = "closed", _("closed without contract")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SUBCONTRACTING)
    buyer = models.CharField(_("buyer"), max_length=200)
    buyer_unit = models.ForeignKey("registry.ProductionUnit", verbose_name=_("buyer unit"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="enquiries_made")
    province = models.ForeignKey("registry.Province", verbose_name=_("province"), on_delete=models.PROTECT)
    title = models.CharField(_("part or product"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    processes = models.JSONField(_("required processes"), default=list)
    material = models.CharField(_("material"), max_length=100, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    tolerances = models.CharField(_("tolerances"), max_length=200, blank=True)
    certifications = models.JSONField(_("required certifications"), default=list)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    lat = models.FloatField(_("preferred location latitude"), null=True, blank=True)
    lon = models.FloatField(_("preferred location longitude"), null=True, blank=True)
    hs_code = models.CharField(_("HS code"), max_length=10, blank=True)
    yearly_quantity = models.PositiveIntegerField(_("yearly quantity imported"), null=True, blank=True)
    imported_value_usd = models.PositiveBigIntegerField(_("yearly imported value (US dollars)"), null=True,
                                                        blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("enquiry")
        verbose_name_plural = _("enquiries")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class EnquiryMatch(models.Model):
    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("suggested")
        SENT = "sent", _("sent")
        QUOTED = "quoted", _("quoted")
        DECLINED = "declined", _("declined")
        CONTRACTED = "contracted", _("contracted")

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="matches")
    unit = models.ForeignKey("registry.ProductionUnit", on_delete=models.CASCADE, related_name="spx_matches")
    rank = models.PositiveSmallIntegerField(_("rank"))
    score = models.FloatField(_("score"))
    reasons = models.JSONField(_("reasons"), default=list)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUGGESTED)
    quote_value = models.PositiveBigIntegerField(_("quote (rial)"), null=True, blank=True)
    contract_value = models.PositiveBigIntegerField(_("contract (rial)"), null=True, blank=True)
    contracted_on = models.DateField(_("contract date"), null=True, blank=True)

    class Meta:
        ordering = ["enquiry", "rank"]
        constraints = [models.UniqueConstraint(fields=["enquiry", "unit"], name="one_match_per_unit")]

    def __str__(self) -> str:
        return f"{self.enquiry} -> {self.unit}"


class Exhibition(models.Model):
    name = models.CharField(_("name"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    province = models.ForeignKey("registry.Province", verbose_name=_("province"), on_delete=models.PROTECT)
    starts_on = models.DateField(_("starts"))
    slots = models.PositiveSmallIntegerField(_("meeting slots"), default=10)
    tables = models.PositiveSmallIntegerField(_("tables"), default=50)
    day_starts_at = models.TimeField(_("first meeting at"), default=dt.time(9, 0))
    slot_minutes = models.PositiveSmallIntegerField(_("minutes per meeting"), default=20)

    class Meta:
        verbose_name = _("exhibition")
        verbose_name_plural = _("exhibitions")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.name

    def slot_times(self, slot: int) -> tuple[dt.time, dt.time]:
        """Clock time a meeting slot (1, 2, …) starts and ends; meetings follow each other without a break."""
        start = dt.datetime.combine(self.starts_on, self.day_starts_at) + dt.timedelta(
            minutes=(slot - 1) * self.slot_minutes)
        return start.time(), (start + dt.timedelta(minutes=self.slot_minutes)).time()


class Participant(models.Model):
    class Kind(models.TextChoices):
        UNIT = "unit", _("production unit")
        KNOWLEDGE_BASED = "knowledge_based", _("knowledge-based company")
        BUYER = "buyer", _("large buyer")
        INVESTOR = "investor", _("investor")

    LOOKERS = (Kind.BUYER, Kind.INVESTOR)

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="participants")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey("registry.ProductionUnit", null=True, blank=True, on_delete=models.SET_NULL)
    offers = models.JSONField(_("offers"), default=list)  # tags: process codes, activity codes, keywords
    needs = models.JSONField(_("needs"), default=list)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_looker(self) -> bool:
        return self.kind in self.LOOKERS


class Meeting(models.Model):
    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="meetings")
    slot = models.PositiveSmallIntegerField()
    table = models.PositiveSmallIntegerField()
    looker = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    offerer = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()

    class Meta:
        ordering = ["slot", "table"]
        constraints = [
            models.UniqueConstraint(fields=["exhibition", "slot", "table"], name="one_meeting_per_table"),
            models.UniqueConstraint(fields=["exhibition", "slot", "looker"], name="looker_once_per_slot"),
            models.UniqueConstraint(fields=["exhibition", "slot", "offerer"], name="offerer_once_per_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.slot}/{self.table}"
