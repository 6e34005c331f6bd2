"""Enumerations of decisions and the cyber BCP (DOMAIN-MODEL §2.2–2.3, §3.4–3.5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Recommendation(models.TextChoices):
    APPROVE = "APPROVE", _("Approve")
    DECLINE = "DECLINE", _("Decline")
    NONE = "NONE", _("No recommendation")


class DecisionStatus(models.TextChoices):
    OPEN = "OPEN", _("Open")
    DECIDED = "DECIDED", _("Decided")
    SUPERSEDED = "SUPERSEDED", _("Superseded")
    CANCELLED = "CANCELLED", _("Cancelled")
    # Ended by whoever may open it, with a reason: the decision no longer applies.
    WITHDRAWN = "WITHDRAWN", _("Withdrawn")


class Outcome(models.TextChoices):
    APPROVED = "APPROVED", _("Approved")
    DECLINED = "DECLINED", _("Declined")
    DEFERRED = "DEFERRED", _("Deferred")


class Scope(models.TextChoices):
    NONE = "NONE", _("None")
    PARTIAL = "PARTIAL", _("Partial")
    FULL = "FULL", _("Full")


class AssignmentReason(models.TextChoices):
    PRIMARY = "PRIMARY", _("Primary holder")
    ABSENT = "ABSENT", _("Deputy: holders before were absent or lacked authority")
    DELEGATED = "DELEGATED", _("Delegated")
    DEADLINE_EXPIRED = "DEADLINE_EXPIRED", _("Deadline expired")


class BcpState(models.TextChoices):
    NOT_ACTIVATED = "NOT_ACTIVATED", _("Not activated")
    DECISION_PENDING = "DECISION_PENDING", _("Decision pending")
    ACTIVATED_PARTIAL = "ACTIVATED_PARTIAL", _("Activated (partial)")
    ACTIVATED_FULL = "ACTIVATED_FULL", _("Activated (full)")
    DECLINED = "DECLINED", _("Declined")
    STOOD_DOWN = "STOOD_DOWN", _("Stood down")


class BcpActionKind(models.TextChoices):
    CUT_EXTERNAL_NETWORK = "CUT_EXTERNAL_NETWORK", _("Cut all external communication")
    STOP_SERVICE = "STOP_SERVICE", _("Stop a service")
    DEGRADED_OPERATION = "DEGRADED_OPERATION", _("Degraded / manual operation")
    ALTERNATIVE_CHANNEL = "ALTERNATIVE_CHANNEL", _("Alternative communication channel")
    OTHER = "OTHER", _("Other")


# Default decision deadlines in minutes (DOMAIN-MODEL §2.3; None = no deadline).
DEFAULT_DEADLINE_MINUTES: dict[str, int | None] = {
    "ESCALATE_LEVEL": 15,
    "DEESCALATE_LEVEL": None,
    "ESTABLISH_IRT": 30,
    "ACTIVATE_CYBER_BCP": 30,
    "CUT_ALL_EXTERNAL_NETWORK": 30,
    "PUBLIC_ANNOUNCEMENT": 24 * 60,
    "APPI_REPORTABILITY": 24 * 60,
    "BCP_STAND_DOWN": None,
    "CLOSE_INCIDENT": None,
    "RISK_ACCEPTANCE": 3 * 24 * 60,
}

REQUIRED_ROLE: dict[str, str] = {
    "ESCALATE_LEVEL": "CSIRT_LEAD",
    "DEESCALATE_LEVEL": "CSIRT_LEAD",
    "ESTABLISH_IRT": "DECISION_MAKER",
    "ACTIVATE_CYBER_BCP": "DECISION_MAKER",
    "CUT_ALL_EXTERNAL_NETWORK": "DECISION_MAKER",
    "PUBLIC_ANNOUNCEMENT": "DECISION_MAKER",
    "APPI_REPORTABILITY": "LEGAL_PRIVACY",
    "BCP_STAND_DOWN": "DECISION_MAKER",
    "CLOSE_INCIDENT": "CSIRT_LEAD",
    "RISK_ACCEPTANCE": "DECISION_MAKER",
}

# Who may open a decision by hand when the organisation's policy does not say (issue 14).
DEFAULT_OPENER_ROLES: tuple[str, ...] = ("CSIRT_LEAD", "ISMS_OFFICE", "DECISION_MAKER")
# Types another app opens for its own object (a finding's risk acceptance, vulns): never by hand.
NOT_OPENED_BY_HAND: frozenset[str] = frozenset({"RISK_ACCEPTANCE"})
