"""The rows of the five lists as Python-built HTML: one function per list, one call per page.

Issue 20: a page of 50 rows through Django's template engine cost ~1 500 variable lookups and
~1 000 ``{{ }}`` renderings, most of a list's time. Each function here writes exactly what the
row loop of its template wrote (tests/dashboard/test_list_rows.py renders the old loop beside
it, in Japanese and English): every text escaped (``e``, as ``{{ }}`` escapes), dates in the
user's time zone in the project's one format, the visible words translated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.template.defaultfilters import stringformat
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from bcp.templatetags.bcp_ui import countdown
from common.text import escape as e
from dashboard.selectors.tiles import stands_in

# --- Small pieces, each the template filter it replaces -----------------------------------------

_SENTINEL = 918273645
_URL_PARTS: dict[tuple[str, str, Any], tuple[str, str]] = {}
_PLAIN = re.compile(r"[A-Za-z0-9._-]+\Z")


def url(name: str, arg: Any) -> str:
    """``{% url name arg %}`` for a one-argument URL, the pattern reversed once per process
    (the argument put between its fixed parts when it needs no quoting, else ``reverse``)."""
    text = str(arg)
    if not _PLAIN.match(text):
        return reverse(name, args=[arg])
    key = (name, get_script_prefix(), get_urlconf())
    parts = _URL_PARTS.get(key)
    if parts is None:
        before, _, after = reverse(name, args=[_SENTINEL]).partition(str(_SENTINEL))
        parts = _URL_PARTS[key] = (before, after)
    return parts[0] + text + parts[1]


_FAST_FORMAT = "Y/m/d H:i"  # isms_csirt/formats: the one format of both languages


def when(value: datetime | None) -> str:
    """``{{ value|date:"SHORT_DATETIME_FORMAT" }}``: local time, '' for none."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    if formats.get_format("SHORT_DATETIME_FORMAT") == _FAST_FORMAT:
        return f"{local:%Y/%m/%d %H:%M}"
    return formats.date_format(local, "SHORT_DATETIME_FORMAT")


def number(value: int) -> str:
    """``{{ value }}`` of an integer (localised: grouped only with USE_THOUSAND_SEPARATOR);
    digits and separators only, nothing to escape."""
    if settings.USE_THOUSAND_SEPARATOR:
        return formats.localize(value)
    return str(value)


def level_label(level: int) -> str:
    """``{% blocktranslate with n=level %}Level {{ n }}{% endblocktranslate %}``."""
    return _("Level %(n)s") % {"n": number(level)}


def _labels() -> Callable[[Any, str], str]:
    """``{{ row.get_<field>_display }}``, escaped, asked once per value on a page (a page of 50
    incidents shows the same few statuses, priorities and categories 200 times)."""
    seen: dict[tuple[str, Any], str] = {}

    def label(row: Any, field: str) -> str:
        key = (field, getattr(row, field))
        shown = seen.get(key)
        if shown is None:
            shown = seen[key] = e(getattr(row, f"get_{field}_display")())
        return shown

    return label


def _join(rows: list[str]) -> SafeString:
    return mark_safe("".join(rows))  # noqa: S308 (every value escaped by e())


def countdown_html(due_at: datetime | None, now: datetime) -> str:
    """``{% countdown due_at now %}`` (bcp/partials/countdown.html, with its final newline)."""
    c = countdown(due_at, now)
    if not c["due_at"]:
        return f'<span class="countdown none">{e(c["text"])}</span>\n'
    clock = ""
    if c["exercise_now"]:
        at = e(timezone.localtime(c["exercise_now"]).isoformat())
        clock = f' data-now="{at}" data-speed="{e(stringformat(c["speed"], "g"))}"'
    return (
        f'<time class="countdown{" overdue" if c["past"] else ""}"'
        f' datetime="{e(timezone.localtime(c["due_at"]).isoformat())}" data-countdown{clock}'
        f' data-fmt-left="{e(c["fmt_left"])}" data-fmt-over="{e(c["fmt_over"])}"'
        f' data-fmt-min="{e(c["fmt_min"])}" data-fmt-hour="{e(c["fmt_hour"])}">'
        f"{e(c['text'])}</time>\n"
    )


# --- The lists ----------------------------------------------------------------------------------


def incidents(rows: Iterable[Any]) -> SafeString:
    exercise = f' <span class="badge exercise">{e(_("exercise"))}</span>'
    waiting = f' <span class="badge warn">⚠ {e(_("waiting on a decision"))}</span>'
    label = _labels()
    out = []
    for i in rows:
        recommended = ""
        if i.recommended_level > i.level:
            advice = _("Level %(n)s recommended") % {"n": number(i.recommended_level)}
            recommended = f' <span class="badge recommended">⚠ {advice}</span>'
        out.append(
            "<tr>\n"
            f'    <td><a href="{e(url("incidents:incident_detail", i.ref))}">{e(i.ref)}</a></td>\n'
            f"    <td>{e(i.title)}{exercise if i.is_exercise else ''}"
            f' <span class="badge tlp tlp-{e(i.tlp.lower())}">{label(i, "tlp")}</span>'
            f"{waiting if i.waiting_decision else ''}</td>\n"
            f'    <td><span class="badge level-{number(i.level)}">{level_label(i.level)}</span>'
            f"{recommended}</td>\n"
            f"    <td>{label(i, 'status')}</td>\n"
            f'    <td><span class="badge priority-{e(i.priority)}">'
            f"{label(i, 'priority')}</span></td>\n"
            f"    <td>{label(i, 'category')}</td>\n"
            f'    <td class="num">{number(i.infected_effective_count)}'
            f" / {number(i.isolated_count)}</td>\n"
            f'    <td class="num">{number(i.mail_delivered_count)}'
            f" / {number(i.mail_reported_count)} / {number(i.mail_executed_count)}</td>\n"
            f"    <td>{e(i.owner or '—')}</td>\n"
            f"    <td>{e(when(i.declared_at))}</td>\n"
            "  </tr>"
        )
    return _join(out)


