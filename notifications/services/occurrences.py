"""What each event means for the alerts: level, subject, payload, who it is assigned to.

Called inside the publishing service's transaction with its objects; reads their attributes
only (``notifications`` may not import ``bcp`` or ``risklevels``), and stores a JSON payload
so rendering later needs no query. ``None`` means the event does not alert this time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import translation

from accounts.models import Organisation, User
from incidents.models import Incident, Task
from notifications.enums import TASK_OVERDUE
from notifications.services.defaults import policy_for


@dataclass
class Occurrence:
    event: str
    organisation: Organisation
    incident: Incident | None
    level: int
    payload: dict[str, Any] = field(default_factory=dict)
    subject: str = ""  # what the alert is about, e.g. "decision:12"
    assignee: User | None = None  # the ASSIGNEE audience
    assignee_role: str = ""  # whose chain an assignee's alert escalates along
    decision_type: str = ""
    dedupe_key: str | None = None
    urgent: bool = False  # quiet hours do not hold it
    resolves: str = ""  # open alerts about this subject stop escalating


def labels(instance: Any, field_name: str, value: str | None = None) -> dict[str, str]:
    """A choice's label in every language, for rendering later in the recipient's."""
    model_field = instance._meta.get_field(field_name)
    code = getattr(instance, field_name) if value is None else value
    text = dict(model_field.flatchoices).get(code, code)
    out = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            out[language] = str(text)
    return out


def _base(event: str, organisation: Organisation, incident: Incident | None) -> Occurrence:
    level = incident.level if incident is not None else 1
    payload: dict[str, Any] = {"incident": None}
    if incident is not None:
        payload["incident"] = {"id": incident.pk, "ref": incident.ref, "title": incident.title}
        if incident.is_exercise:  # the subject says 【訓練】 (issue 18)
            payload["incident"]["exercise"] = True
    return Occurrence(event, organisation, incident, level, payload)


def _report(occ: Occurrence, data: dict[str, Any]) -> Occurrence | None:
    if not data.get("new_item"):
        return None  # a report joining a known item counts towards campaign.grew instead
    report, item = data["report"], data.get("event")
    occ.payload.update(
        report=report.pk, item=item.pk if item else None, mail_subject=report.subject
    )
    occ.subject = f"report:{report.pk}"
    return occ


def _campaign(occ: Occurrence, data: dict[str, Any]) -> Occurrence | None:
    every = policy_for(occ.organisation).campaign_every or settings.ALERT_CAMPAIGN_EVERY
    count = int(data["count"])
    if count % every:
        return None
    owner = f"incident:{occ.incident.pk}" if occ.incident else f"item:{data['event'].pk}"
    occ.payload["count"] = count
    occ.subject, occ.dedupe_key = owner, f"campaign:{owner}:{count}"
    return occ


def _recommendation(occ: Occurrence, data: dict[str, Any]) -> Occurrence:
    occ.payload.update(previous=data["previous"], level=data["level"], rules=data["rules"])
    occ.level = max(occ.level, int(data["level"]))
    return occ


def _decision(occ: Occurrence, data: dict[str, Any]) -> Occurrence:
    decision = data["decision"]
    occ.level = max(occ.level, decision.target_level or 0)
    occ.subject = occ.resolves = f"decision:{decision.pk}"
    occ.assignee, occ.assignee_role = decision.assignee, decision.required_role
    occ.decision_type, occ.urgent = decision.type, occ.level >= 2
    occ.payload.update(
        decision=decision.pk,
        type=decision.type,
        due_at=decision.due_at.isoformat() if decision.due_at else None,
        reason=decision.reason,
        assignee=str(decision.assignee) if decision.assignee else "",
    )
    if occ.event == "decision.withdrawn":
        occ.payload.update(
            withdrawn_by=str(decision.withdrawn_by) if decision.withdrawn_by else "",
            reason=decision.withdrawal_reason,
        )
    if occ.event == "decision.decided":
        occ.assignee = None
        occ.payload.update(
            outcome_label=labels(decision, "outcome"),
            decided_by=str(decision.decided_by) if decision.decided_by else "",
        )
    return occ


def _level(occ: Occurrence, data: dict[str, Any]) -> Occurrence:
    occ.payload.update(previous=data["previous"], level=data["level"])
    occ.level = int(data["level"])
    return occ


def _bcp(occ: Occurrence, data: dict[str, Any]) -> Occurrence:
    activation = occ.incident.bcp_activation  # type: ignore[union-attr]
    occ.payload.update(
        previous=data["previous"],
        state=data["state"],
        previous_label=labels(activation, "state", data["previous"]),
        state_label=labels(activation, "state", data["state"]),
    )
    return occ


def _evidence(occ: Occurrence, data: dict[str, Any]) -> Occurrence:
    evidence = data["evidence"]
    occ.payload.update(
        evidence=evidence.pk, evidence_label=evidence.original_name, holder=data["holder"]
    )
    return occ


def _task(occ: Occurrence, data: dict[str, Any]) -> Occurrence:
    task: Task = data["task"]
    occ.subject = f"task:{task.pk}"
    occ.dedupe_key = f"{TASK_OVERDUE}:{task.pk}:{int(task.due_at.timestamp())}"  # type: ignore[union-attr]
    occ.assignee, occ.assignee_role = task.owner, task.owner_role
    occ.payload.update(task=task.pk, title=task.title, due_at=task.due_at.isoformat())  # type: ignore[union-attr]
    return occ


def _training(occ: Occurrence, data: dict[str, Any]) -> Occurrence:
    """A person's required training is due soon or overdue: remind them, once per due date."""
    due_on = data["due_on"]
    occ.subject = f"training:{data['person_id']}:{data['course_id']}"
    occ.dedupe_key = f"training.due:{data['person_id']}:{data['course_id']}:{due_on:%Y%m%d}"
    occ.assignee = data["user"]
    occ.payload.update(
        title=data["course_title"], due_on=due_on.isoformat(), overdue=bool(data["overdue"])
    )
    return occ


