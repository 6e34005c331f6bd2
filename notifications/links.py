"""Where an alert leads: the page of its decision, task, report or incident, and the signed link
to it that every message carries (the page still asks to sign in, and checks who may see it)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.acklink import absolute
from notifications.models import Alert

SALT = "notifications.open"
# Anchors of the incident page for the events that are about one of its sections.
SECTIONS = {
    "recommendation.raised": "#escalation",
    "level.changed": "#escalation",
    "bcp.state_changed": "#bcp",
    "evidence.transferred": "#evidence",
    "obligation.due": "#privacy",
}


def target(alert: Alert) -> tuple[str, str]:
    """(path, label) of the page the alert is about; the alert list when it is about nothing
    the app has a page for."""
    kind, _sep, key = (alert.subject or "").partition(":")
    ref = (alert.payload.get("incident") or {}).get("ref")
    if kind == "decision" and key.isdigit():
        return reverse("bcp:decision_detail", args=[int(key)]), _("Open the decision")
    if kind == "task" and ref:
        return _incident(ref, f"#task-{key}"), _("Open the task")
    if kind == "finding" and key.isdigit():
        return reverse("vulns:finding_detail", args=[int(key)]), _("Open the finding")
    if kind == "kit":
        return reverse("records:kit"), _("Open the emergency kit")
    if kind == "training":
        return reverse("dashboard:index") + "#tile-my-training", _("Open your training")
    item = alert.payload.get("item")
    if not ref and item:
        return reverse("incidents:triage_item", args=[int(item)]), _("Open the triage item")
    if ref:
        return _incident(ref, SECTIONS.get(alert.event, "")), _("Open the incident")
    return reverse("notifications:list"), _("Open your alerts")


def _incident(ref: str, anchor: str = "") -> str:
    return reverse("incidents:incident_detail", args=[ref]) + anchor


def token_for(*, alert_id: int, user_id: int) -> str:
    return signing.dumps({"a": alert_id, "u": user_id}, salt=SALT, compress=True)


def read(token: str) -> tuple[int, int]:
    """(alert id, user id); raises signing.BadSignature (or SignatureExpired, a subclass)."""
    data = signing.loads(token, salt=SALT, max_age=settings.ALERT_OPEN_LINK_MAX_AGE_SECONDS)
    return int(data["a"]), int(data["u"])


def open_url(*, alert_id: int, user_id: int) -> str:
    token = token_for(alert_id=alert_id, user_id=user_id)
    return absolute(reverse("notifications:open_link", args=[token]))
