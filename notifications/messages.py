"""Alerts rendered for one recipient: subject, lines of facts, text and HTML, links, JSON.

Rendered at send time in the recipient's language (their preferred language, else the site's)
from the payload the alert stored when it was written, so no domain query runs in the worker.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.roles import DecisionType
from notifications import acklink, links
from notifications.enums import EVENT_LABELS
from notifications.models import Notification
from notifications.transports.base import Message

Lines = Callable[[dict[str, Any], ZoneInfo], list[str]]


def language_of(notification: Notification) -> str:
    return notification.recipient.preferred_language or settings.LANGUAGE_CODE


def when(value: str | None, zone: ZoneInfo) -> str:
    if not value:
        return "—"
    return timezone.localtime(datetime.fromisoformat(value), zone).strftime("%Y/%m/%d %H:%M")


def label(value: Any) -> str:
    """A label stored in every language (``{"ja": …, "en": …}``) in the current one."""
    if isinstance(value, dict):
        return str(value.get(translation.get_language() or "", next(iter(value.values()), "")))
    return str(value or "")


def _decision_type(payload: dict[str, Any]) -> str:
    code = payload.get("type", "")
    return str(DecisionType(code).label) if code in DecisionType.values else code


def _report(p: dict[str, Any], zone: ZoneInfo) -> list[str]:
    return [_("A suspicious email was reported: %(subject)s") % {"subject": p.get("mail_subject")}]


def _campaign(p: dict[str, Any], zone: ZoneInfo) -> list[str]:
    return [_("%(count)s reports of one campaign so far.") % {"count": p.get("count")}]


def _recommendation(p: dict[str, Any], zone: ZoneInfo) -> list[str]:
    rules = ", ".join(p.get("rules") or []) or "—"
    return [
        _("Recommended level: %(previous)s → %(level)s") % p,
        _("Rules met: %(rules)s") % {"rules": rules},
    ]


def _decision(p: dict[str, Any], zone: ZoneInfo) -> list[str]:
    lines = [
        _("Decision: %(type)s") % {"type": _decision_type(p)},
        _("Decide by: %(due)s") % {"due": when(p.get("due_at"), zone)},
    ]
    if p.get("assignee"):
        lines.append(_("Assigned to: %(name)s") % {"name": p["assignee"]})
    if p.get("reason"):
        lines.append(_("Why: %(reason)s") % {"reason": p["reason"]})
    return lines


def _reassigned(p: dict[str, Any], zone: ZoneInfo) -> list[str]:
    return [_("The previous holder did not decide in time."), *_decision(p, zone)]


def _overdue(p: dict[str, Any], zone: ZoneInfo) -> list[str]:
    return [
        _("Nobody in the chain decided by the deadline: %(type)s") % {"type": _decision_type(p)}
    ]


def _decided(p: dict[str, Any], zone: ZoneInfo) -> list[str]:
    values = {
        "type": _decision_type(p),
        "outcome": label(p.get("outcome_label")),
        "who": p.get("decided_by") or "—",
    }
    return [_("%(type)s: %(outcome)s, by %(who)s") % values]


def _level(p: dict[str, Any], zone: ZoneInfo) -> list[str]:
    return [_("Level %(previous)s → %(level)s") % p]


def _bcp(p: dict[str, Any], zone: ZoneInfo) -> list[str]:
    values = {"previous": label(p.get("previous_label")), "state": label(p.get("state_label"))}
    return [_("Cyber BCP: %(previous)s → %(state)s") % values]


def _evidence(p: dict[str, Any], zone: ZoneInfo) -> list[str]:
    values = {"evidence": p.get("evidence_label"), "holder": p.get("holder")}
    return [_("Evidence %(evidence)s is now held by %(holder)s.") % values]


def _task(p: dict[str, Any], zone: ZoneInfo) -> list[str]:
    values = {"title": p.get("title"), "due": when(p.get("due_at"), zone)}
    return [_("Task overdue: %(title)s (due %(due)s)") % values]


def _withdrawn(p: dict[str, Any], zone: ZoneInfo) -> list[str]:
    values = {"type": _decision_type(p), "who": p.get("withdrawn_by") or "—"}
    return [
        _("%(type)s was withdrawn by %(who)s; nothing to decide.") % values,
        _("Why: %(reason)s") % {"reason": p.get("reason") or "—"},
    ]


def _day(value: str | None) -> str:
    return value.replace("-", "/") if value else "—"


def _training(p: dict[str, Any], zone: ZoneInfo) -> list[str]:
    values = {"title": p.get("title"), "due": _day(p.get("due_on"))}
    if p.get("overdue"):
        return [_("Training overdue: %(title)s (due %(due)s)") % values]
    return [_("Training due: %(title)s (by %(due)s)") % values]


def _corrective_action(p: dict[str, Any], zone: ZoneInfo) -> list[str]:
    values = {"title": p.get("title"), "due": _day(p.get("due_on"))}
    if p.get("overdue"):
        return [_("Corrective action overdue: %(title)s (due %(due)s)") % values]
    return [_("Corrective action due: %(title)s (by %(due)s)") % values]


def _obligation(p: dict[str, Any], zone: ZoneInfo) -> list[str]:
    values = {"kind": label(p.get("kind_label")), "due": when(p.get("due_at"), zone)}
    if p.get("which") == "soft":
        return [_("%(kind)s: the time to aim for has come (%(due)s)") % values]
    return [_("%(kind)s is due now (%(due)s)") % values]


def _kit(p: dict[str, Any], zone: ZoneInfo) -> list[str]:
    values = {
        "version": p.get("version"),
        "printed": p.get("printed_version"),
        "at": when(p.get("printed_at"), zone),
    }
    return [
        _(
            "The emergency kit is now version %(version)s; the printed copy is version "
            "%(printed)s (printed %(at)s). Print the new version and replace the copies."
        )
        % values
    ]


def _vulnerability(p: dict[str, Any], zone: ZoneInfo) -> list[str]:
    values = {"vuln": p.get("vuln_id"), "asset": p.get("asset"), "due": when(p.get("due_at"), zone)}
    return [
        _(
            "%(vuln)s is being exploited (CISA KEV) and %(asset)s faces the internet. "
            "Fix or mitigate it by %(due)s, and consider opening an incident."
        )
        % values
    ]


def _vulnerability_due(p: dict[str, Any], zone: ZoneInfo) -> list[str]:
    values = {"vuln": p.get("vuln_id"), "asset": p.get("asset"), "due": when(p.get("due_at"), zone)}
    if p.get("which") == "due":
        return [_("%(vuln)s on %(asset)s is due now (%(due)s): fix or mitigate it.") % values]
    return [_("%(vuln)s on %(asset)s falls due %(due)s: fix or mitigate it by then.") % values]


LINES: dict[str, Lines] = {
    "report.received": _report,
    "campaign.grew": _campaign,
    "recommendation.raised": _recommendation,
    "decision.opened": _decision,
    "decision.reassigned": _reassigned,
    "decision.overdue": _overdue,
    "decision.decided": _decided,
    "decision.withdrawn": _withdrawn,
    "level.changed": _level,
    "bcp.state_changed": _bcp,
    "evidence.transferred": _evidence,
    "task.overdue": _task,
    "training.due": _training,
    "corrective_action.due": _corrective_action,
    "obligation.due": _obligation,
    "kit.outdated": _kit,
    "vulnerability.exploitable": _vulnerability,
    "vulnerability.due": _vulnerability_due,
}


# Mails to an address that go out as their publisher wrote them (subject and text).
AS_WRITTEN = ("communication.mailed", "mailbox.replied")


def render(notification: Notification, *, bodies: bool = True) -> Message:
    """``bodies=False``: without the mail's text and HTML (two template renderings), for the
    transports that send only the subject, the facts, the links and the JSON document."""
    if notification.alert.event in AS_WRITTEN:
        return _mail(notification)
    with translation.override(language_of(notification)):
        return _render(notification, bodies=bodies)


def _mail(notification: Notification) -> Message:
    """A staff warning goes out as written and approved, the reply to a forwarder as the
    reporting mailbox wrote it: its subject and text, nothing added."""
    mail = notification.alert.payload.get("mail", {})
    subject, text = str(mail.get("subject", "")), str(mail.get("body", ""))
    html = render_to_string("notifications/email/mail.html", {"subject": subject, "text": text})
    return Message(subject=subject, text=text, html=html, link="", ack_link="", lines=[text])


def _what(event: str, p: dict[str, Any]) -> str:
    """What the alert is about, for its subject: the decision, the task, the course…, so two
    alerts of one event on one incident never share a subject."""
    if event.startswith("decision."):
        return _decision_type(p)
    if event in ("task.overdue", "training.due", "corrective_action.due"):
        return str(p.get("title") or "")
    if event == "report.received":
        return str(p.get("mail_subject") or "")
    if event in ("level.changed", "recommendation.raised"):
        return _("Level %(previous)s → %(level)s") % p
    if event == "bcp.state_changed":
        return label(p.get("state_label"))
    if event == "evidence.transferred":
        return str(p.get("evidence_label") or "")
    if event == "obligation.due":
        return label(p.get("kind_label"))
    if event in ("vulnerability.exploitable", "vulnerability.due"):
        return f"{p.get('vuln_id')} — {p.get('asset')}"
    if event == "vulnerability.feed_failed":
        return str(p.get("url", ""))
    return ""


def _subject(notification: Notification) -> str:
    alert = notification.alert
    incident = alert.payload.get("incident") or {}
    event = str(EVENT_LABELS.get(alert.event, alert.event))
    what = _what(alert.event, alert.payload)
    parts = [_("%(event)s: %(what)s") % {"event": event, "what": what} if what else event]
    if incident:
        parts.append(f"{incident.get('ref')} {incident.get('title')}")
    subject = " — ".join(parts)
    if alert.needs_ack:
        subject = _("[Action needed] %(subject)s") % {"subject": subject}
    if notification.step:
        subject = _("[Reminder %(step)s] %(subject)s") % {
            "step": notification.step,
            "subject": subject,
        }
    if incident.get("exercise"):  # an exercise's alert never reads as a real one (issue 18)
        subject = _("[EXERCISE] %(subject)s") % {"subject": subject}
    return subject


def _facts(notification: Notification, zone: ZoneInfo) -> list[str]:
    alert = notification.alert
    payload = alert.payload
    lines = list(LINES[alert.event](payload, zone))
    incident = payload.get("incident")
    if incident:
        lines.insert(
            0,
            _("Incident: %(ref)s %(title)s (level %(level)s)") % {**incident, "level": alert.level},
        )
    if alert.needs_ack and alert.ack_due_at:
        due = timezone.localtime(alert.ack_due_at, zone).strftime("%Y/%m/%d %H:%M")
        lines.append(_("Please acknowledge by %(due)s.") % {"due": due})
    return lines


def _render(notification: Notification, *, bodies: bool = True) -> Message:
    alert = notification.alert
    zone = ZoneInfo(alert.organisation.time_zone)
    subject = _subject(notification)
    lines = _facts(notification, zone)
    # Straight to the decision, task or incident (signed; the page asks to sign in).
    link = links.open_url(alert_id=alert.pk, user_id=notification.recipient_id)
    ack_link = ""
    if alert.needs_ack:
        ack_link = acklink.ack_url(alert_id=alert.pk, user_id=notification.recipient_id)
    open_label = links.target(alert)[1]
    text = html = ""
    if bodies:
        context = {
            "subject": subject,
            "lines": lines,
            "link": link,
            "link_label": open_label,
            "all_link": acklink.absolute(reverse("notifications:list")),
            "ack_link": ack_link,
            "recipient": notification.recipient,
        }
        text = render_to_string("notifications/email/alert.txt", context)
        html = render_to_string("notifications/email/alert.html", context)
    return Message(
        subject=subject,
        text=text,
        html=html,
        link=link,
        ack_link=ack_link,
        open_label=open_label,
        lines=lines,
        document=webhook_document(notification, subject, lines, link),
    )


def webhook_document(
    notification: Notification, subject: str, lines: list[str], link: str
) -> dict[str, Any]:
    """The generic webhook's JSON body (documented in docs/api.md, "Webhooks")."""
    alert = notification.alert
    recipient = notification.recipient
    return {
        "id": str(notification.idempotency_key),
        "event": alert.event,
        "alert": alert.pk,
        "step": notification.step,
        "level": alert.level,
        "created_at": alert.created_at.isoformat(),
        "organisation": alert.organisation_id,
        "incident": alert.payload.get("incident"),
        "recipient": {
            "id": recipient.pk,
            "username": recipient.username,
            "name": str(recipient),
        },
        "needs_ack": alert.needs_ack,
        "ack_due_at": alert.ack_due_at.isoformat() if alert.ack_due_at else None,
        "subject": subject,
        "text": "\n".join(lines),
        "link": link,
        "data": alert.payload,
    }
