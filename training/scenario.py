"""Exercise scenarios: a JSON (or YAML) file of timed injects and the decisions expected.

    {"title": "…", "category": "TARGETED_EMAIL",
     "mail": {"sender": "…", "subject": "…", "url": "…"},
     "assets": [{"tag": "FS-01", "kind": "FILE_SERVER", "holds_personal_data": true}],
     "injects": [
       {"at": "+0:10", "kind": "report", "reporter": "A", "what_happened": "OPENED_ATTACHMENT",
        "asset": "PC-12", "cable_pulled": true, "text": "…"},
       {"at": "+0:40", "kind": "infection", "asset": "PC-12", "state": "CONFIRMED"},
       {"at": "+1:30", "kind": "external_comm", "asset": "PC-12", "status": "CONFIRMED",
        "c2": "cdn-update", "observed": "+1:20"}],
     "expected_decisions": [{"type": "ESCALATE_LEVEL", "target_level": 2}]}

An inject with an effect may say when the organisation learned it, if that was before it was
entered (``"observed": "+1:20"``, an offset from the start, no later than ``at``): the rules and
deadlines run from that moment. ``c2`` names the C2 server an external communication went to
(``to_c2: true`` = the exercise's own drill C2 domain).

Pure: parsing and checking only. Sample scenarios ship in ``training/scenarios/``.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from accounts.roles import DecisionType
from incidents.models import enums as e
from training.enums import InjectKind

SAMPLES_DIR = Path(__file__).resolve().parent / "scenarios"
MAX_OFFSET = timedelta(days=7)
MAX_INJECTS = 500
_OFFSET = re.compile(r"^\+?(?:(\d{1,3}):)?(\d{1,5})$")
SUSPICION = ("SUSPECTED", "CONFIRMED")
LEAK_KINDS = (
    "EXFIL_SUSPECTED",
    "LEAK_CONFIRMED",
    "MAIL_MISDIRECTED",
    "MEDIA_LOST",
    "MEDIA_STOLEN",
    "EXTERNAL_NOTIFICATION",
)
FIELDS: dict[str, dict[str, Any]] = {
    InjectKind.REPORT: {
        "reporter": str,
        "what_happened": tuple(e.WhatHappened.values),
        "asset": str,
        "cable_pulled": bool,
    },
    InjectKind.INFECTION: {
        "asset": str,
        "state": tuple(s for s in e.InfectionState.values if s != "NONE"),
        "via": tuple(e.InfectionVia.values),
    },
    InjectKind.ISOLATION: {"asset": str},
    InjectKind.EXTERNAL_COMM: {"status": SUSPICION, "asset": str, "to_c2": bool, "c2": str},
    # ``data_set`` names a data set of the inventory (issue 16): the leak is recorded against it
    # (``leak_kind``, default EXFIL_SUSPECTED) and the APPI clocks run on the exercise clock.
    InjectKind.LEAK: {
        "status": SUSPICION,
        "asset": str,
        "personal_data": bool,
        "data_set": str,
        "leak_kind": LEAK_KINDS,
    },
    InjectKind.NOTE: {},
}
REQUIRED = {
    InjectKind.REPORT: ("reporter",),
    InjectKind.INFECTION: ("asset", "state"),
    InjectKind.ISOLATION: ("asset",),
    InjectKind.EXTERNAL_COMM: ("status",),
    InjectKind.LEAK: ("status",),
    InjectKind.NOTE: ("text",),
}


class ScenarioError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def parse_offset(value: Any) -> timedelta:
    """``+1:30`` (hours:minutes), ``+90`` or 90 (minutes)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return timedelta(minutes=value)
    match = _OFFSET.match(str(value).strip())
    if match is None:
        raise ValueError(_("%(value)s is not a time like +1:30.") % {"value": value})
    hours, minutes = int(match.group(1) or 0), int(match.group(2))
    return timedelta(hours=hours, minutes=minutes)


def load_text(text: str) -> dict[str, Any]:
    """JSON, or YAML when PyYAML is installed (JSON is YAML too, so JSON always works)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as json_error:
        try:
            import yaml
        except ImportError:
            raise ScenarioError([_("Not valid JSON: %(error)s") % {"error": json_error}]) from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ScenarioError([_("Not valid YAML: %(error)s") % {"error": exc}]) from None
    return validate(data)


def validate(data: Any) -> dict[str, Any]:
    """The scenario with every inject's offset checked and the injects in time order."""
    if not isinstance(data, dict):
        raise ScenarioError([_("A scenario is an object with a title and injects.")])
    problems: list[str] = []
    if not str(data.get("title") or "").strip():
        problems.append(_("The scenario has no title."))
    if data.get("category", "TARGETED_EMAIL") not in e.Category.values:
        problems.append(_("Unknown category %(value)s.") % {"value": data.get("category")})
    injects = data.get("injects")
    if not isinstance(injects, list) or not injects:
        problems.append(_("The scenario has no injects."))
        injects = []
    elif len(injects) > MAX_INJECTS:
        problems.append(_("At most 500 injects."))
    checked = [_inject(n, raw, problems) for n, raw in enumerate(injects, 1)]
    checked.sort(key=lambda i: i["offset_minutes"])
    _report_first(checked, problems)
    expected = _expected(data.get("expected_decisions") or [], problems)
    _assets(data.get("assets") or [], problems)
    if problems:
        raise ScenarioError(problems)
    return {**data, "injects": checked, "expected_decisions": expected}


