"""Timeline entries as sentences: "Hanako Yamada approved the decision “Activate the BCP” at
14:05 (due 15:00, deputy Sato)." One or two sentences per kind, from translatable format strings
with named placeholders; apps above incidents add theirs
(``extensions.register_timeline_sentences``). A kind without a sentence, or an older payload a
sentence cannot read, still reads as a sentence: who recorded what, and the payload in words
(``timeline_text.describe``). The room, the report and its PDF show the same text.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from incidents import extensions, timeline_text
from incidents.models import enums as e
from incidents.models.relations import INVERSE_LABELS, RelationKind

Sentence = Callable[[dict[str, Any], "Say"], str]


class Say:
    """What every sentence may name: who (``who``), when (``at``, local time of day), and the
    helpers that turn payload values into words."""

    def __init__(self, *, actor_label: str, is_person: bool, at: datetime | None) -> None:
        self.moment = timezone.localtime(at) if at else None
        if not actor_label or actor_label == "system":
            who = _("The system")
        elif is_person:
            who = self.person(actor_label)
        else:
            who = actor_label
        at_text = formats.time_format(self.moment, "H:i") if self.moment else "—"
        self.base = {"who": who, "at": at_text}

    @staticmethod
    def person(name: str) -> str:
        """A person as a sentence names them ("山田 花子さん" in Japanese)."""
        return pgettext("timeline person", "%(name)s") % {"name": name} if name else ""

    def __call__(self, sentence: str, /, **values: Any) -> str:
        return sentence % {**self.base, **values}

    def due(self, value: Any) -> str:
        """A deadline: the time of day when it falls on the entry's day, else date and time."""
        try:
            due = timezone.localtime(datetime.fromisoformat(str(value)))
        except (TypeError, ValueError):
            return timeline_text._label(None, value)
        if self.moment and due.date() == self.moment.date():
            return formats.time_format(due, "H:i")
        return formats.date_format(due, "SHORT_DATETIME_FORMAT")


def value(payload: dict[str, Any], key: str, choices: type | None = None) -> str:
    """A payload value in words: a code by its label, a time in local time, nothing as —."""
    if choices is None:
        choices = timeline_text.VALUE_CHOICES.get(key) or extensions.timeline_keys()[1].get(key)
    return timeline_text._label(choices, payload.get(key))


def details(*parts: str) -> str:
    """Parts that qualify a sentence, as " (a, b)" (English) or "（a、b）" (Japanese)."""
    shown = [part for part in parts if part]
    return _(" (%(parts)s)") % {"parts": _(", ").join(shown)} if shown else ""


def reason(payload: dict[str, Any], key: str = "reason") -> str:
    """A second sentence giving the reason, when there is one."""
    text = payload.get(key)
    return " " + _("The reason given: %(reason)s.") % {"reason": text} if text else ""


def names(payload: dict[str, Any], *ids: Any) -> dict[Any, str]:
    return timeline_text._names(payload, list(ids))


def _declared(p: dict[str, Any], say: Say) -> str:
    return say(
        _("%(who)s declared incident %(ref)s at %(at)s%(details)s."),
        ref=p.get("ref", ""),
        details=details(
            value(p, "category"),
            _("priority %(priority)s") % {"priority": value(p, "priority")}
            if p.get("priority")
            else "",
            _("level %(level)s") % {"level": p["level"]} if p.get("level") else "",
        ),
    )


def _updated(p: dict[str, Any], say: Say) -> str:
    if "field" in p:
        name, choices = timeline_text.FIELDS.get(
            p["field"], (timeline_text.key_label(p["field"]), None)
        )
        return say(
            _("%(who)s changed the %(field)s from “%(old)s” to “%(new)s” at %(at)s."),
            field=name,
            old=p.get("from_label") or timeline_text._label(choices, p.get("from")),
            new=p.get("to_label") or timeline_text._label(choices, p.get("to")),
        )
    changes = _("; ").join(timeline_text._updated(p)) or "—"
    return say(_("%(who)s changed the incident at %(at)s: %(changes)s."), changes=changes)


def _assigned(p: dict[str, Any], say: Say) -> str:
    people = names(p, p.get("csirt_lead"), *(p.get("handlers") or []))
    lead = people.get(p.get("csirt_lead"), _("nobody"))
    handlers = _(", ").join(people.get(i, "—") for i in p.get("handlers") or []) or _("nobody")
    if "csirt_lead" in p and p.get("handlers") is not None:
        text = _("%(who)s made %(lead)s the CSIRT lead and %(handlers)s the handlers at %(at)s.")
    elif "csirt_lead" in p:
        text = _("%(who)s made %(lead)s the CSIRT lead at %(at)s.")
    else:
        text = _("%(who)s made %(handlers)s the handlers at %(at)s.")
    return say(text, lead=lead, handlers=handlers)


