from __future__ import annotations

import zoneinfo

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import DecisionType, Role
from common.models import TimeStampedModel


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class CsirtStep(models.IntegerChoices):
    """The source document's small start (STEP論)."""

    INTAKE = 1, _("STEP 1: intake desk")
    TRIAGE_HANDLING = 2, _("STEP 2: triage and incident handling")
    EXPANDED = 3, _("STEP 3: expanded CSIRT functions")


class Organisation(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Tokyo", validators=[validate_time_zone]
    )
    csirt_step = models.PositiveSmallIntegerField(
        _("CSIRT step"), choices=CsirtStep.choices, default=CsirtStep.INTAKE
    )
    desk_phone = models.CharField(_("desk phone"), max_length=40, blank=True)
    desk_email = models.EmailField(_("desk email"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class OrganisationUnit(TimeStampedModel):
    """A department; units form a tree (部 → 課)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="units", verbose_name=_("organisation")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    name = models.CharField(_("name"), max_length=200)
    # Deactivated, not deleted: people, reports and training records keep pointing at it.
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "parent", "name"], name="unit_unique_name_per_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name if self.parent_id is None else f"{self.parent} / {self.name}"

    def clean(self) -> None:
        if self.parent_id and self.parent.organisation_id != self.organisation_id:
            raise ValidationError(_("A unit's parent must belong to the same organisation."))
        node = self.parent
        while node is not None:
            if node.pk == self.pk:
                raise ValidationError(_("A unit cannot be its own ancestor."))
            node = node.parent


class User(AbstractUser):
    class Language(models.TextChoices):
        JAPANESE = "ja", _("Japanese")
        ENGLISH = "en", _("English")

    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organisation"),
    )
    unit = models.ForeignKey(
        OrganisationUnit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("organisation unit"),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=Language.choices, blank=True
    )
    # When the two-factor policy first found this person without a factor: the grace period
    # (TWO_FACTOR_GRACE_DAYS) runs from here.
    two_factor_required_since = models.DateTimeField(
        _("two-factor required since"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class RoleAssignmentQuerySet(models.QuerySet):
    def holders_of(self, organisation: Organisation, role: str) -> RoleAssignmentQuerySet:
        """The chain for a role, primary first (rule D-2 walks it in this order)."""
        return self.filter(organisation=organisation, role=role).order_by("priority")


class RoleAssignment(TimeStampedModel):
    """A person holding a role at a rank: 1 = primary, 2 = first deputy, …"""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("user"),
    )
    priority = models.PositiveSmallIntegerField(_("priority"), default=1)
    # Decision types a deputy may take; empty means every type (rule D-2).
    authority_scope = models.JSONField(_("authority scope"), default=list, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["organisation", "role", "priority"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "role", "priority"], name="role_assignment_unique_rank"
            ),
            models.UniqueConstraint(
                fields=["organisation", "role", "user"], name="role_assignment_unique_holder"
            ),
            models.CheckConstraint(
                condition=models.Q(priority__gte=1), name="role_assignment_priority_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} #{self.priority}: {self.user}"

    def clean(self) -> None:
        unknown = set(self.authority_scope or []) - set(DecisionType.values)
        if unknown:
            raise ValidationError(
                {
                    "authority_scope": _("Unknown decision types: %(types)s")
                    % {"types": ", ".join(sorted(unknown))}
                }
            )


# --- Availability: absences and delegations (rule D-2) ---------------------------------------


class Absence(TimeStampedModel):
    """A window in which a person cannot decide (rule D-2 skips them)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="absences", verbose_name=_("person")
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("to"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="absence_ends_after_start",
            ),
        ]
        indexes = [
            # "Is this person absent at t?" for each holder of a chain.
            models.Index(fields=["user", "starts_at", "ends_at"], name="absence_window"),
        ]

    def __str__(self) -> str:
        starts, ends = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return f"{self.user}: {starts:%Y/%m/%d %H:%M} – {ends:%Y/%m/%d %H:%M}"


class Delegation(TimeStampedModel):
    """'A's role R to B from … to …': B stands in A's place in the chain during the window."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="delegations"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    delegator = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="+", verbose_name=_("from")
    )
    delegate = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="+", verbose_name=_("to")
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("to"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="delegation_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(delegator=models.F("delegate")),
                name="delegation_to_someone_else",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.delegator} → {self.delegate}"


# --- API keys for integrations (mail gateway, EDR/SIEM, ticketing) ---------------------------


class ApiKeyScope(models.TextChoices):
    READ = "READ", _("Read")
    WRITE = "WRITE", _("Read and write")


class ApiKeyQuerySet(models.QuerySet):
    def active(self) -> ApiKeyQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiKey(TimeStampedModel):
    """A per-integration key. Only the SHA-256 of its secret is kept; the key is shown once.

    The key authenticates as its own service user (no roles, no password), so every row the
    integration writes names it as the actor; its scope decides what it may do.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="api_keys",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    secret_hash = models.CharField(_("SHA-256 of the secret"), max_length=64)
    scope = models.CharField(
        _("scope"), max_length=8, choices=ApiKeyScope.choices, default=ApiKeyScope.READ
    )
    service_user = models.OneToOneField(
        User, on_delete=models.PROTECT, related_name="api_key", verbose_name=_("service user")
    )
    created_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        indexes = [
            # The key list of the ISMS office: an organisation's keys, newest first.
            models.Index(fields=["organisation", "-created_at"], name="apikey_org_created"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


# --- Single sign-on: an organisation's OpenID Connect provider -------------------------------


class IdentityProvider(TimeStampedModel):
    """An organisation's OpenID Connect provider (Entra ID, Google Workspace, …).

    Signing in through it maps the person by email to an existing active user of THIS
    organisation only (accounts.sso); it never creates users. The client secret is kept
    encrypted (common.crypto) or, when left empty, read from the environment variable
    ``OIDC_CLIENT_SECRET_<SLUG>`` (slug upper-cased, ``-`` as ``_``).
    """

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="identity_provider",
        verbose_name=_("organisation"),
    )
    slug = models.SlugField(
        _("sign-in address name"),
        max_length=40,
        unique=True,
        help_text=_("Used in /accounts/sso/<name>/ and in the redirect URI."),
    )
    label = models.CharField(
        _("provider name"),
        max_length=100,
        blank=True,
        help_text=_("For example Microsoft Entra ID."),
    )
    issuer_url = models.URLField(_("issuer URL"), max_length=300)
    client_id = models.CharField(_("client ID"), max_length=200)
    client_secret_encrypted = models.TextField(_("client secret (encrypted)"), blank=True)
    is_enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("single sign-on provider")
        verbose_name_plural = _("single sign-on providers")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.label or self.issuer_url}"
