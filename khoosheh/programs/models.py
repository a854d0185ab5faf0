"""The development programs: cluster development (UNIDO phases), export
consortia, business-clinic cases for idle units, half-finished projects, and
annual targets.  Achievements are computed from these records (achievements.py),
never typed in; every change goes through services.py, which audits it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    """UNIDO's cluster development phases, in order (UNIDO 2013)."""

    IDENTIFIED = "identified", _("identified")
    DIAGNOSTIC = "diagnostic", _("diagnostic study")
    TRUST_BUILDING = "trust_building", _("trust building")
    JOINT_ACTIONS = "joint_actions", _("joint actions")
    SELF_GOVERNANCE = "self_governance", _("self-governance")


PHASE_ORDER = list(Phase.values)


class ClusterDevelopment(models.Model):
    cluster = models.OneToOneField("clusters.Cluster", verbose_name=_("cluster"), on_delete=models.PROTECT,
                                   related_name="development")
    province = models.ForeignKey("registry.Province", verbose_name=_("province"), on_delete=models.PROTECT)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.IDENTIFIED)
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("cluster development agent"), null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="developments")
    started_on = models.DateField(_("entered development"))
    diagnostic_study = models.FileField(_("diagnostic study"), upload_to="diagnostic-studies/", blank=True)
    # The name the study was uploaded under: storage adds a suffix to a name it holds already
    # («diagnostic_S6PL0fg.pdf»), and people know their file by the name they gave it.
    diagnostic_study_name = models.CharField(_("diagnostic study's file name"), max_length=255, blank=True,
                                             editable=False)
    action_plan = models.TextField(_("action plan"), blank=True)

    class Meta:
        verbose_name = _("cluster development")
        verbose_name_plural = _("cluster developments")
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return str(self.cluster)


class PhaseChange(models.Model):
    development = models.ForeignKey(ClusterDevelopment, on_delete=models.CASCADE, related_name="phase_changes")
    old_phase = models.CharField(max_length=20, blank=True)
    new_phase = models.CharField(max_length=20)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.old_phase or '-'} -> {self.new_phase}"


class JointAction(models.Model):
    class Kind(models.TextChoices):
        TRAINING = "training", _("training")
        JOINT_PURCHASING = "joint_purchasing", _("joint purchasing")
        JOINT_MARKETING = "joint_marketing", _("joint marketing")
        EXHIBITION = "exhibition", _("exhibition presence")
        COMMON_FACILITY = "common_facility", _("common facility")

    development = models.ForeignKey(ClusterDevelopment, on_delete=models.CASCADE, related_name="joint_actions")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    budget = models.PositiveBigIntegerField(_("budget (rial)"), default=0)
    participants = models.ManyToManyField("registry.ProductionUnit", verbose_name=_("participating units"),
                                          blank=True)

    class Meta:
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return self.title


