"""Links between incidents (DOMAIN-MODEL §2.1 RelatedIncident): stored once, shown both ways."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from incidents.models.incident import Incident


class RelationKind(models.TextChoices):
    RELATED = "RELATED", _("Related to")
    CAUSED_BY = "CAUSED_BY", _("Caused by")
    DUPLICATE_OF = "DUPLICATE_OF", _("Duplicate of")


# How the other side reads a link: "B caused by A" is "A caused B" on A's page.
INVERSE_LABELS = {
    RelationKind.RELATED: _("Related to"),
    RelationKind.CAUSED_BY: _("Caused"),
    RelationKind.DUPLICATE_OF: _("Has a duplicate"),
}


class IncidentRelation(models.Model):
    """``incident`` is ``kind`` ``related``: INC-2 CAUSED_BY INC-1 (a BCP workaround that
    caused a second incident), INC-3 DUPLICATE_OF INC-1."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="relations_out", verbose_name=_("incident")
    )
    related = models.ForeignKey(
        Incident,
        on_delete=models.CASCADE,
        related_name="relations_in",
        verbose_name=_("related incident"),
    )
    kind = models.CharField(_("relation"), max_length=16, choices=RelationKind.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("incident relation")
        verbose_name_plural = _("incident relations")
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "related", "kind"], name="incident_relation_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(incident=models.F("related")),
                name="incident_relation_not_itself",
            ),
        ]
        indexes = [
            # The other side's page: the links that point at an incident.
            models.Index(fields=["related", "kind"], name="incident_relation_in"),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.kind} {self.related_id}"