def _corrective_action(occ: Occurrence, data: dict[str, Any]) -> Occurrence:
    """A corrective action (cl. 10.2) is due soon or overdue: tell its owner, once per due date."""
    action, due_on = data["action"], data["due_on"]
    occ.subject = f"corrective_action:{action.pk}"
    occ.dedupe_key = f"corrective_action.due:{action.pk}:{due_on:%Y%m%d}:{int(data['overdue'])}"
    occ.assignee = action.owner
    occ.payload.update(
        action=action.pk,
        title=action.title,
        due_on=due_on.isoformat(),
        overdue=bool(data["overdue"]),
    )
    return occ


def _obligation(occ: Occurrence, data: dict[str, Any]) -> Occurrence:
    """An obligation (PPC 速報 …) reached its soft due or its due: tell the owner role, once
    each (escalating along its deputy chain while unacknowledged)."""
    obligation, which = data["obligation"], data["which"]
    occ.subject = f"obligation:{obligation.pk}"
    occ.dedupe_key = f"obligation.due:{obligation.pk}:{which}:{int(data['due_at'].timestamp())}"
    occ.assignee_role = obligation.owner_role
    occ.urgent = which == "due"
    occ.payload.update(
        obligation=obligation.pk,
        kind=obligation.kind,
        kind_label=labels(obligation, "kind"),
        which=which,
        due_at=data["due_at"].isoformat(),
        owner_role=obligation.owner_role,
    )
    return occ


def _kit(occ: Occurrence, data: dict[str, Any]) -> Occurrence:
    """The printed emergency kit is older than the roster: the ISMS office reprints it, once
    per new version."""
    kit, printed = data["kit"], data["printed"]
    occ.subject = f"kit:{kit.organisation_id}"
    occ.dedupe_key = f"kit.outdated:{kit.organisation_id}:{kit.version}"
    occ.payload.update(
        version=kit.version,
        printed_version=printed.version,
        printed_at=printed.printed_at.isoformat(),
    )
    return occ


def _vulnerability(occ: Occurrence, data: dict[str, Any]) -> Occurrence:
    """A known exploited vulnerability on an internet-facing asset: the CSIRT lead at once,
    once per finding (vulns, issue 23)."""
    finding = data["finding"]
    occ.subject = f"finding:{finding.pk}"
    occ.dedupe_key = f"vulnerability.exploitable:{finding.pk}"
    occ.urgent = True
    occ.payload.update(
        finding=finding.pk,
        vuln_id=str(data["vuln_id"]),
        asset=str(data["asset"]),
        due_at=data["due_at"].isoformat(),
    )
    return occ


def _feed_failed(occ: Occurrence, data: dict[str, Any]) -> Occurrence:
    """A polled advisory feed failed: the ISMS office, once until the feed works again (vulns
    records when it alerted, so the next poll's failure publishes nothing)."""
    feed = data["feed"]
    occ.subject = f"feed:{feed.pk}"
    occ.dedupe_key = f"vulnerability.feed_failed:{feed.pk}:{int(data['since'].timestamp())}"
    occ.payload.update(feed=feed.pk, kind=feed.kind, url=feed.url, error=str(data["error"]))
    return occ


def _vulnerability_due(occ: Occurrence, data: dict[str, Any]) -> Occurrence:
    """An asset owner's task for a finding: before its due date and at it, once each per due
    date (vulns' sweep claims each step; the key repeats the claim)."""
    task, which, due_at = data["task"], data["which"], data["due_at"]
    occ.subject = f"finding:{data['finding'].pk}"
    occ.dedupe_key = f"vulnerability.due:{task.pk}:{which}:{int(due_at.timestamp())}"
    occ.assignee = task.owner
    occ.urgent = which == "due"
    occ.payload.update(
        finding=data["finding"].pk,
        vuln_id=str(data["vuln_id"]),
        asset=str(data["asset"]),
        which=which,
        due_at=due_at.isoformat(),
    )
    return occ


DESCRIBE: dict[str, Callable[[Occurrence, dict[str, Any]], Occurrence | None]] = {
    "report.received": _report,
    "campaign.grew": _campaign,
    "recommendation.raised": _recommendation,
    "decision.opened": _decision,
    "decision.reassigned": _decision,
    "decision.overdue": _decision,
    "decision.decided": _decision,
    "decision.withdrawn": _decision,
    "level.changed": _level,
    "bcp.state_changed": _bcp,
    "evidence.transferred": _evidence,
    TASK_OVERDUE: _task,
    "training.due": _training,
    "corrective_action.due": _corrective_action,
    "obligation.due": _obligation,
    # Not an alert to people of a role: notifications.services.staff_mail delivers it.
    "communication.mailed": lambda occ, data: None,
    # Not an alert to people of a role: notifications.services.mailbox_reply sends it to the
    # forwarder's address, and to nobody else.
    "mailbox.replied": lambda occ, data: None,
    # Not an alert: records regenerates the emergency kit.
    "plan.changed": lambda occ, data: None,
    "kit.outdated": _kit,
    "vulnerability.exploitable": _vulnerability,
    "vulnerability.feed_failed": _feed_failed,
    "vulnerability.due": _vulnerability_due,
}


def describe(
    event: str, *, organisation: Organisation, incident: Incident | None, data: dict[str, Any]
) -> Occurrence | None:
    return DESCRIBE[event](_base(event, organisation, incident), data)
