from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from bcp.enums import DecisionType, Role
from common.models import TimeStampedModel


class RoleAssignmentQuerySet(models.QuerySet):
    def holders_of(self, organisation: Organisation, role: str) -> "RoleAssignmentQuerySet":
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
        settings.AUTH_USER_MODEL,
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
