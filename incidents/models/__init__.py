"""The incident record: intake, incidents, assets, mail, indicators, tasks, evidence, timeline."""

from incidents.models.assets import AffectedAsset, Asset
from incidents.models.channels import AlertFormat, AlertReceipt, AlertSource
from incidents.models.evidence import CustodyEvent, EvidenceItem
from incidents.models.facts import Fact, FactKind
from incidents.models.figures import DailyFigure, FiguresZone, MonthlyFigure
from incidents.models.incident import Incident, IncidentCounter
from incidents.models.indicators import Indicator
from incidents.models.intake import (
    Event,
    EventKey,
    IdempotencyRecord,
    IntakeSettings,
    Report,
    ReportingLink,
    ReportKey,
)
from incidents.models.mail import MailDelivery, MailMessage
from incidents.models.mailbox import MailOutcome, MailReceipt, MailSecurity, ReportingMailbox
from incidents.models.relations import IncidentRelation, RelationKind
from incidents.models.timeline import TimelineEntry
from incidents.models.work import Task

__all__ = [
    "AffectedAsset",
    "AlertFormat",
    "AlertReceipt",
    "AlertSource",
    "Asset",
    "CustodyEvent",
    "DailyFigure",
    "Event",
    "EventKey",
    "EvidenceItem",
    "Fact",
    "FactKind",
    "FiguresZone",
    "IdempotencyRecord",
    "Incident",
    "IncidentCounter",
    "IncidentRelation",
    "Indicator",
    "IntakeSettings",
    "MailDelivery",
    "MailMessage",
    "MailOutcome",
    "MailReceipt",
    "MailSecurity",
    "MonthlyFigure",
    "RelationKind",
    "Report",
    "ReportKey",
    "ReportingLink",
    "ReportingMailbox",
    "Task",
    "TimelineEntry",
]
