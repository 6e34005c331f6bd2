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

import jsonschema
import yaml
from django.utils.translation import gettext as _

from accounts.roles import DecisionType
from bcp.enums import Outcome, Recommendation, Scope
from comms.enums import Audience, Channel
from incidents.models import enums as e
from privacy.enums import LeakKind, ObligationKind
from training.enums import InjectKind

SAMPLES_DIR = Path(__file__).resolve().parent / "scenarios"
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "scenario.schema.json"
MAX_OFFSET = timedelta(days=7)
MAX_INJECTS = 500
_OFFSET = re.compile(r"^\+?(?:(\d{1,3}):)?(\d{1,5})$")
SUSPICION = ("SUSPECTED", "CONFIRMED")
LEAK_KINDS = tuple(LeakKind.values)
OFFSET = "offset"  # a time as an offset from the start: "+1:20", "+80" or 80
KEY = "key"  # a scenario-local name (an incident's key): letters, digits, - and _
TEXT = {"": 500, "reporter": 100, "asset": 50, "c2": 100, "value": 2000, "subject": 300}
COMMON: dict[str, Any] = {
    # Which of the exercise's incidents the inject is about (default: the first one).
    "incident": KEY,
    # Who acts (a role such as DECISION_MAKER, or a user name or email of the
    # organisation); default: the facilitator, or the decision's assignee for a decision.
    "by": str,
}
FIELDS: dict[str, dict[str, Any]] = {
    InjectKind.REPORT: {
        "reporter": str,
        "what_happened": tuple(e.WhatHappened.values),
        "asset": str,
        "cable_pulled": bool,
        # A report about a different email starts the incident ``incident`` (a key), caused
        # by the incident ``caused_by`` (the key of an earlier one).
        "caused_by": KEY,
    },
    InjectKind.INFECTION: {
        "asset": str,
        "state": tuple(s for s in e.InfectionState.values if s != "NONE"),
        "via": tuple(e.InfectionVia.values),
        "capability": tuple(e.MalwareCapability.values),
    },
    InjectKind.ISOLATION: {"asset": str, "method": tuple(e.IsolationMethod.values)},
    InjectKind.EXTERNAL_COMM: {
        "status": SUSPICION,
        "asset": str,
        "to_c2": bool,
        "c2": str,
        "last": OFFSET,  # the last connection seen (the first is ``occurred``)
        "bytes": int,
        "blocked": bool,
    },
    # ``data_set`` names a data set of the inventory (issue 16): the leak is recorded against it
    # (``leak_kind``, default EXFIL_SUSPECTED) and the APPI clocks run on the exercise clock.
    InjectKind.LEAK: {
        "status": SUSPICION,
        "asset": str,
        "personal_data": bool,
        "data_set": str,
        "leak_kind": LEAK_KINDS,
        "individuals": int,
    },
    # One recipient's copy of the incident's email: delivered, reported, executed, deleted.
    InjectKind.DELIVERY: {
        "recipient": str,
        "delivered": OFFSET,
        "reported": OFFSET,
        "executed": bool,
        "asset": str,
        "deleted": OFFSET,
        "blocked": bool,
    },
    InjectKind.INDICATOR: {
        "ioc_kind": tuple(e.IndicatorKind.values),
        "value": str,
        "blocked_by": tuple(e.BlockPoint.values),
    },
    InjectKind.BLOCK: {"value": str, "blocked_by": tuple(e.BlockPoint.values)},
    InjectKind.DECISION_OPEN: {
        "type": tuple(DecisionType.values),
        "reason": str,
        "target_level": int,
        "recommendation": tuple(Recommendation.values),
    },
    InjectKind.DECIDE: {
        "type": tuple(DecisionType.values),
        "target_level": int,
        "outcome": tuple(Outcome.values),
        "rationale": str,
        "scope": tuple(Scope.values),
    },
    InjectKind.RATIFY: {"type": tuple(DecisionType.values), "target_level": int},
    InjectKind.WITHDRAW: {
        "type": tuple(DecisionType.values),
        "target_level": int,
        "reason": str,
    },
    InjectKind.TRANSITION: {"to": tuple(e.IncidentStatus.values), "reason": str},
    InjectKind.TASK: {"code": str, "status": ("DONE", "WAIVED"), "note": str},
    InjectKind.COMMUNICATION: {
        "audience": tuple(Audience.values),
        "subject": str,
        "body": str,
        "channel": tuple(Channel.values),
        "status": ("DRAFT", "APPROVED", "SENT"),
        "reference": str,
    },
    InjectKind.OBLIGATION: {
        "obligation_kind": tuple(ObligationKind.values),
        "action": ("add", "done", "waive"),
        "due": OFFSET,
        "reference_no": str,
        "reason": str,
    },
    InjectKind.NOTE: {},
}
REQUIRED = {
    InjectKind.REPORT: ("reporter",),
    InjectKind.INFECTION: ("asset", "state"),
    InjectKind.ISOLATION: ("asset",),
    InjectKind.EXTERNAL_COMM: ("status",),
    InjectKind.LEAK: ("status",),
    InjectKind.DELIVERY: ("recipient",),
    InjectKind.INDICATOR: ("ioc_kind", "value"),
    InjectKind.BLOCK: ("value", "blocked_by"),
    InjectKind.DECISION_OPEN: ("type", "reason"),
    InjectKind.DECIDE: ("type", "outcome"),
    InjectKind.RATIFY: ("type",),
    InjectKind.WITHDRAW: ("type", "reason"),
    InjectKind.TRANSITION: ("to",),
    InjectKind.TASK: ("code",),
    InjectKind.COMMUNICATION: ("audience", "subject"),
    InjectKind.OBLIGATION: ("obligation_kind",),
    InjectKind.NOTE: ("text",),
}
# Facts: they may be learned earlier than they are entered (``observed``) and have happened
# earlier still (``occurred``).
FACT_KINDS = (
    InjectKind.INFECTION,
    InjectKind.ISOLATION,
    InjectKind.EXTERNAL_COMM,
    InjectKind.LEAK,
)


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
    """A YAML (or JSON: JSON is YAML too) scenario, checked against the published JSON Schema;
    each problem names the line it is on."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _line(mark.line + 1) if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError([where + _("Not valid YAML: %(error)s") % {"error": problem}]) from None
    return validate(data, lines=node_lines(node))


def node_lines(node: Any, path: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], int]:
    """The line (1-based) of every value of a composed YAML document, by its path (a key's
    own line under ``(*path, "#key", name)``)."""
    lines: dict[tuple[Any, ...], int] = {}
    if node is None:
        return lines
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            lines[(*path, "#key", key.value)] = key.start_mark.line + 1
            lines.update(node_lines(value, (*path, key.value)))
    elif isinstance(node, yaml.SequenceNode):
        for index, value in enumerate(node.value):
            lines.update(node_lines(value, (*path, index)))
    return lines


def _line(number: int | None) -> str:
    return (_("Line %(n)s: ") % {"n": number}) if number else ""


def line_of(lines: dict[tuple[Any, ...], int] | None, path: tuple[Any, ...]) -> int | None:
    """The line of ``path``, or of the nearest enclosing value that has one."""
    if not lines:
        return None
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


# --- The published JSON Schema ---------------------------------------------------------------


def _property(spec: Any, name: str) -> dict[str, Any]:
    if spec == OFFSET:
        return {"$ref": "#/$defs/offset"}
    if spec == KEY:
        return {"type": "string", "pattern": r"^[A-Za-z0-9_-]{1,40}$"}
    if spec is bool:
        return {"type": "boolean"}
    if spec is int:
        return {"type": "integer", "minimum": 0, "maximum": 2_000_000_000}
    if spec is str:
        return {"type": "string", "minLength": 1, "maxLength": TEXT.get(name, 4000)}
    return {"enum": list(spec)}


def inject_fields(kind: str) -> tuple[str, ...]:
    """The fields an inject of this kind may carry besides ``kind`` and ``text`` (the schema's
    properties; the exercise room's form shows these for the chosen kind)."""
    facts = ("observed", "occurred") if kind in FACT_KINDS else ()
    return (*COMMON, *FIELDS[kind], *facts)


def _inject_schema(kind: str) -> dict[str, Any]:
    fields = {**COMMON, **FIELDS[kind]}
    properties: dict[str, Any] = {
        "kind": {"const": kind},
        "at": {"$ref": "#/$defs/offset"},
        "text": {"type": "string", "maxLength": TEXT[""]},
        **{name: _property(spec, name) for name, spec in fields.items()},
    }
    if kind in FACT_KINDS:
        properties["observed"] = {"$ref": "#/$defs/offset"}
        properties["occurred"] = {"$ref": "#/$defs/offset"}
    return {
        "if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
        "then": {
            "required": list(REQUIRED[kind]),
            "properties": properties,
            "additionalProperties": False,
        },
    }


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a scenario, published as ``training/schema/scenario.schema.json``
    and at ``/api/v1/exercise-scenarios/schema/``; a test keeps the file equal to this."""
    key = _property(KEY, "incident")
    expected = {
        "type": "object",
        "required": ["type"],
        "properties": {
            "type": {"enum": list(DecisionType.values)},
            "target_level": {"type": "integer", "minimum": 1, "maximum": 3},
            "outcome": {"enum": list(Outcome.values)},
            "within": {"$ref": "#/$defs/offset"},
            "incident": key,
            "note": {"type": "string", "maxLength": 500},
        },
        "additionalProperties": False,
    }
    obligation = {
        "type": "object",
        "required": ["kind"],
        "properties": {
            "kind": {"enum": list(ObligationKind.values)},
            "status": {"enum": ["DONE", "WAIVED"]},
            "within": {"$ref": "#/$defs/offset"},
            "incident": key,
            "note": {"type": "string", "maxLength": 500},
        },
        "additionalProperties": False,
    }
    text = {"type": "string", "maxLength": 4000}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:isms-csirt:exercise-scenario:1",
        "title": "Exercise scenario (isms-csirt)",
        "type": "object",
        "required": ["title", "injects"],
        "properties": {
            "title": {"type": "string", "minLength": 1, "maxLength": 200},
            "title_en": {"type": "string", "maxLength": 200},
            "description": text,
            "source": text,
            "category": {"enum": list(e.Category.values)},
            "mail": {
                "type": "object",
                "properties": {
                    name: {"type": "string", "maxLength": 255}
                    for name in ("sender", "subject", "url", "attachment_name")
                },
                "additionalProperties": False,
            },
            "assets": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["tag"],
                    "properties": {
                        "tag": {"type": "string", "minLength": 1, "maxLength": 50},
                        "kind": {"enum": list(e.AssetKind.values)},
                        "holds_personal_data": {"type": "boolean"},
                        "holds_confidential_data": {"type": "boolean"},
                    },
                    "additionalProperties": False,
                },
            },
            "injects": {
                "type": "array",
                "minItems": 1,
                "maxItems": MAX_INJECTS,
                "items": {"$ref": "#/$defs/inject"},
            },
            "expected_decisions": {"type": "array", "items": expected},
            "expected_obligations": {"type": "array", "items": obligation},
        },
        "$defs": {
            "offset": {
                "anyOf": [
                    {"type": "integer", "minimum": 0, "maximum": 7 * 24 * 60},
                    {"type": "string", "pattern": _OFFSET.pattern},
                ]
            },
            "inject": {
                "type": "object",
                "required": ["kind"],
                "properties": {"kind": {"enum": list(FIELDS)}},
                "allOf": [_inject_schema(kind) for kind in FIELDS],
            },
        },
    }


def _field(error: Any) -> str:
    return next((str(p) for p in reversed(error.absolute_path) if isinstance(p, str)), "")


def _schema_message(error: Any) -> str:
    """A jsonschema error in the user's language (its own text is English)."""
    name, validator = _field(error), error.validator
    if validator == "required":
        found = re.match(r"^'(.+)' is a required property", error.message)
        missing = found.group(1) if found else ""
        return _("%(field)s is required.") % {"field": missing}
    if validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return _("unknown field %(field)s.") % {"field": ", ".join(map(str, extra))}
    if name == "injects" and validator == "minItems":
        return _("The scenario has no injects.")
    if name == "injects" and validator == "maxItems":
        return _("At most 500 injects.")
    if name == "title" and validator == "minLength":
        return _("The scenario has no title.")
    if validator == "type" and not name:
        return _("A scenario is an object with a title and injects.")
    value = json.dumps(error.instance, ensure_ascii=False)[:80]
    return _("%(field)s cannot be %(value)s.") % {"field": name or "—", "value": value}


def _leaves(errors: Any) -> list[Any]:
    """The innermost errors: an inject of a kind breaks that kind's rules, not "allOf"."""
    found: list[Any] = []
    for error in errors:
        if error.context and error.validator != "anyOf":
            found.extend(_leaves(error.context))
        else:
            found.append(error)
    return found


def schema_problems(data: Any, lines: dict[tuple[Any, ...], int] | None = None) -> list[str]:
    """Each place the document breaks the JSON Schema, with its line when known."""
    validator = jsonschema.Draft202012Validator(json_schema())
    problems = []
    for error in _leaves(validator.iter_errors(data)):
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties":
            extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
            path = (*path, "#key", extra[0]) if extra else path
        elif error.validator == "required":
            path = tuple(error.absolute_path)
        where = _line(line_of(lines, path))
        if path[:1] == ("injects",) and len(path) > 1:
            where += (_("Inject %(n)s") % {"n": path[1] + 1}) + ": "
        problems.append(where + _schema_message(error))
    return problems


def validate(data: Any, lines: dict[tuple[Any, ...], int] | None = None) -> dict[str, Any]:
    """The scenario checked against the JSON Schema, then each inject's times and order
    (observed no later than entered, a second incident caused by an earlier one), with the
    injects in time order."""
    if not isinstance(data, dict):
        raise ScenarioError([_("A scenario is an object with a title and injects.")])
    if isinstance(data.get("injects"), list):  # a checked scenario again: drop what we add
        data = {**data, "injects": [_undecorated(i) for i in data["injects"]]}
    problems = schema_problems(data, lines)
    if problems:
        _report_first(_readable(data.get("injects")), problems)
        raise ScenarioError(problems)
    if not str(data.get("title") or "").strip():
        problems.append(_("The scenario has no title."))
    checked = [
        _inject(n, raw, problems, line_of(lines, ("injects", n - 1)))
        for n, raw in enumerate(data["injects"], 1)
    ]
    checked.sort(key=lambda i: i["offset_minutes"])
    _report_first(checked, problems)
    _incident_keys(checked, problems)
    if problems:
        raise ScenarioError(problems)
    return {
        **data,
        "injects": checked,
        "expected_decisions": list(data.get("expected_decisions") or []),
        "expected_obligations": list(data.get("expected_obligations") or []),
    }


def _readable(injects: Any) -> list[dict[str, Any]]:
    """The injects of a scenario that broke the schema that can still be put in time order."""
    readable = []
    for raw in injects if isinstance(injects, list) else []:
        if isinstance(raw, dict) and raw.get("kind") in FIELDS:
            try:
                readable.append({**raw, "offset_minutes": parse_offset(raw.get("at", 0))})
            except ValueError:
                continue
    return sorted(readable, key=lambda i: i["offset_minutes"])


def _undecorated(inject: Any) -> Any:
    if isinstance(inject, dict):
        return {k: v for k, v in inject.items() if k != "offset_minutes"}
    return inject


def validate_inject(raw: dict[str, Any], at: timedelta = timedelta(0)) -> dict[str, Any]:
    """One inject posted during a run (its time is the exercise's now, ``at`` after the
    start), checked by the same schema as a scenario's."""
    defs = json_schema()["$defs"]
    validator = jsonschema.Draft202012Validator({"$defs": defs, "$ref": "#/$defs/inject"})
    item = {k: v for k, v in raw.items() if v not in (None, "") or k == "kind"}
    problems = [_schema_message(err) for err in _leaves(validator.iter_errors(item))]
    if problems:
        raise ScenarioError(problems)
    checked = _inject(1, {**item, "at": int(at.total_seconds() // 60)}, problems, None)
    if problems:
        raise ScenarioError(problems)
    return checked


def _inject(
    number: int, raw: dict[str, Any], problems: list[str], line: int | None
) -> dict[str, Any]:
    where = _line(line) + _("Inject %(n)s") % {"n": number}
    offset = parse_offset(raw.get("at", 0))
    if offset > MAX_OFFSET:
        problems.append(f"{where}: " + _("an exercise lasts at most seven days."))
    _times(where, raw, offset, problems)
    return {**raw, "offset_minutes": int(offset.total_seconds() // 60)}


def _times(where: str, raw: dict[str, Any], offset: timedelta, problems: list[str]) -> None:
    """A fact entered late: learned at ``observed``, no later than it is entered (``at``), and
    happened at ``occurred``, no later than it was learned."""
    observed = offset
    if raw.get("observed") not in (None, ""):
        observed = parse_offset(raw["observed"])
        if observed > offset:
            problems.append(f"{where}: " + _("observed cannot be later than at."))
    if raw.get("occurred") not in (None, "") and parse_offset(raw["occurred"]) > observed:
        problems.append(f"{where}: " + _("occurred cannot be later than observed."))
    if raw.get("last") not in (None, "") and parse_offset(raw["last"]) > offset:
        problems.append(f"{where}: " + _("last cannot be later than at."))


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


def _incident_keys(injects: list[dict[str, Any]], problems: list[str]) -> None:
    """An incident key is started by a report before anything uses it; ``caused_by`` names
    an incident started earlier."""
    started: set[str] = set()
    for inject in injects:
        key = inject.get("incident") or ""
        if inject["kind"] == InjectKind.REPORT:
            cause = inject.get("caused_by")
            if cause is not None and (cause not in started or cause == key):
                problems.append(
                    _("caused_by %(key)s names no incident started before.") % {"key": cause}
                )
            started.add(key)
        elif key and key not in started and inject["kind"] != InjectKind.NOTE:
            problems.append(_("Incident %(key)s is used before a report starts it.") % {"key": key})


def sample_paths() -> list[Path]:
    """The shipped samples: YAML files (a JSON file of the same name is the older form)."""
    paths = {p.stem: p for p in sorted(SAMPLES_DIR.glob("*.json"))}
    paths.update({p.stem: p for p in sorted(SAMPLES_DIR.glob("*.yaml"))})
    return [paths[name] for name in sorted(paths)]


def samples() -> dict[str, dict[str, Any]]:
    """The shipped sample scenarios by file name (without the extension)."""
    return {path.stem: load_text(path.read_text(encoding="utf-8")) for path in sample_paths()}