def validate_inject(raw: dict[str, Any], at: timedelta = timedelta(0)) -> dict[str, Any]:
    """One inject posted during a run (its time is the exercise's now, ``at`` after the
    start)."""
    problems: list[str] = []
    checked = _inject(1, {**raw, "at": int(at.total_seconds() // 60)}, problems)
    if problems:
        raise ScenarioError(problems)
    return checked


def _inject(number: int, raw: Any, problems: list[str]) -> dict[str, Any]:
    where = _("Inject %(n)s") % {"n": number}
    if not isinstance(raw, dict):
        problems.append(f"{where}: " + _("must be an object."))
        return {"kind": InjectKind.NOTE, "offset_minutes": 0}
    kind = raw.get("kind")
    if kind not in FIELDS:
        problems.append(f"{where}: " + _("unknown kind %(value)s.") % {"value": kind})
        return {"kind": InjectKind.NOTE, "offset_minutes": 0}
    try:
        offset = parse_offset(raw.get("at", 0))
    except ValueError as exc:
        problems.append(f"{where}: {exc}")
        offset = timedelta(0)
    if offset > MAX_OFFSET:
        problems.append(f"{where}: " + _("an exercise lasts at most seven days."))
    _observed(where, kind, raw, offset, problems)
    for name in REQUIRED[kind]:
        if raw.get(name) in (None, ""):
            problems.append(f"{where}: " + _("%(field)s is required.") % {"field": name})
    for name, allowed in FIELDS[kind].items():
        value = raw.get(name)
        if value is None:
            continue
        ok = isinstance(value, allowed) if isinstance(allowed, type) else value in allowed
        if not ok:
            problems.append(
                f"{where}: " + _("%(field)s cannot be %(value)s.") % {"field": name, "value": value}
            )
    return {**raw, "offset_minutes": int(offset.total_seconds() // 60)}


FACT_KINDS = (
    InjectKind.INFECTION,
    InjectKind.ISOLATION,
    InjectKind.EXTERNAL_COMM,
    InjectKind.LEAK,
)


def _observed(
    where: str, kind: str, raw: dict[str, Any], offset: timedelta, problems: list[str]
) -> None:
    """A fact entered late: learned at ``observed``, no later than it is entered (``at``)."""
    if raw.get("observed") in (None, ""):
        return
    if kind not in FACT_KINDS:
        problems.append(f"{where}: " + _("only a finding can be observed earlier."))
        return
    try:
        observed = parse_offset(raw["observed"])
    except ValueError as exc:
        problems.append(f"{where}: {exc}")
        return
    if observed > offset:
        problems.append(f"{where}: " + _("observed cannot be later than at."))


def _report_first(injects: list[dict[str, Any]], problems: list[str]) -> None:
    """Facts need an incident, and an exercise's incident starts with its first report."""
    for inject in injects:
        if inject["kind"] == InjectKind.REPORT:
            return
        if inject["kind"] != InjectKind.NOTE:
            problems.append(
                _("The first inject with an effect must be a report (the incident starts there).")
            )
            return


def _expected(items: Any, problems: list[str]) -> list[dict[str, Any]]:
    if not isinstance(items, list):
        problems.append(_("expected_decisions must be a list."))
        return []
    for item in items:
        if not isinstance(item, dict) or item.get("type") not in DecisionType.values:
            problems.append(_("Unknown expected decision %(value)s.") % {"value": item})
    return [i for i in items if isinstance(i, dict)]


def _assets(items: Any, problems: list[str]) -> None:
    if not isinstance(items, list):
        problems.append(_("assets must be a list."))
        return
    for item in items:
        if not isinstance(item, dict) or not item.get("tag"):
            problems.append(_("Each asset needs a tag."))
        elif item.get("kind", "PC") not in e.AssetKind.values:
            problems.append(_("Unknown asset kind %(value)s.") % {"value": item.get("kind")})


def samples() -> dict[str, dict[str, Any]]:
    """The shipped sample scenarios by file name (without .json)."""
    return {
        path.stem: validate(json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(SAMPLES_DIR.glob("*.json"))
    }