def reports(rows: Iterable[Any]) -> SafeString:
    label = _labels()
    out = []
    for r in rows:
        sender = ""
        if r.sender:
            sender = f'<br><span class="muted">{e(Truncator(r.sender).chars(60))}</span>'
        if r.incident:
            ref = r.incident.ref
            state = f'<a href="{e(url("incidents:incident_detail", ref))}">{e(ref)}</a>'
        elif r.event:
            event = label(r.event, "status")
            is_new = r.event.status == "RECEIVED"
            state = f'<span class="badge warn">{event}</span>' if is_new else event
        else:
            state = "—"
        reporter = r.reporter or r.reporter_name or r.reporter_email or "—"
        out.append(
            "<tr>\n"
            f'    <td><a href="{e(url("incidents:report_detail", r.pk))}">{e(r.number)}</a></td>\n'
            f"    <td>{e(when(r.received_at))}</td>\n"
            f"    <td>{e(reporter)}</td>\n"
            f"    <td>{label(r, 'channel')}</td>\n"
            f'    <td class="wrap">{e(Truncator(r.subject or "—").chars(80))}{sender}</td>\n'
            f"    <td>{state}</td>\n"
            "  </tr>"
        )
    return _join(out)


def _assignee(decision: Any) -> str:
    """dashboard/partials/assignee.html (with its final newline)."""
    if not decision.assignee:
        return f'<span class="badge overdue">{e(_("nobody available"))}</span>\n'
    mark = stands_in(decision)
    badge = ""
    if mark == "deputy":
        badge = f' <span class="badge deputy">{e(_("deputy"))}</span>'
    elif mark == "delegate":
        badge = f' <span class="badge delegated">{e(_("delegate"))}</span>'
    return f"{e(decision.assignee)}{badge}\n"


def decisions(rows: Iterable[Any], now: datetime) -> SafeString:
    colon = e(_(":"))
    label = _labels()
    out = []
    for d in rows:
        status = label(d, "status")
        if d.outcome:
            status += colon + label(d, "outcome")
        if d.status == "OPEN":
            who, deadline = _assignee(d), countdown_html(d.due_at, now)
        else:
            who, deadline = e(d.decided_by or "—"), e(when(d.decided_at) or "—")
        ref = d.incident.ref
        out.append(
            "<tr>\n"
            f'    <td><a href="{e(url("bcp:decision_detail", d.pk))}">'
            f"{label(d, 'type')}</a></td>\n"
            f'    <td><a href="{e(url("incidents:incident_detail", ref))}">{e(ref)}</a></td>\n'
            f"    <td>{status}</td>\n"
            f"    <td>{who}</td>\n"
            f"    <td>{deadline}</td>\n"
            f"    <td>{e(when(d.opened_at))}</td>\n"
            "  </tr>"
        )
    return _join(out)


def tasks(rows: Iterable[Any], now: datetime) -> SafeString:
    label = _labels()
    out = []
    for t in rows:
        level = "—"
        if t.level:
            level = f'<span class="badge level-{number(t.level)}">{level_label(t.level)}</span>'
        is_open = t.status == "OPEN"
        due = countdown_html(t.due_at, now) if is_open else e(when(t.due_at) or "—")
        ref = t.incident.ref
        owner = e(t.owner) if t.owner else (label(t, "owner_role") or "—")
        out.append(
            "<tr>\n"
            f'    <td><a href="{e(url("incidents:incident_detail", ref))}#tasks">{e(t)}</a></td>\n'
            f"    <td>{e(ref)}</td>\n"
            f"    <td>{level}</td>\n"
            f"    <td>{owner}</td>\n"
            f"    <td>{due}</td>\n"
            f"    <td>{label(t, 'status')}</td>\n"
            "  </tr>"
        )
    return _join(out)


def alerts(rows: Iterable[Any]) -> SafeString:
    out = []
    for a in rows:
        incident = "—"
        if a.incident:
            ref = a.incident.ref
            incident = f'<a href="{e(url("incidents:incident_detail", ref))}">{e(ref)}</a>'
        if a.acknowledged_at:
            state = "✓ " + _("Acknowledged by %(name)s at %(when)s") % {
                "name": e(a.acknowledged_by),
                "when": e(when(a.acknowledged_at)),
            }
        elif a.resolved_at:
            state = e(_("No longer needed"))
        elif a.exhausted_at:
            flagged = e(_("Unacknowledged at the end of the chain"))
            state = f'<span class="badge overdue">⚠ {flagged}</span>'
        elif a.needs_ack:
            due = _("Acknowledge by %(when)s") % {"when": e(when(a.ack_due_at))}
            state = f'<span class="badge warn">{due}</span>'
        else:
            state = e(_("For information"))
        step = ""
        if a.escalation_step:
            step = " (" + _("reminder %(step)s") % {"step": number(a.escalation_step)} + ")"
        out.append(
            "<tr>\n"
            f"    <td>{e(a.event_label)}</td>\n"
            f"    <td>{incident}</td>\n"
            f"    <td>{e(when(a.created_at))}</td>\n"
            f"    <td>{state}</td>\n"
            f"    <td>{e(a.last_holder or '—')}{step}</td>\n"
            "  </tr>"
        )
    return _join(out)
