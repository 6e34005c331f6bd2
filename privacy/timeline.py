"""Labels and words of the timeline entries privacy writes, registered with incidents."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.text import join_list
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
        return join_list(_("No. %(n)s") % {"n": v} for v in values or []) or _("none")

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


def _from_to(enum: Any, p: dict[str, Any]) -> dict[str, str]:
    return {"old": _label(enum, p.get("from")), "new": _label(enum, p.get("to"))}


def _screened_sentence(p: dict[str, Any], say: Any) -> str:
    return say(
        _("%(who)s screened the incident for personal data at %(at)s: %(result)s."),
        result=_label(Screening, p.get("screening")),
    )


def _aware_sentence(p: dict[str, Any], say: Any) -> str:
    return say(
        _("At %(at)s the APPI clock was started from %(aware)s: %(what)s."),
        aware=when(p.get("aware_at")),
        what=trigger_text(str(p.get("trigger", ""))),
    )


def _categories_sentence(p: dict[str, Any], say: Any) -> str:
    def text(values: Any) -> str:
        return join_list(_("No. %(n)s") % {"n": v} for v in values or []) or _("none")

    return say(
        _("%(who)s changed the APPI categories from %(old)s to %(new)s at %(at)s."),
        old=text(p.get("from")),
        new=text(p.get("to")),
    )


def _cause_sentence(p: dict[str, Any], say: Any) -> str:
    from privacy.enums import Cause

    text = _("%(who)s changed the cause of the leak from “%(old)s” to “%(new)s” at %(at)s.")
    return say(text, **_from_to(Cause, p))


def _warning_sentence(p: dict[str, Any], say: Any) -> str:
    text = _("At %(at)s the new due time of the obligation “%(kind)s” had already passed.")
    return say(text, kind=_kind(p.get("kind")))


def _status_sentence(p: dict[str, Any], say: Any) -> str:
    text = _("At %(at)s the APPI reportability went from “%(old)s” to “%(new)s”.")
    return say(text, **_from_to(AppiStatus, p))


def _report_form_sentence(p: dict[str, Any], say: Any) -> str:
    from privacy.enums import ReportForm

    text = _("%(who)s changed the form of the PPC report from “%(old)s” to “%(new)s” at %(at)s.")
    return say(text, **_from_to(ReportForm, p))


def _created_sentence(p: dict[str, Any], say: Any) -> str:
    from incidents.timeline_sentences import details

    due = _("due %(due)s") % {"due": say.due(p["due_at"])} if p.get("due_at") else ""
    text = _("At %(at)s the obligation “%(kind)s” was created%(details)s.")
    return say(text, kind=_kind(p.get("kind")), details=details(due))


def _done_sentence(p: dict[str, Any], say: Any) -> str:
    from incidents.timeline_sentences import details

    ref = p.get("reference_no")
    text = _("%(who)s completed the obligation “%(kind)s” at %(at)s%(details)s.")
    reference = _("reference %(ref)s") % {"ref": ref} if ref else ""
    return say(text, kind=_kind(p.get("kind")), details=details(reference))


def _waived_sentence(p: dict[str, Any], say: Any) -> str:
    from incidents.timeline_sentences import reason

    text = _("%(who)s marked the obligation “%(kind)s” as not needed at %(at)s.")
    return say(text, kind=_kind(p.get("kind"))) + reason(p)


def _reopened_sentence(p: dict[str, Any], say: Any) -> str:
    from incidents.timeline_sentences import reason

    text = _("%(who)s re-opened the obligation “%(kind)s” at %(at)s.")
    return say(text, kind=_kind(p.get("kind"))) + reason(p)


def _rescheduled_sentence(p: dict[str, Any], say: Any) -> str:
    text = _("At %(at)s the due time of the obligation “%(kind)s” moved from %(old)s to %(new)s.")
    return say(
        text,
        kind=_kind(p.get("kind")),
        old=when((p.get("from") or {}).get("due_at")),
        new=when((p.get("to") or {}).get("due_at")),
    )


def _report_sentence(p: dict[str, Any], say: Any) -> str:
    from privacy.enums import ReportVersion

    text = _("%(who)s edited the PPC report (%(version)s) at %(at)s.")
    return say(text, version=_label(ReportVersion, p.get("version")))


SENTENCES = {
    "appi.screened": _screened_sentence,
    "appi.aware": _aware_sentence,
    "appi.categories": _categories_sentence,
    "appi.cause": _cause_sentence,
    "appi.warning": _warning_sentence,
    "appi.status": _status_sentence,
    "appi.report_form": _report_form_sentence,
    "obligation.created": _created_sentence,
    "obligation.done": _done_sentence,
    "obligation.waived": _waived_sentence,
    "obligation.reopened": _reopened_sentence,
    "obligation.rescheduled": _rescheduled_sentence,
    "ppc_report.saved": _report_sentence,
}