def _status(p: dict[str, Any], say: Say) -> str:
    text = say(
        _("%(who)s moved the incident from “%(old)s” to “%(new)s” at %(at)s."),
        old=value(p, "from", e.IncidentStatus),
        new=value(p, "to", e.IncidentStatus),
    )
    if p.get("reason") == "reinfection":
        text += " " + _("The reason: a new infection.")
    else:
        text += reason(p)
    if p.get("waived_tasks"):
        waived = {"n": p["waived_tasks"], "reason": p.get("waive_reason") or "—"}
        text += " " + _("%(n)s open tasks were waived: %(reason)s.") % waived
    return text


def _report_attached(p: dict[str, Any], say: Say) -> str:
    matched = _("matched by %(what)s") % {"what": value(p, "matched")} if p.get("matched") else ""
    return say(
        _("%(who)s attached report %(report)s at %(at)s%(details)s."),
        report=p.get("report", ""),
        details=details(matched),
    )


def _intake_problem(p: dict[str, Any], say: Say) -> str:
    return say(
        _("At %(at)s part of report %(report)s could not be recorded: %(problem)s%(details)s."),
        report=p.get("report", ""),
        problem=value(p, "problem"),
        details=details(str(p.get("detail") or "")),
    )


def _details_added(p: dict[str, Any], say: Say) -> str:
    return say(
        _("%(who)s added details to report %(report)s at %(at)s."), report=p.get("report", "")
    )


def _alert_repeated(p: dict[str, Any], say: Say) -> str:
    return say(
        _(
            "At %(at)s the security tool sent the alert of report %(report)s again (%(n)s times "
            "in all)."
        ),
        report=p.get("report", ""),
        n=p.get("times_received", 2),
    )


def _promoted(p: dict[str, Any], say: Say) -> str:
    minutes = int(p.get("time_to_triage_s") or 0) // 60
    return say(
        _(
            "%(who)s accepted the triage item at %(at)s: %(n)s reports, %(minutes)s min from the "
            "first report to triage."
        ),
        n=p.get("reports", 0),
        minutes=minutes,
    )


def _event_attached(p: dict[str, Any], say: Say) -> str:
    text = say(
        _("%(who)s attached a triage item of %(n)s reports at %(at)s."), n=p.get("reports", 0)
    )
    return text + (
        " " + _("It is another email of the same campaign.") if p.get("new_message") else ""
    )


def _intel_sighted(p: dict[str, Any], say: Say) -> str:
    return say(
        _(
            "At %(at)s threat intelligence from %(source)s named %(what)s of this incident"
            " (%(value)s); triage item EV-%(event)s is open for the ISMS office."
        ),
        source=p.get("source", ""),
        what=value(p, "kind"),
        value=p.get("value", ""),
        event=p.get("event", ""),
    )


def _asset_added(p: dict[str, Any], say: Say) -> str:
    return say(
        _("%(who)s recorded the affected asset %(asset)s at %(at)s%(details)s."),
        asset=p.get("asset", ""),
        details=details(
            _("infection: %(state)s") % {"state": value(p, "infection_state")},
            _("isolation: %(state)s") % {"state": value(p, "containment_state")},
        ),
    )


def _asset_updated(p: dict[str, Any], say: Say) -> str:
    lines = timeline_text._asset_updated({**p, "asset": None})
    return say(
        _("%(who)s updated the affected asset %(asset)s at %(at)s: %(changes)s."),
        asset=p.get("asset", ""),
        changes=_("; ").join(lines) or "—",
    )


def _asset_infection(p: dict[str, Any], say: Say) -> str:
    text = say(
        _("%(who)s recorded the infection of %(asset)s from “%(old)s” to “%(new)s” at %(at)s."),
        asset=p.get("asset", ""),
        old=value(p, "from", e.InfectionState),
        new=value(p, "to", e.InfectionState),
    )
    parts = [
        _("route: %(via)s") % {"via": value(p, "via")} if p.get("via") else "",
        _("observed %(when)s") % {"when": value(p, "observed_at")} if p.get("observed_at") else "",
    ]
    return text[:-1] + details(*parts) + text[-1:] if any(parts) else text


def _indicator_added(p: dict[str, Any], say: Say) -> str:
    return say(
        _("%(who)s added the indicator %(value)s at %(at)s%(details)s."),
        value=p.get("value", ""),
        details=details(value(p, "kind"), value(p, "tlp") if p.get("tlp") else ""),
    )


