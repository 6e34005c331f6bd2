"""Enumerations of the alerts: channel kinds, delivery states, attempt outcomes, audiences."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.events import EVENTS

# Domain events (common.events) plus the one the alerts sweep detects itself.
TASK_OVERDUE = "task.overdue"
ALERT_EVENTS: tuple[str, ...] = (*EVENTS, TASK_OVERDUE)
EVENT_LABELS = {
    "report.received": _("Report received"),
    "campaign.grew": _("Campaign grew"),
    "recommendation.raised": _("Level recommendation raised"),
    "decision.opened": _("Decision requested"),
    "decision.reassigned": _("Decision reassigned"),
    "decision.overdue": _("Decision overdue"),
    "decision.decided": _("Decision taken"),
    "decision.withdrawn": _("Decision withdrawn"),
    "level.changed": _("Level changed"),
    "bcp.state_changed": _("Cyber BCP state changed"),
    "evidence.transferred": _("Evidence custody transferred"),
    TASK_OVERDUE: _("Task overdue"),
    "training.due": _("Training due"),
    "corrective_action.due": _("Corrective action due"),
    "obligation.due": _("Obligation due"),
    "communication.mailed": _("Staff warning mailed"),
    "mailbox.replied": _("Reply to a forwarded report"),
    "plan.changed": _("Emergency kit contents changed"),
    "kit.outdated": _("Printed emergency kit out of date"),
    "vulnerability.exploitable": _("Exploited vulnerability on an internet-facing asset"),
    "vulnerability.feed_failed": _("Advisory feed failing"),
    "vulnerability.due": _("Vulnerability to fix falls due"),
}
EVENT_CHOICES = [(name, EVENT_LABELS[name]) for name in ALERT_EVENTS]


class ChannelKind(models.TextChoices):
    EMAIL = "EMAIL", _("Email")
    WEBHOOK = "WEBHOOK", _("Webhook (signed JSON)")
    SLACK = "SLACK", _("Slack incoming webhook")
    TEAMS = "TEAMS", _("Microsoft Teams incoming webhook")
    IN_APP = "IN_APP", _("In-app")


# Kinds that send to an organisation-wide URL (and so keep one, encrypted).
URL_KINDS = frozenset({ChannelKind.WEBHOOK, ChannelKind.SLACK, ChannelKind.TEAMS})
# Kinds that reach each recipient personally: one channel of each per organisation.
PERSONAL_KINDS = frozenset({ChannelKind.EMAIL, ChannelKind.IN_APP})


class DeliveryState(models.TextChoices):
    PENDING = "PENDING", _("Pending")
    SENDING = "SENDING", _("Sending")
    DELIVERED = "DELIVERED", _("Delivered")
    FAILED = "FAILED", _("Failed")


class AttemptOutcome(models.TextChoices):
    IN_PROGRESS = "IN_PROGRESS", _("In progress")
    DELIVERED = "DELIVERED", _("Delivered")
    TRANSIENT = "TRANSIENT", _("Failed, will retry")
    PERMANENT = "PERMANENT", _("Failed permanently")
    ABANDONED = "ABANDONED", _("Abandoned (worker lost)")


class Audience(models.TextChoices):
    ROLE = "ROLE", _("Holders of a role")
    ASSIGNEE = "ASSIGNEE", _("The person the decision or task is assigned to")


class AckVia(models.TextChoices):
    APP = "APP", _("In the app")
    LINK = "LINK", _("Email link")
    API = "API", _("API")
