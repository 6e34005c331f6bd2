"""The registers for the ISMS audit: each list page's rows as CSV columns (ISO/IEC 27001
A.5.24–A.5.28 evidence). Presentation only: the rows come from the list's own selector with the
list's filters, so a register holds exactly what the person sees on the page; every cell goes
through ``common.csvexport`` (formula cells neutralised)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from common import csvexport
from common.csvexport import Column

when = csvexport.local_time


def _name(user: Any) -> str:
    return str(user) if user else ""


INCIDENTS: list[Column] = [
    (_("Reference"), lambda i: i.ref),
    (_("Title"), lambda i: i.title),
    (_("Category"), lambda i: i.get_category_display()),
    (_("Level"), lambda i: i.level),
    (_("Peak level"), lambda i: i.peak_level),
    (_("Status"), lambda i: i.get_status_display()),
    (_("Priority"), lambda i: i.get_priority_display()),
    (_("TLP"), lambda i: i.get_tlp_display()),
    (_("Determination"), lambda i: i.get_determination_display()),
    (_("CSIRT lead"), lambda i: _name(i.csirt_lead)),
    (_("Owner"), lambda i: _name(i.owner)),
    (_("Infected PCs"), lambda i: i.infected_effective_count),
    (_("Isolated PCs"), lambda i: i.isolated_count),
    (_("Declared"), lambda i: when(i.declared_at)),
    (_("Contained"), lambda i: when(i.contained_at)),
    (_("Closed"), lambda i: when(i.closed_at)),
]
REPORTS: list[Column] = [
    (_("Number"), lambda r: r.number),
    (_("Received"), lambda r: when(r.received_at)),
    (_("Reporter"), lambda r: r.reporter_name),
    (_("Channel"), lambda r: r.get_channel_display()),
    (_("Category"), lambda r: r.get_category_display()),
    (_("Sender"), lambda r: r.sender),
    (_("Subject"), lambda r: r.subject),
    (_("Incident"), lambda r: r.incident.ref if r.incident_id else ""),
    (_("State"), lambda r: r.event.get_status_display() if r.event_id else ""),
]
DECISIONS: list[Column] = [
    (_("Decision"), lambda d: d.get_type_display()),
    (_("Incident"), lambda d: d.incident.ref),
    (_("Status"), lambda d: d.get_status_display()),
    (_("Outcome"), lambda d: d.get_outcome_display() if d.outcome else ""),
    (_("Assignee"), lambda d: _name(d.assignee)),
    (_("Opened"), lambda d: when(d.opened_at)),
    (_("Deadline"), lambda d: when(d.due_at)),
    (_("Decided by"), lambda d: _name(d.decided_by)),
    (_("Decided"), lambda d: when(d.decided_at)),
    (_("Rationale"), lambda d: d.rationale),
]
TASKS: list[Column] = [
    (_("Code"), lambda t: t.code),
    (_("Task"), lambda t: t.shown_title),
    (_("Incident"), lambda t: t.incident.ref),
    (_("Level"), lambda t: t.level),
    (_("Owner"), lambda t: _name(t.owner)),
    (_("Due"), lambda t: when(t.due_at)),
    (_("Status"), lambda t: t.get_status_display()),
    (_("Completed"), lambda t: when(t.completed_at)),
    (_("Note"), lambda t: t.completion_note),
]
ALERTS: list[Column] = [
    (_("Event"), lambda a: a.event_label),
    (_("Subject"), lambda a: a.subject),
    (_("Incident"), lambda a: a.incident.ref if a.incident_id else ""),
    (_("Raised"), lambda a: when(a.created_at)),
    (_("Acknowledged by"), lambda a: _name(a.acknowledged_by)),
    (_("Acknowledged"), lambda a: when(a.acknowledged_at)),
]
REGISTERS: dict[str, list[Column]] = {
    "incidents": INCIDENTS,
    "reports": REPORTS,
    "decisions": DECISIONS,
    "tasks": TASKS,
    "alerts": ALERTS,
}