def _indicator_blocked(p: dict[str, Any], say: Say) -> str:
    return say(
        _("%(who)s blocked the indicator %(value)s at %(place)s at %(at)s."),
        value=p.get("value", ""),
        place=value(p, "blocked_by"),
    )


def _indicator_tlp(p: dict[str, Any], say: Say) -> str:
    return say(
        _(
            "%(who)s changed the TLP of the indicator %(value)s from %(before)s to %(after)s"
            " at %(at)s."
        ),
        value=p.get("value", ""),
        before=value(p, "previous_tlp", e.Tlp),
        after=value(p, "tlp", e.Tlp),
    )


def _task_created(p: dict[str, Any], say: Say) -> str:
    return say(
        _("%(who)s created the task %(code)s “%(title)s” at %(at)s."),
        code=p.get("code", ""),
        title=p.get("title", ""),
    )


def _task_finished(p: dict[str, Any], say: Say) -> str:
    return say(
        _("%(who)s set the task %(code)s to “%(status)s” at %(at)s."),
        code=p.get("code", ""),
        status=value(p, "status", e.TaskStatus),
    )


def _task_from_record(p: dict[str, Any], say: Say) -> str:
    return say(
        _(
            "At %(at)s the record showed %(condition)s, so the task %(code)s was marked "
            "done%(details)s."
        ),
        code=p.get("code", ""),
        condition=value(p, "condition"),
        details=details(value(p, "records") if p.get("records") else ""),
    )


def _task_warning(p: dict[str, Any], say: Say) -> str:
    return say(
        _(
            "At %(at)s the done task %(code)s no longer matched the record: %(condition)s is not "
            "true for %(missing)s."
        ),
        code=p.get("code", ""),
        condition=value(p, "condition"),
        missing=value(p, "missing"),
    )


def _task_warning_cleared(p: dict[str, Any], say: Say) -> str:
    return say(
        _("At %(at)s the done task %(code)s matched the record again: %(condition)s."),
        code=p.get("code", ""),
        condition=value(p, "condition"),
    )


def _evidence(p: dict[str, Any], say: Say) -> str:
    of_report = _("from report %(report)s") % {"report": p["report"]} if p.get("report") else ""
    return say(
        _("%(who)s collected evidence at %(at)s%(details)s."),
        details=details(
            _("%(size)s bytes") % {"size": p.get("size", 0)},
            "SHA-256 " + str(p.get("sha256", "")),
            of_report,
        ),
    )


def _custody(p: dict[str, Any], say: Say) -> str:
    return say(
        _("%(who)s recorded “%(action)s” in the chain of custody at %(at)s%(details)s."),
        action=value(p, "action"),
        details=details(
            _("holder: %(holder)s") % {"holder": p["holder"]} if p.get("holder") else "",
            _("location: %(location)s") % {"location": p["location"]} if p.get("location") else "",
        ),
    )


def _delivery_added(p: dict[str, Any], say: Say) -> str:
    text = say(_("%(who)s recorded a mail delivery at %(at)s."))
    return text + (
        " " + _("The email has been removed from the mailboxes.") if p.get("executed") else ""
    )


def _delivery_updated(p: dict[str, Any], say: Say) -> str:
    parts = _(", ").join(timeline_text.delivery_fields(p.get("changes") or [])) or "—"
    return say(_("%(who)s updated a mail delivery at %(at)s: %(parts)s."), parts=parts)


def _message_added(p: dict[str, Any], say: Say) -> str:
    return say(
        _(
            "%(who)s recorded another email of the campaign, “%(subject)s” from %(sender)s, at "
            "%(at)s."
        ),
        subject=p.get("subject") or "—",
        sender=p.get("sender") or "—",
    )


def _link(p: dict[str, Any]) -> dict[str, str]:
    relation = p.get("kind")
    if relation in RelationKind.values and p.get("from") and not p.get("to"):
        name = str(INVERSE_LABELS[RelationKind(relation)])  # the link as the other side reads it
    else:
        name = timeline_text._label(RelationKind, relation)
    return {"relation": name.rstrip(":："), "other": str(p.get("to") or p.get("from") or "—")}


def _related(p: dict[str, Any], say: Say) -> str:
    text = say(_("%(who)s linked the incident at %(at)s: %(relation)s %(other)s."), **_link(p))
    return text + (" " + _("Note: %(note)s.") % {"note": p["note"]} if p.get("note") else "")


def _unrelated(p: dict[str, Any], say: Say) -> str:
    text = _("%(who)s removed the link between the incidents at %(at)s: %(relation)s %(other)s.")
    return say(text, **_link(p))