class ExportConsortium(models.Model):
    class Status(models.TextChoices):
        FORMING = "forming", _("forming")
        ACTIVE = "active", _("active")
        DISSOLVED = "dissolved", _("dissolved")

    name = models.CharField(_("name"), max_length=200)
    province = models.ForeignKey("registry.Province", verbose_name=_("province"), on_delete=models.PROTECT)
    clusters = models.ManyToManyField("clusters.Cluster", verbose_name=_("clusters"), blank=True)
    members = models.ManyToManyField("registry.ProductionUnit", verbose_name=_("member units"))
    products_hs = models.JSONField(_("products (HS codes)"), default=list)
    target_markets = models.JSONField(_("target markets"), default=list)
    formed_on = models.DateField(_("formed on"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        verbose_name = _("export consortium")
        verbose_name_plural = _("export consortia")
        ordering = ["-formed_on"]

    def __str__(self) -> str:
        return self.name


class ConsortiumExport(models.Model):
    consortium = models.ForeignKey(ExportConsortium, on_delete=models.CASCADE, related_name="exports")
    year = models.PositiveSmallIntegerField(_("Jalali year"))
    value_usd = models.PositiveBigIntegerField(_("exports (US dollars)"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["consortium", "year"], name="one_export_figure_a_year")]
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.consortium} {self.year}"


class ProblemCategory(models.TextChoices):
    LEGAL = "legal", _("legal")
    MANAGERIAL = "managerial", _("managerial")
    FINANCIAL = "financial", _("financial (working capital)")
    MARKET = "market", _("market")
    RAW_MATERIALS = "raw_materials", _("raw materials")
    TECHNOLOGY = "technology", _("technology")
    INFRASTRUCTURE = "infrastructure", _("infrastructure")


class ClinicCase(models.Model):
    """A business-clinic case for an idle unit: intake, diagnosis,
    interventions, follow-ups, outcome."""

    class Stage(models.TextChoices):
        INTAKE = "intake", _("intake")
        DIAGNOSED = "diagnosed", _("diagnosed")
        INTERVENING = "intervening", _("interventions under way")
        CLOSED = "closed", _("case closed")

    class Outcome(models.TextChoices):
        REVIVED = "revived", _("revived")
        CLOSED_DOWN = "closed_down", _("closed down")
        STILL_IDLE = "still_idle", _("still idle")

    unit = models.ForeignKey("registry.ProductionUnit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="clinic_cases")
    province = models.ForeignKey("registry.Province", verbose_name=_("province"), on_delete=models.PROTECT)
    opened_on = models.DateField(_("opened on"))
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.INTAKE)
    problems = models.JSONField(_("diagnosed problems"), default=list)
    main_problem = models.CharField(_("main problem"), max_length=20, choices=ProblemCategory.choices, blank=True)
    diagnosis_note = models.TextField(_("diagnosis"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(_("outcome date"), null=True, blank=True)
    jobs_restored = models.PositiveIntegerField(_("jobs restored"), default=0)

    class Meta:
        verbose_name = _("business-clinic case")
        verbose_name_plural = _("business-clinic cases")
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["province", "outcome", "outcome_on"])]

    def __str__(self) -> str:
        return f"{self.unit} ({self.opened_on})"


class Intervention(models.Model):
    class Kind(models.TextChoices):
        WORKING_CAPITAL_LOAN = "working_capital_loan", _("working-capital loan")
        DEBT_RESCHEDULING = "debt_rescheduling", _("debt rescheduling")
        LEGAL_MEDIATION = "legal_mediation", _("legal mediation")
        INVESTOR_INTRODUCTION = "investor_introduction", _("investor or partner introduction")
        MANAGEMENT_CONSULTING = "management_consulting", _("management consulting")

    case = models.ForeignKey(ClinicCase, on_delete=models.CASCADE, related_name="interventions")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    amount = models.PositiveBigIntegerField(_("amount (rial)"), default=0)
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class FollowUp(models.Model):
    case = models.ForeignKey(ClinicCase, on_delete=models.CASCADE, related_name="follow_ups")
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=500)

    class Meta:
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.date}"


class HalfFinishedProject(models.Model):
    unit = models.OneToOneField("registry.ProductionUnit", verbose_name=_("unit"), on_delete=models.PROTECT,
                                related_name="project")
    province = models.ForeignKey("registry.Province", verbose_name=_("province"), on_delete=models.PROTECT)
    physical_progress = models.PositiveSmallIntegerField(_("physical progress (%)"), default=0)
    investment_made = models.PositiveBigIntegerField(_("investment made (million rial)"), default=0)
    investment_needed = models.PositiveBigIntegerField(_("investment still needed (million rial)"), default=0)
    financing_sources = models.CharField(_("financing sources"), max_length=300, blank=True)
    blockers = models.TextField(_("blockers"), blank=True)
    expected_opening = models.DateField(_("expected opening"), null=True, blank=True)
    actual_opening = models.DateField(_("actual opening"), null=True, blank=True)
    planned_jobs = models.PositiveIntegerField(_("jobs when open"), default=0)

    class Meta:
        verbose_name = _("half-finished project")
        verbose_name_plural = _("half-finished projects")
        ordering = ["-physical_progress", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(physical_progress__lte=100),
                                              name="progress_is_a_percentage")]

    def __str__(self) -> str:
        return str(self.unit)


class Indicator(models.TextChoices):
    CLUSTERS_IN_DEVELOPMENT = "clusters_in_development", _("clusters entering development")
    CONSORTIA_FORMED = "consortia_formed", _("export consortia formed")
    UNITS_REVIVED = "units_revived", _("idle units revived")
    PROJECTS_OPENED = "projects_opened", _("half-finished projects opened")
    JOBS_CREATED = "jobs_created", _("jobs created")


class AnnualTarget(models.Model):
    year = models.PositiveSmallIntegerField(_("Jalali year"))
    province = models.ForeignKey("registry.Province", verbose_name=_("province"), null=True, blank=True,
                                 on_delete=models.PROTECT, help_text=_("empty: the national target"))
    indicator = models.CharField(_("indicator"), max_length=30, choices=Indicator.choices)
    value = models.PositiveIntegerField(_("target"))

    class Meta:
        verbose_name = _("annual target")
        verbose_name_plural = _("annual targets")
        ordering = ["-year", "indicator"]
        # One national target (province NULL) per year and indicator is kept by
        # services.set_target; a plain unique constraint treats NULLs as distinct.
        constraints = [
            models.UniqueConstraint(fields=["year", "province", "indicator"], name="one_target_per_year_place"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.indicator}: {self.value}"
