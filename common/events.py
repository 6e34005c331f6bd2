"""Domain events, published by services inside their transaction.

A service says what happened (``publish("decision.opened", …)``); apps above it subscribe at
start-up (AppConfig.ready). Handlers run synchronously in the publisher's transaction, so what
they write (the notifications outbox) commits or rolls back with the change itself. This is how
lower apps (incidents, bcp) tell higher ones (notifications) without importing them. Unlike
Django signals, every publish is an explicit line in a service, and the names are listed here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Handler = Callable[..., None]

# name → what the payload carries (besides organisation_id and incident).
EVENTS: dict[str, str] = {
    "report.received": "event (triage item) or None, report, new_item (bool)",
    "campaign.grew": "event or None, count (reports of the campaign so far)",
    "recommendation.raised": "previous, level (recommended), rules",
    "decision.opened": "decision",
    "decision.reassigned": "decision, previous_assignee_id",
    "decision.overdue": "decision",
    "decision.decided": "decision",
    "decision.withdrawn": "decision",
    "level.changed": "previous, level, decision",
    "bcp.state_changed": "previous, state",
    "evidence.transferred": "evidence, holder",
    "training.due": "user, person_id, course_id, course_title, due_on (date), overdue (bool)",
    "corrective_action.due": "action (isms.CorrectiveAction), due_on (date), overdue (bool)",
    "obligation.due": "obligation (privacy.Obligation), which (soft / due), due_at",
    # An approved staff warning mailed to the organisation's staff address list (comms).
    "communication.mailed": "communication (comms.Communication), addresses (list), sender",
    # The reply to whoever forwarded a message to the reporting mailbox (incidents, issue 21):
    # the receipt number and the first aid, or why the message was not taken; by email only.
    "mailbox.replied": "receipt (incidents.MailReceipt), address, mail (subject, body)",
    # A known exploited vulnerability (CISA KEV) on an internet-facing asset (vulns, issue 23).
    "vulnerability.exploitable": "finding (vulns.Finding), vuln_id, asset (label), due_at",
    # A polled advisory feed failed (vulns): the ISMS office, once until it works again.
    "vulnerability.feed_failed": "feed (vulns.FeedSource), error (text), since (when alerted)",
    # An asset owner's task for an open finding: before its due date and at it (vulns).
    "vulnerability.due": "task (vulns.FindingTask), finding, vuln_id, asset (label), "
    "which (before / due), due_at",
    # What the offline emergency kit prints changed (records regenerates it; not an alert).
    "plan.changed": "what (roster / call_tree / checklists / rules / contacts)",
    # The kit's printed copy is older than its newest version: the ISMS office reprints it.
    "kit.outdated": "kit (records.EmergencyKit), printed (the printed records.EmergencyKit)",
}

_subscribers: dict[str, list[Handler]] = {}


def subscribe(name: str, handler: Handler) -> None:
    if name != "*" and name not in EVENTS:
        raise ValueError(f"unknown domain event {name!r}")
    handlers = _subscribers.setdefault(name, [])
    if handler not in handlers:
        handlers.append(handler)


def publish(name: str, *, organisation_id: int, incident: Any = None, **data: Any) -> None:
    if name not in EVENTS:
        raise ValueError(f"unknown domain event {name!r}")
    for handler in (*_subscribers.get(name, ()), *_subscribers.get("*", ())):
        handler(name, organisation_id=organisation_id, incident=incident, **data)