def _keyed(p: dict[str, Any], say: Say) -> str:
    text = say(
        _(
            "At %(at)s the timeline began to be signed with a key; the %(n)s entries before were "
            "checked."
        ),
        n=p.get("legacy_entries", 0),
    )
    if p.get("legacy_intact") is False:
        return text + " " + _("They were not intact.")
    return text + " " + _("They were intact.")


def _level(p: dict[str, Any], say: Say, recommended: bool) -> str:
    rules = _("rules %(rules)s") % {"rules": value(p, "rules")} if p.get("rules") else ""
    if recommended:
        text = _("At %(at)s the recommended level went from %(old)s to %(new)s%(details)s.")
    else:
        text = _("%(who)s changed the level from %(old)s to %(new)s at %(at)s%(details)s.")
    return say(text, old=value(p, "from"), new=value(p, "to"), details=details(rules))


def _external_comm(p: dict[str, Any], say: Say) -> str:
    text = say(
        _(
            "%(who)s recorded external communication from %(asset)s to %(c2)s as “%(status)s” at "
            "%(at)s."
        ),
        asset=p.get("asset") or _("an unknown asset"),
        c2=p.get("c2") or _("an unknown server"),
        status=value(p, "status", e.Suspicion),
    )
    blocked = _("It is blocked.") if p.get("blocked") else _("It is not blocked yet.")
    return text + " " + blocked


def _leak(p: dict[str, Any], say: Say) -> str:
    data_set = p.get("data_set") if isinstance(p.get("data_set"), dict) else {}
    where = data_set.get("name") or p.get("asset") or value(p, "asset_kind")
    text = say(
        _("%(who)s recorded a data leak from %(where)s as “%(status)s” at %(at)s."),
        where=where,
        status=value(p, "status", e.Suspicion),
    )
    return text + (" " + _("It involves personal data.") if p.get("personal_data") else "")


SENTENCES: dict[str, Sentence] = {
    "incident.declared": _declared,
    "incident.updated": _updated,
    "incident.assigned": _assigned,
    "incident.status_changed": _status,
    "report.attached": _report_attached,
    "report.intake_problem": _intake_problem,
    "report.details_added": _details_added,
    "alert.repeated": _alert_repeated,
    "event.promoted": _promoted,
    "event.attached": _event_attached,
    "intel.sighted": _intel_sighted,
    "asset.added": _asset_added,
    "asset.updated": _asset_updated,
    "asset.infection": _asset_infection,
    "indicator.added": _indicator_added,
    "indicator.blocked": _indicator_blocked,
    "indicator.tlp_changed": _indicator_tlp,
    "task.created": _task_created,
    "task.finished": _task_finished,
    "task.done_from_record": _task_from_record,
    "task.record_warning": _task_warning,
    "task.record_warning_cleared": _task_warning_cleared,
    "evidence.collected": _evidence,
    "evidence.custody": _custody,
    "mail.delivery_added": _delivery_added,
    "mail.delivery_updated": _delivery_updated,
    "mail.message_added": _message_added,
    "incident.related": _related,
    "incident.unrelated": _unrelated,
    "timeline.keyed": _keyed,
    "level.recommended": lambda p, say: _level(p, say, recommended=True),
    "level.changed": lambda p, say: _level(p, say, recommended=False),
    "finding.external_comm": _external_comm,
    "finding.leak": _leak,
}


def sentence_for(kind: str) -> Sentence | None:
    """The sentence of a kind: ours, then the one its app registered."""
    return SENTENCES.get(kind) or extensions.timeline_sentences().get(kind)


def _fallback(kind: str, payload: dict[str, Any], say: Say) -> str:
    from incidents.templatetags.incidents_ui import timeline_kind

    text = say(_("%(who)s recorded “%(what)s” at %(at)s."), what=timeline_kind(kind))
    try:
        lines = timeline_text.describe(kind, payload)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        lines = timeline_text._generic(payload)  # a payload even its words cannot read
    lines = [line.rstrip("。.") for line in lines]
    return text + (
        " " + _("Details: %(details)s.") % {"details": _("; ").join(lines)} if lines else ""
    )


def sentence(entry: Any) -> str:
    """The entry as one or two sentences in the current language."""
    say = Say(
        actor_label=entry.actor_label,
        is_person=bool(getattr(entry, "actor_id", None)),
        at=entry.at,
    )
    payload = entry.payload if isinstance(entry.payload, dict) else {}
    build = sentence_for(entry.kind)
    text = ""
    if build is not None:  # an older payload a sentence cannot read: the fallback reads it
        with contextlib.suppress(KeyError, TypeError, ValueError, AttributeError, IndexError):
            text = build(payload, say)
    text = text or _fallback(entry.kind, payload, say)
    return text.replace("。 ", "。")  # Japanese sentences follow one another without a space
