"""Enumerations of the ISMS feedback: corrective actions (ISO/IEC 27001 cl. 10.2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActionStatus(models.TextChoices):
    OPEN = "OPEN", _("Open")
    DONE = "DONE", _("Done")
    CANCELLED = "CANCELLED", _("Cancelled")


class ControlTheme(models.TextChoices):
    ORGANIZATIONAL = "5", _("Organizational controls")
    PEOPLE = "6", _("People controls")
    PHYSICAL = "7", _("Physical controls")
    TECHNOLOGICAL = "8", _("Technological controls")
