"""Every timeline kind the code can write reads as words in Japanese and English: no raw code,
no ``None``, no dict or list repr, no UTC or ISO time. The kinds are discovered, not listed:
the registry of kind labels, and every kind a ``timeline_append`` call names in the source."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation

from common.events import EVENTS
from incidents import extensions, timeline_text
from incidents.templatetags.incidents_ui import TIMELINE_KINDS, timeline_kind

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "bcp", "comms", "common", "incidents", "isms", "notifications", "privacy",
        "risklevels", "training", "dashboard", "records", "sharing")  # fmt: skip
WRITERS = {"timeline_append", "_timeline"}  # the append and the alerts' one-line wrapper
AT = "2026-11-14 01:40:00+00:00"

# A realistic payload per kind, shaped as its service writes it (see the call sites).
SAMPLES: dict[str, dict] = {
    "incident.declared": {"ref": "INC-2026-0001", "category": "TARGETED_EMAIL", "priority": "P3",
                          "level": 1},
    "incident.updated": {"field": "attack_vector", "from": "", "to": "EMAIL", "from_label": "",
                         "to_label": ""},
    "incident.assigned": {"csirt_lead": 3, "handlers": [4, 5],
                          "names": {"3": "鈴木 CSIRT責任者", "4": "田中", "5": "伊藤"}},
    "incident.status_changed": {"from": "MONITORING", "to": "CLOSED", "reason": "収束",
                                "waived_tasks": 2, "waive_reason": "対象外"},
    "incident.related": {"relation": 3, "kind": "DUPLICATE_OF", "note": "同じメール",
                         "to": "INC-2026-0002"},
    "incident.unrelated": {"relation": 3, "kind": "CAUSED_BY", "from": "INC-2026-0002"},
    "report.attached": {"report": "R-2026-000005", "matched": "MESSAGE_ID"},
    "alert.repeated": {"report": "R-2026-000007", "times_received": 3},
    "report.intake_problem": {"report": "R-2026-000006", "problem": "MAIL_RECORDS",
                              "detail": "転送で添付が落ちた"},
    "report.details_added": {"report": "R-2026-000007"},
    "report.downloaded": {"tlp": "AMBER_STRICT", "language": "ja"},
    "event.promoted": {"event": 1, "reports": 3, "time_to_triage_s": 840},
    "event.attached": {"event": 2, "reports": 4, "new_message": True},
    "intel.sighted": {"source": "JPCERT/CC", "kind": "SENDER_ADDRESS",
                      "value": "keiri@invoice-jp.example", "mailboxes": 3, "event": 7},
    "asset.added": {"asset": "PC-12", "infection_state": "SUSPECTED", "containment_state":
                    "NOT_CONTAINED", "infection_via": "MAIL"},
    "asset.updated": {"asset": "PC-12", "changes": {"isolation_method": ["", "LAN_UNPLUG"],
                      "containment_state": ["NOT_CONTAINED", "ISOLATED"]}},
    "asset.infection": {"asset": "PC-27", "from": "NONE", "to": "SUSPECTED", "via": "LATERAL",
                        "occurred_at": AT, "observed_at": AT},
    "indicator.added": {"kind": "C2_DOMAIN", "value": "c2.example.invalid", "tlp": "AMBER_STRICT"},
    "indicator.blocked": {"kind": "URL", "value": "https://bad.example.invalid/x",
                          "blocked_by": "PROXY"},
    "indicator.tlp_changed": {"kind": "DOMAIN", "value": "bad.example.invalid",
                              "previous_tlp": "AMBER_STRICT", "tlp": "GREEN"},
    "indicator.suggested": {"suggested": 4},
    "indicator.suggestion_accepted": {"kind": "URL", "value": "http://stage.example.com/a"},
    "indicator.suggestion_rejected": {"kind": "SENDER_ADDRESS", "value": "x@mailer.example.com"},
    "task.created": {"task": 50, "code": "BCP-CUT", "title": "全社外部通信遮断の実施"},
    "task.finished": {"task": 50, "code": "BCP-CUT", "status": "DONE"},
    "task.done_from_record": {"task": 1, "code": "L1-01", "condition": "infected_isolated",
                              "records": ["PC-12"]},
    "task.record_warning": {"task": 1, "code": "L1-01", "condition": "infected_isolated",
                            "missing": ["PC-27"]},
    "task.record_warning_cleared": {"task": 1, "code": "L1-01", "condition": "infected_isolated",
                                    "missing": []},
    "evidence.collected": {"evidence": 1, "sha256": "ab" * 32, "size": 2048,
                           "report": "R-2026-000005"},
    "evidence.custody": {"evidence": 1, "action": "TRANSFERRED", "holder": "佐藤（フォレンジック）",
                         "location": "金庫A"},
    "mail.delivery_added": {"delivery": 1, "executed": True},
    "mail.delivery_updated": {"delivery": 1, "changes": ["deleted_count", "status"]},
    "mail.message_added": {"message": 2, "sender": "ceo@example.invalid", "subject": "至急"},
    "finding.external_comm": {"status": "CONFIRMED", "c2_indicator": 8, "c2": "c2.example.invalid",
                              "blocked": False, "asset": "PC-15", "occurred_at": AT,
                              "observed_at": AT},
    "finding.leak": {"status": "SUSPECTED", "personal_data": True, "asset_kind": "SERVER",
                     "data_set": {"id": 1, "name": "顧客名簿", "kind": "CUSTOMERS"},
                     "asset": None, "occurred_at": AT, "observed_at": AT},
    "level.recommended": {"from": 1, "to": 2, "rules": ["L2-a", "L2-b"], "params_version": 1},
    "level.changed": {"from": 1, "to": 2, "rules": ["L2-a"], "decision": 5},
    "decision.opened": {"decision": 1, "type": "CUT_ALL_EXTERNAL_NETWORK", "rule": "D-1",
                        "assignee": 2, "due_at": AT, "deputy": 3,
                        "names": {"2": "山田 花子", "3": "佐藤 次郎"}},
    "decision.decided": {"decision": 1, "type": "CUT_ALL_EXTERNAL_NETWORK", "outcome": "APPROVED",
                         "scope": "FULL", "rationale": "C2通信を確認", "rank": 2,
                         "snapshot": {"level": 2, "bcp_state": "DECISION_PENDING",
                                      "appi_status": "NOT_ASSESSED", "leak_status": "NONE",
                                      "isolated_count": 1, "recommended_level": 2,
                                      "external_comm_status": "CONFIRMED",
                                      "infected_confirmed_count": 1,
                                      "infected_effective_count": 2}},
    "decision.ratified": {"decision": 1, "type": "CUT_ALL_EXTERNAL_NETWORK"},
    "decision.reassigned": {"decision": 1, "type": "ESCALATE_LEVEL", "from": 4, "to": 2,
                            "due_at": AT},
    "decision.overdue": {"decision": 1, "type": "ESCALATE_LEVEL", "assignee": 4},
    "decision.reopened": {"decision": 1, "type": "ESCALATE_LEVEL", "due_at": AT},
    "decision.withdrawn": {"decision": 1, "type": "ESTABLISH_IRT", "reason": "重複"},
    "decision.raised": {"decision": 1, "target_level": 3},
    "bcp.state_changed": {"from": "DECISION_PENDING", "to": "ACTIVATED_FULL", "decision": 3},
    "bcp.action_executed": {"action": 1, "kind": "CUT_EXTERNAL_NETWORK"},
    "bcp.action_restored": {"action": 1, "kind": "CUT_EXTERNAL_NETWORK"},
    "appi.screened": {"screening": "REQUIRED", "data_sets": [1], "rule": "A-0"},
    "appi.aware": {"aware_at": "2026-11-14T01:40:00+00:00", "previous": None, "trigger": "A-1a",
                   "rule": "A-1"},
    "appi.categories": {"from": [], "to": [1, 3], "rule": "A-2"},
    "appi.cause": {"from": "", "to": "CYBER_ATTACK"},
    "appi.warning": {"obligation": 1, "kind": "PPC_SOKUHO", "rule": "A-5"},
    "appi.status": {"from": "NOT_ASSESSED", "to": "REPORTABLE", "rule": "A-6"},
    "appi.report_form": {"from": "", "to": "PPC_WEB_FORM"},
    "obligation.created": {"obligation": 1, "kind": "PPC_SOKUHO", "rule": "A-4",
                           "soft_due_at": AT, "due_at": AT, "recommended": True},
    "obligation.done": {"obligation": 1, "kind": "PPC_SOKUHO", "reference_no": "PPC-123",
                        "done_at": "2026-11-14T01:40:00+00:00"},
    "obligation.waived": {"obligation": 1, "kind": "PPC_SOKUHO", "reason": "対象外", "rule": "A-6"},
    "obligation.reopened": {"obligation": 1, "kind": "PPC_SOKUHO", "from": "WAIVED",
                            "reason": "再評価"},
    "obligation.rescheduled": {"obligation": 1, "kind": "PPC_KAKUHO", "rule": "A-4",
                               "from": {"soft_due_at": AT, "due_at": AT},
                               "to": {"soft_due_at": AT, "due_at": AT}},
    "ppc_report.saved": {"version": "SOKUHO", "changed": ["summary"]},
    "review.written": {"changed": ["root_cause", "lessons"], "complete": True},
    "corrective_action.created": {"action": 1, "title": "添付の無害化", "due_on": "2027-01-31",
                                  "controls": ["5.24"], "owner": "高橋"},
    "corrective_action.updated": {"action": 1, "title": "添付の無害化", "changed": ["due_on"]},
    "corrective_action.status_changed": {"action": 1, "title": "添付の無害化", "from": "OPEN",
                                         "to": "DONE", "reason": ""},
    "communication.drafted": {"communication": 1, "subject": "お詫び", "audience": "PARTNERS",
                              "tlp": "AMBER", "version": 1, "template": "CUSTOMER_NOTICE"},
    "communication.edited": {"communication": 1, "subject": "お詫び", "audience": "PARTNERS",
                             "tlp": "AMBER", "version": 2, "changed": ["body", "audience_detail"],
                             "reapproval": True},
    "communication.status_changed": {"communication": 1, "subject": "お詫び",
                                     "audience": "PARTNERS", "tlp": "AMBER", "version": 2,
                                     "from": "DRAFT", "to": "APPROVED"},
    "guest.invited": {"invitation": 1, "email": "ir@vendor.example.invalid", "role": "CONTRIBUTE",
                      "tlp_ceiling": "AMBER", "expires_at": "2026-11-21T01:40:00+00:00"},
    "guest.accepted": {"invitation": 1, "email": "ir@vendor.example.invalid", "role": "READ",
                       "tlp_ceiling": "GREEN", "expires_at": "2026-11-21T01:40:00+00:00"},
    "guest.revoked": {"invitation": 1, "email": "ir@vendor.example.invalid", "role": "READ",
                      "tlp_ceiling": "GREEN", "expires_at": "2026-11-21T01:40:00+00:00"},
    "guest.viewed": {"invitation": 1, "email": "ir@vendor.example.invalid", "role": "READ",
                     "tlp_ceiling": "GREEN", "expires_at": "2026-11-21T01:40:00+00:00"},
    "guest.downloaded": {"invitation": 1, "email": "ir@vendor.example.invalid", "role": "READ",
                         "tlp_ceiling": "GREEN", "expires_at": "2026-11-21T01:40:00+00:00",
                         "evidence": 3},
    "guest.commented": {"invitation": 1, "email": "ir@vendor.example.invalid",
                        "role": "CONTRIBUTE", "tlp_ceiling": "AMBER",
                        "expires_at": "2026-11-21T01:40:00+00:00", "text": "ログを確認しました"},
    "guest.fact_added": {"invitation": 1, "email": "ir@vendor.example.invalid",
                         "role": "CONTRIBUTE", "tlp_ceiling": "AMBER",
                         "expires_at": "2026-11-21T01:40:00+00:00", "fact": "external_comm"},
    "alert.acknowledged": {"alert": 1, "event": "decision.opened", "via": "LINK", "step": 2},
    "alert.unacknowledged": {"alert": 1, "step": 3},
    "alert.escalated": {"alert": 1, "step": 2, "to": 7, "to_name": "山田"},
    "timeline.keyed": {"legacy_entries": 12, "legacy_head": "ab" * 32, "legacy_intact": True},
}  # fmt: skip

UPPER_SNAKE = re.compile(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b")
SNAKE = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")
ISO_OR_UTC = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|\+00:00|\bUTC\b|\d{2}:\d{2}:\d{2}")
CODE = re.compile(r"^[A-Z][A-Z0-9_]{2,}$")
WORD = re.compile(r"[A-Za-z]{3,}")
REPR = re.compile(r"[\[{]\s*['\"]|['\"]\s*[\]}]|\bNone\b|\bTrue\b|\bFalse\b")


def _source_kinds() -> tuple[set[str], list[re.Pattern[str]]]:
    """Every kind a writer call names: literals, f-strings as patterns, and the literals a
    ``kind`` variable is given in the same function."""
    literals: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text())
            for func in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]:
                for call in [n for n in ast.walk(func) if isinstance(n, ast.Call)]:
                    name = getattr(call.func, "id", getattr(call.func, "attr", ""))
                    if name not in WRITERS:
                        continue
                    args = [k.value for k in call.keywords if k.arg == "kind"] + call.args[1:2]
                    for arg in args:
                        _collect(arg, func, literals, patterns)
    return literals, patterns


def _collect(arg, func, literals, patterns) -> None:
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        literals.add(arg.value)
    elif isinstance(arg, ast.JoinedStr):
        parts = [re.escape(v.value) if isinstance(v, ast.Constant) else ".+" for v in arg.values]
        patterns.append(re.compile("".join(parts)))
    elif isinstance(arg, ast.Name):
        for node in ast.walk(func):
            targets = getattr(node, "targets", [])
            if any(getattr(t, "id", None) == arg.id for t in targets):
                for const in ast.walk(node.value):
                    if isinstance(const, ast.Constant) and isinstance(const.value, str):
                        literals.add(const.value)


def registered_kinds() -> set[str]:
    return {*TIMELINE_KINDS, *extensions.timeline_labels()}


def test_every_kind_a_service_writes_is_registered_with_a_label():
    literals, patterns = _source_kinds()
    kinds = registered_kinds()
    assert len(literals) > 40  # the scan finds the writers (a broken scan would pass vacuously)
    assert literals - kinds == set()
    assert [p.pattern for p in patterns if not any(p.fullmatch(k) for k in kinds)] == []


def test_every_registered_kind_has_a_realistic_sample_here():
    assert registered_kinds() - set(SAMPLES) == set()


def _problems(text: str, allowed_none: bool = False) -> list[str]:
    if allowed_none:  # English names the code NONE "None" (no leak found): the word, not a repr
        text = re.sub(r"(?<=[ :：])None$", "", text, flags=re.MULTILINE)
    dotted = [name for name in {*registered_kinds(), *EVENTS} if name in text]
    found = UPPER_SNAKE.findall(text) + SNAKE.findall(text) + ISO_OR_UTC.findall(text)
    return found + REPR.findall(text) + dotted


def _words(kind: str) -> str:
    payload = SAMPLES[kind]
    lines = [timeline_kind(kind), *timeline_text.describe(kind, payload)]
    lines += [f"{label} {value}" for label, value in timeline_text.snapshot_rows(payload)]
    return "\n".join(lines)


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_the_kind_reads_as_words_without_codes_none_reprs_or_utc(kind, language, settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    with translation.override(language):
        text = _words(kind)
    allowed_none = language == "en" and "NONE" in str(SAMPLES[kind])
    assert text.strip() and _problems(text, allowed_none) == [], text
    codes = {v for v in _strings(SAMPLES[kind]) if CODE.match(v) and v not in LABEL_LIKE}
    assert [c for c in codes if re.search(rf"\b{c}\b", text)] == [], text
    if language == "ja":  # no English left: every word is Japanese or comes from the data
        data = " ".join(_strings(SAMPLES[kind]))
        assert [w for w in WORD.findall(text) if w not in data and w not in ASCII_TERMS] == [], text


LABEL_LIKE = {"URL", "AMBER", "GREEN", "RED", "CLEAR"}  # codes whose label is the code itself
ASCII_TERMS = {"TLP", "IoC", "BCP", "IRT", "CSIRT", "SHA", "Message", "PPC", "STRICT", "AMBER",
               "GREEN", "RED", "CLEAR", "URL", "PDF", "ISMS", "hxxp"}  # fmt: skip


def _strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [*_strings(v)]]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return [value] if isinstance(value, str) else []


def test_a_decision_reads_its_snapshot_as_a_table_in_japanese_with_local_times():
    with translation.override("ja"):
        rows = dict(timeline_text.snapshot_rows(SAMPLES["decision.decided"]))
        opened = timeline_text.describe("decision.opened", SAMPLES["decision.opened"])
    assert rows["サイバー攻撃対応BCP"] == "判断待ち" and rows["外部通信"] == "確定"
    assert opened[-1].endswith("2026/11/14 10:40")


def test_the_checker_catches_each_kind_of_raw_text():
    raw = ["CUT_ALL_EXTERNAL_NETWORK", "alert.acknowledged", "time_to_triage_s", "None",
           "{'a': 1}", "['x']", "2026-11-14 01:40", "10:40:00"]  # fmt: skip
    assert all(_problems(text) for text in raw)


def test_an_older_assignment_without_names_reads_them_from_the_people(handler):
    with translation.override("ja"):
        lines = timeline_text.describe(
            "incident.assigned", {"csirt_lead": None, "handlers": [handler.pk]}
        )
    assert lines == ["CSIRT責任者：—", f"対応担当者：{handler}"]
