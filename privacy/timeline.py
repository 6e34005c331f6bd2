"""Labels and words of the timeline entries privacy writes, registered with incidents."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from privacy.enums import AppiStatus, LeakKind, ObligationKind, Screening

LABELS = {
    "appi.screened": gettext_lazy("Personal data screening (A-0)"),
    "appi.aware": gettext_lazy("APPI clock started (A-1)"),
    "appi.categories": gettext_lazy("APPI categories (A-2)"),
    "appi.cause": gettext_lazy("Cause of the leak"),
    "appi.warning": gettext_lazy("APPI warning (A-5)"),
    "appi.status": gettext_lazy("APPI reportability (A-6)"),
    "appi.report_form": gettext_lazy("Form of the PPC report"),
    "obligation.created": gettext_lazy("Obligation created"),
    "obligation.done": gettext_lazy("Obligation done"),
    "obligation.waived": gettext_lazy("Obligation waived"),
    "obligation.reopened": gettext_lazy("Obligation re-opened"),
    "obligation.rescheduled": gettext_lazy("Obligation due time changed"),
    "ppc_report.saved": gettext_lazy("PPC report edited"),
}
# Keys of privacy in other apps' payloads (the APPI status in a decision's snapshot).
KEY_LABELS = {"appi_status": gettext_lazy("APPI reportability")}
KEY_CHOICES: dict[str, type] = {"appi_status": AppiStatus}


def when(value: Any) -> str:
    """An ISO time of a payload as YYYY/MM/DD HH:mm in the current (user's) time zone."""
    if not value:
        return "—"
    try:
        at = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return timezone.localtime(at).strftime("%Y/%m/%d %H:%M")


def _kind(value: Any) -> str:
    return str(ObligationKind(value).label) if value in ObligationKind.values else str(value)


def _label(enum: Any, value: Any) -> str:
    return str(enum(value).label) if value in enum.values else str(value or "—")


def _screened(p: dict[str, Any]) -> list[str]:
    return [_label(Screening, p.get("screening"))]


TRIGGERS = {
    "A-1a": gettext_lazy("a leak of personal data"),
    "A-1b": gettext_lazy("an information stealer on an asset with personal data"),
    "A-1c": gettext_lazy("confirmed traffic to a C2 from an asset with personal data"),
}


def trigger_text(trigger: str) -> str:
    if trigger in LeakKind.values:
        return str(LeakKind(trigger).label)
    return str(TRIGGERS.get(trigger, trigger))


def _aware(p: dict[str, Any]) -> list[str]:
    return [
        _("Known since %(at)s: %(what)s")
        % {"at": when(p.get("aware_at")), "what": trigger_text(str(p.get("trigger", "")))}
    ]


def _categories(p: dict[str, Any]) -> list[str]:
    def text(values: Any) -> str:
        return "、".join(_("No. %(n)s") % {"n": v} for v in values or []) or _("none")

    return [_("%(old)s → %(new)s") % {"old": text(p.get("from")), "new": text(p.get("to"))}]


def _created(p: dict[str, Any]) -> list[str]:
    line = _kind(p.get("kind"))
    if p.get("due_at"):
        line += " " + _("(due %(due)s)") % {"due": when(p["due_at"])}
    return [line]


def _done(p: dict[str, Any]) -> list[str]:
    values = {"kind": _kind(p.get("kind")), "ref": p.get("reference_no") or "—"}
    return [_("%(kind)s: done, reference %(ref)s") % values]


def _waived(p: dict[str, Any]) -> list[str]:
    return [_kind(p.get("kind")), _("Reason: %(reason)s") % {"reason": p.get("reason", "")}]


def _reopened(p: dict[str, Any]) -> list[str]:
    return [_kind(p.get("kind")), _("Reason: %(reason)s") % {"reason": p.get("reason", "")}]


def _rescheduled(p: dict[str, Any]) -> list[str]:
    values = {
        "kind": _kind(p.get("kind")),
        "old": when((p.get("from") or {}).get("due_at")),
        "new": when((p.get("to") or {}).get("due_at")),
    }
    return [_("%(kind)s: due %(old)s → %(new)s") % values]


def _warning(p: dict[str, Any]) -> list[str]:
    return [_("The new due time of %(kind)s has already passed.") % {"kind": _kind(p.get("kind"))}]


def _cause(p: dict[str, Any]) -> list[str]:
    from privacy.enums import Cause

    return [
        _("%(old)s → %(new)s")
        % {"old": _label(Cause, p.get("from")), "new": _label(Cause, p.get("to"))}
    ]


def _status(p: dict[str, Any]) -> list[str]:
    from privacy.enums import AppiStatus

    values = {"old": _label(AppiStatus, p.get("from")), "new": _label(AppiStatus, p.get("to"))}
    return [_("%(old)s → %(new)s") % values]


def _report_form(p: dict[str, Any]) -> list[str]:
    from privacy.enums import ReportForm

    values = {"old": _label(ReportForm, p.get("from")), "new": _label(ReportForm, p.get("to"))}
    return [_("%(old)s → %(new)s") % values]


def _report(p: dict[str, Any]) -> list[str]:
    from privacy.enums import ReportVersion

    return [_label(ReportVersion, p.get("version"))]


DESCRIBERS = {
    "appi.screened": _screened,
    "appi.aware": _aware,
    "appi.categories": _categories,
    "appi.cause": _cause,
    "appi.warning": _warning,
    "appi.status": _status,
    "appi.report_form": _report_form,
    "obligation.created": _created,
    "obligation.done": _done,
    "obligation.waived": _waived,
    "obligation.reopened": _reopened,
    "obligation.rescheduled": _rescheduled,
    "ppc_report.saved": _report,
}
