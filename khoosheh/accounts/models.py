from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NATIONAL = "national", _("National staff")
    PROVINCIAL = "provincial", _("Provincial staff")
    VIEWER = "viewer", _("Viewer")
    CLUSTER_AGENT = "cluster_agent", _("Cluster development agent")
    PARKS_COMPANY = "parks_company", _("Industrial parks company")
    UNIT_OWNER = "unit_owner", _("Unit owner")


class User(AbstractUser):
    """A person who signs in.  What they may see and change follows from
    ``role`` and ``province``; see accounts/scoping.py, the one place that
    turns these into querysets and yes/no answers."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    province = models.ForeignKey(
        "registry.Province", verbose_name=_("province"), null=True, blank=True, on_delete=models.PROTECT,
        help_text=_("Provincial staff work on this province only; a viewer with a province reads only it."),
    )
    parks = models.ManyToManyField("registry.IndustrialPark", verbose_name=_("industrial parks"), blank=True,
                                   help_text=_("For an industrial-parks company: the parks it runs."))
    units = models.ManyToManyField("registry.ProductionUnit", verbose_name=_("own units"), blank=True,
                                   related_name="owners",
                                   help_text=_("For a unit owner: the units whose capability profile they keep."))

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="provincial_staff_have_a_province",
                condition=~models.Q(role="provincial") | models.Q(province__isnull=False),
            )
        ]

    @property
    def is_national(self) -> bool:
        return self.is_superuser or self.role == Role.NATIONAL


class AuditEntry(models.Model):
    """Who changed which record when, with the values before and after.

    Written by the domain services (never by views directly) for every change
    to a record officials rely on."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(User, verbose_name=_("who"), null=True, blank=True, on_delete=models.SET_NULL)
    action = models.CharField(_("action"), max_length=20)  # create, update, delete
    record_type = models.CharField(_("record type"), max_length=60)
    record_id = models.CharField(_("record"), max_length=40)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=60, blank=True)  # portal, import:12, api

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        indexes = [models.Index(fields=["record_type", "record_id"])]
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.record_type}#{self.record_id}"


class ApiToken(models.Model):
    """A token for scripts calling the API (`khoosheh api-token USERNAME`).

    Only a SHA-256 hash is stored: the token is shown once, when it is made."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # A token lives KHOOSHEH_API_TOKEN_DAYS, until revoked, or until its user's password changes (the stamp is a
    # hash of the password hash the token was made under).
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    password_stamp = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"
