#!/usr/bin/env python3
"""The mutation gate: a rule's tests must fail when the rule's clause is deleted.

Each entry of CLAUSES names one clause of a rule of DOMAIN-MODEL §3 (by rule id), the file it
lives in, the exact source text of the clause and what it becomes without it. The gate first runs
the rule tests on the unchanged code (they must pass), then, one clause at a time, writes the
mutant, runs the rule tests again and puts the file back. A clause is *killed* when a test fails;
one that survives means no test protects that clause, and the gate fails.

    make mutation                     # every clause (about ten minutes on two cores)
    python scripts/mutation.py --list # the clauses
    python scripts/mutation.py --only D-4  # the clauses whose id starts with D-4
    python scripts/mutation.py --check     # only check that every clause's text is still there

Run it with the test environment (`make mutation` sets it, like `make test`). When a clause is
refactored, update its text here; `tests/test_mutation_gate.py` fails until the list matches
the code. A run that is killed leaves the original next to the file (`<file>.mutation-orig`);
the next run puts it back first.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BACKUP_SUFFIX = ".mutation-orig"

# The tests of the escalation, decision and BCP rules: what the gate runs for every mutant.
RULE_TESTS = (
    "tests/risklevels/test_evaluator.py",
    "tests/risklevels/test_rules_in_the_record.py",
    "tests/risklevels/test_observed_time.py",
    "tests/risklevels/test_scenario.py",
    "tests/bcp/test_decisions.py",
    "tests/incidents/api/test_record.py",
    "tests/incidents/test_task_records.py",
    "tests/comms/test_rules.py",
    "tests/comms/test_templates.py",
    "tests/privacy/test_appi_rules.py",
    "tests/privacy/test_obligations.py",
    "tests/sharing/test_tlp_rules.py",
)


@dataclass(frozen=True)
class Clause:
    rule: str  # the rule id of DOMAIN-MODEL §3 (or the defect it guards)
    says: str  # the clause, in words
    path: str  # relative to the repository root
    find: str  # the exact source text of the clause (must occur exactly once)
    replace: str  # the code without the clause
    first: tuple[str, ...] = field(default=())  # test files to run first (faster kills)


CLAUSES: tuple[Clause, ...] = (
    Clause(
        "T-2",
        "an object goes to a recipient class only within its TLP ceiling",
        "sharing/tlp.py",
        "    return tlp_rules.within(tlp, CEILING[recipient])\n",
        "    return True\n",
        ("tests/sharing/test_tlp_rules.py",),
    ),
    Clause(
        "T-2",
        "the incident object never leaves when RED",
        "sharing/tlp.py",
        "    if tlp == Tlp.RED:\n        return False\n",
        "",
        ("tests/sharing/test_tlp_rules.py",),
    ),
    Clause(
        "T-2",
        "JPCERT/CC receives up to AMBER (nothing AMBER+STRICT: the incident object neither)",
        "sharing/tlp.py",
        "    Recipient.JPCERT_CC: Tlp.AMBER,\n",
        "    Recipient.JPCERT_CC: Tlp.AMBER_STRICT,\n",
        ("tests/sharing/test_tlp_rules.py",),
    ),
    Clause(
        "T-2",
        "an ISAC receives up to GREEN",
        "sharing/tlp.py",
        "    Recipient.ISAC: Tlp.GREEN,\n",
        "    Recipient.ISAC: Tlp.AMBER,\n",
        ("tests/sharing/test_tlp_rules.py",),
    ),
    Clause(
        "T-3",
        "a sighting reveals the victim: its TLP is the stricter of the indicator's and AMBER",
        "sharing/tlp.py",
        "    return stricter(indicator_tlp, Tlp.AMBER)\n",
        "    return indicator_tlp\n",
        ("tests/sharing/test_tlp_rules.py",),
    ),
    Clause(
        "T-2",
        "a MISP attribute's distribution goes no further than its TLP (GREEN: connected)",
        "sharing/misp.py",
        "    Tlp.GREEN: 2,\n",
        "    Tlp.GREEN: 3,\n",
        ("tests/sharing/test_misp_export.py",),
    ),
    Clause(
        "T-2",
        "the MISP event names the incident only when the incident's TLP permits",
        "sharing/misp.py",
        "    if rules.incident_permits(recipient, incident.tlp):\n        info =",
        "    if True:\n        info =",
        ("tests/sharing/test_misp_export.py",),
    ),
    Clause(
        "T-2",
        "a MISP attribute leaves only when T-2 permits its TLP",
        "sharing/misp.py",
        "        if indicator.kind in TYPES and rules.permits(recipient, indicator.tlp):",
        "        if indicator.kind in TYPES:",
        ("tests/sharing/test_misp_export.py",),
    ),
    Clause(
        "issue 22 item 5",
        "a guest sees only the indicators within the invitation's TLP ceiling, and how many not",
        "comms/services/guests.py",
        "    return tlp_rules.split(rows, invitation.tlp_ceiling, lambda row: row.tlp)",
        "    return rows, 0",
        ("tests/sharing/test_tlp_everywhere.py",),
    ),
    Clause(
        "issue 22 item 1",
        "a value rejected once in the organisation is not suggested again",
        "sharing/suggestions.py",
        "organisation_id=incident.organisation_id, status=SuggestionStatus.REJECTED",
        "organisation_id=incident.organisation_id, status=SuggestionStatus.ACCEPTED",
        ("tests/sharing/test_extraction.py",),
    ),
    Clause(
        "issue 22 item 1",
        "a private or loopback address is not suggested",
        "sharing/extraction.py",
        "        return ipaddress.ip_address(address).is_global",
        "        return bool(ipaddress.ip_address(address))",
        ("tests/sharing/test_extraction.py",),
    ),
    Clause(
        "issue 22 item 1",
        "a value the incident already holds as an indicator is not suggested",
        "sharing/suggestions.py",
        "        for kind, digest in Indicator.objects.filter(incident=incident).values_list(",
        "        for kind, digest in Indicator.objects.none().values_list(",
        ("tests/sharing/test_extraction.py",),
    ),
    Clause(
        "T-3",
        "an imported STIX indicator takes its TLP from its TLP 2.0 marking (issue 22)",
        "sharing/intel/parse.py",
        '                    tlp=tlp_of_markings(obj.get("object_marking_refs")),\n',
        "                    tlp=DEFAULT_TLP,\n",
        ("tests/sharing/test_intel_import.py",),
    ),
    Clause(
        "T-3",
        "the retro-hunt tells the ISMS office once per (item, value): a re-import opens nothing",
        "sharing/retrohunt.py",
        "    if not created:\n        return None\n",
        "",
        ("tests/sharing/test_intel_import.py",),
    ),
    Clause(
        "issue 22",
        "a file over the import limit is refused before anything is stored",
        "sharing/intel/parse.py",
        "    if len(raw) > max_bytes():\n",
        "    if False:\n",
        ("tests/sharing/test_intel_import.py",),
    ),
    Clause(
        "issue 22",
        "a file nested too deep is refused before anything is stored",
        "sharing/intel/parse.py",
        "    if too_deep(data):\n        raise _too_deep()\n",
        "",
        ("tests/sharing/test_intel_import.py",),
    ),
    Clause(
        "issue 22",
        "a bundle of another STIX version is refused, nothing stored",
        "sharing/intel/parse.py",
        '            raise _wrong_version(obj.get("spec_version"))\n',
        "            pass\n",
        ("tests/sharing/test_intel_import.py",),
    ),
    Clause(
        "B-2",
        "stand down only with no infected host left unisolated",
        "bcp/services/decisions.py",
        "    if unisolated:\n        failures.append(",
        "    if False:\n        failures.append(",
        ("tests/bcp/test_decisions.py",),
    ),
    Clause(
        "D-1",
        "unless a decision of that type is OPEN",
        "risklevels/services/engine.py",
        "if same.filter(status=DecisionStatus.OPEN).exists():\n        return True",
        "if False:\n        return True",
        ("tests/risklevels/test_rules_in_the_record.py",),
    ),
    Clause(
        "D-1",
        "unless a decision of that type is APPROVED",
        "risklevels/services/engine.py",
        "return same.filter(status=DecisionStatus.DECIDED, outcome=Outcome.APPROVED).exists()",
        "return False",
        ("tests/risklevels/test_rules_in_the_record.py",),
    ),
    Clause(
        "D-1",
        "the level-2 checklist is issued at the gate, not at approval",
        "risklevels/services/engine.py",
        "checklist_issue(incident=incident, level=2, actor=actor, at=level2)",
        "pass",
        ("tests/risklevels/test_rules_in_the_record.py",),
    ),
    Clause(
        "D-1b",
        "unless already APPROVED at FULL scope",
        "risklevels/services/engine.py",
        "if approved.filter(outcome_scope__in=[full, Scope.FULL]).exists():",
        "if False:",
        ("tests/risklevels/test_rules_in_the_record.py",),
    ),
    Clause(
        "D-1b",
        "a gate opens once, at the first rule of its level (not once per rule)",
        "risklevels/services/engine.py",
        "if any(rule_id.startswith(prefix) for rule_id in self.before):\n            return None",
        "if False:\n            return None",
        ("tests/risklevels/test_rules_in_the_record.py",),
    ),
    Clause(
        "D-4",
        "a deputy's decision needs ratification",
        "bcp/services/decisions.py",
        "holder.rank > 1 or decision.decided_as_delegate",
        "decision.decided_as_delegate",
        ("tests/bcp/test_decisions.py",),
    ),
    Clause(
        "D-4",
        "DEFERRED needs no ratification",
        "bcp/services/decisions.py",
        "decision.requires_ratification = outcome != Outcome.DEFERRED and (",
        "decision.requires_ratification = (",
        ("tests/bcp/test_decisions.py",),
    ),
    Clause(
        "D-6",
        "DECLINED leaves an ACTIVATED_* state as it is",
        "bcp/services/decisions.py",
        "if state == BcpState.DECISION_PENDING:",
        "if True:",
        ("tests/bcp/test_decisions.py",),
    ),
    Clause(
        "L2-b",
        "the other asset was isolated before the new infection",
        "risklevels/evaluator.py",
        "and a.isolated_at < late.infected_observed_at",
        "",
        ("tests/risklevels/test_evaluator.py",),
    ),
    Clause(
        "L3-b",
        "customer or company-confidential data counts, not only personal data",
        "risklevels/services/engine.py",
        " | Q(asset__holds_confidential_data=True)",
        "",
        ("tests/risklevels/test_rules_in_the_record.py",),
    ),
    Clause(
        "L-D",
        "an approved lowering keeps the recommendation of rules that still fire",
        "risklevels/services/levels.py",
        'max([target, *active.values_list("target", flat=True)])',
        "target",
        ("tests/risklevels/test_rules_in_the_record.py",),
    ),
    Clause(
        "D-2",
        "a decision's deadline runs from the fact's observed_at, not from now",
        "bcp/services/decisions.py",
        "now = at or clock.now()",
        "now = clock.now()",
        ("tests/risklevels/test_observed_time.py",),
    ),
    Clause(
        "N-1",
        "the all-staff alert is due 30 minutes after level 1",
        "risklevels/services/checklists.py",
        "due_at=at + timedelta(minutes=t.target_minutes) if t.target_minutes else None,",
        "due_at=None,",
        ("tests/risklevels/test_observed_time.py",),
    ),
    Clause(
        "§4 map",
        "a task is done from the record only when a record proves it (no vacuous truth)",
        "incidents/completion.py",
        "return Proof(holds=bool(proving) and not lacking,",
        "return Proof(holds=not lacking,",
        ("tests/incidents/test_task_records.py",),
    ),
    Clause(
        "§4 map",
        "the network block counts at the proxy, DNS or firewall only",
        "incidents/completion.py",
        "blocked = Q(blocked_by__in=NETWORK_BLOCK_POINTS)",
        "blocked = Q(blocked_at__isnull=False)",
        ("tests/incidents/test_task_records.py",),
    ),
    Clause(
        "§3.1",
        "a restore is not a re-infection: every tracked state is compared, not the sent keys",
        "incidents/services/assets.py",
        "states = tracked_states(affected)",
        "states = dict(before)",
        ("tests/incidents/api/test_record.py",),
    ),
    Clause(
        "I17-1",
        "a read-only guest (or one above the ceiling) adds nothing to the incident",
        "comms/services/guests.py",
        "    if found is None or not contributes_to(user, incident):",
        "    if found is None:",
        ("tests/comms/test_guest_facts.py",),
    ),
    Clause(
        "I17-2",
        "findings are recorded by editors and the incident's own contributing guest only",
        "incidents/access.py",
        'a leak)."""\n'
        "    return can_edit_incidents(user) or extensions.contributes_to(user, incident)",
        'a leak)."""\n    return True',
        ("tests/comms/test_guest_facts.py",),
    ),
    Clause(
        "I17-3",
        "a guest enrols the second factor before the incident, with no grace period",
        "accounts/two_factor.py",
        "    if is_required_now(user):\n        return _stop(request, enrol_url())\n",
        "",
        ("tests/comms/test_guest_two_factor.py",),
    ),
    Clause(
        "I17-4",
        "the guests' second factor follows TWO_FACTOR_REQUIRED_FOR_GUESTS",
        "comms/services/guests.py",
        "return bool(settings.TWO_FACTOR_REQUIRED_FOR_GUESTS) and is_guest(user)",
        "return is_guest(user)",
        ("tests/comms/test_guest_two_factor.py",),
    ),
    Clause(
        "I17-5",
        "a role-wide task opens no incident to an external responder",
        "incidents/selectors.py",
        "roles = access.roles_of(user) - access.ASSIGNED_ONLY",
        "roles = access.roles_of(user)",
        ("tests/comms/test_external_responder_scope.py",),
    ),
    Clause(
        "I17-6",
        "only the roles that speak for the audience mark a message sent or cancel it",
        "comms/services/communications.py",
        "    if target in (Status.SENT, Status.CANCELLED):\n"
        "        return access.can_send(actor, audience)\n",
        "",
        ("tests/comms/test_senders.py",),
    ),
    Clause(
        "I17-7",
        "PR sends to the public audiences only",
        "comms/access.py",
        "    Role.PR: PUBLIC,",
        "    Role.PR: frozenset(Audience.values),",
        ("tests/comms/test_senders.py",),
    ),
    Clause(
        "N-4",
        "to the media only TLP:CLEAR",
        "comms/rules.py",
        "    Audience.MEDIA: frozenset({Tlp.CLEAR.value}),\n",
        "",
        ("tests/comms/test_rules.py",),
    ),
    Clause(
        "N-4",
        "to the public only TLP:CLEAR",
        "comms/rules.py",
        "    Audience.PUBLIC: frozenset({Tlp.CLEAR.value}),\n",
        "",
        ("tests/comms/test_rules.py",),
    ),
    Clause(
        "N-4",
        "to an ISAC TLP:GREEN or tighter",
        "comms/rules.py",
        "    Audience.ISAC: at_least(Tlp.GREEN),\n",
        "",
        ("tests/comms/test_rules.py",),
    ),
    Clause(
        "N-4",
        "to JPCERT/CC TLP:AMBER or tighter",
        "comms/rules.py",
        "    Audience.JPCERT_CC: at_least(Tlp.AMBER),\n",
        "",
        ("tests/comms/test_rules.py",),
    ),
    Clause(
        "N-4",
        "to IPA TLP:AMBER or tighter",
        "comms/rules.py",
        "    Audience.IPA: at_least(Tlp.AMBER),\n",
        "",
        ("tests/comms/test_rules.py",),
    ),
    Clause(
        "N-4",
        "the service refuses a label the audience may not receive",
        "comms/services/communications.py",
        "    if not rules.tlp_allowed(audience, tlp):",
        "    if False:",
        ("tests/comms/test_rules.py",),
    ),
    Clause(
        "N-4",
        "internal messages are TLP:AMBER+STRICT by default",
        "comms/rules.py",
        "    Audience.ALL_STAFF: Tlp.AMBER_STRICT,\n",
        "",
        ("tests/comms/test_rules.py",),
    ),
    Clause(
        "N-4",
        "an indicator goes only into a message at least as strict as its TLP",
        "comms/services/templates.py",
        "        if rules.shareable(item_tlp, tlp)\n",
        "",
        ("tests/comms/test_templates.py",),
    ),
    Clause(
        "N-3",
        "a public message is sent only under the announcement decision",
        "comms/services/communications.py",
        "        if communication.audience in PUBLIC:",
        "        if False:",
        ("tests/comms/test_rules.py",),
    ),
    Clause(
        "N-3",
        "only an APPROVED announcement decision counts",
        "comms/services/communications.py",
        "            outcome=Outcome.APPROVED,\n",
        "",
        ("tests/comms/test_rules.py",),
    ),
    Clause(
        "N-1",
        "sending a message completes the checklist task it fulfils",
        "comms/services/communications.py",
        "    if status == Status.SENT:\n        tasks_reconcile(",
        "    if False:\n        tasks_reconcile(",
        ("tests/comms/test_rules.py",),
    ),
    Clause(
        "N-1",
        "only a message to all staff completes the all-staff alert",
        "comms/records.py",
        "return _sent_to(incident, (Audience.ALL_STAFF,))",
        "return _sent_to(incident, (Audience.ALL_STAFF, Audience.DEPARTMENT))",
        ("tests/comms/test_rules.py",),
    ),
    Clause(
        "N-1",
        "only a sent message completes a task (not a draft or an approved one)",
        "comms/records.py",
        "incident=incident, audience__in=audiences, status=Status.SENT",
        "incident=incident, audience__in=audiences",
        ("tests/comms/test_rules.py",),
    ),
    Clause(
        "A-0",
        "an asset that can reach a personal-data set is screened REQUIRED",
        "privacy/services/appi.py",
        "Q(hosted_on__in=affected) | Q(accessible_from__in=affected)",
        "Q(hosted_on__in=affected)",
        ("tests/privacy/test_appi_rules.py",),
    ),
    Clause(
        "A-0",
        "screening opens the APPI_REPORTABILITY decision",
        "privacy/services/appi.py",
        "            _open_decision(incident, actor, observed_at, assessment.screening_reason)",
        "            pass",
        ("tests/privacy/test_appi_rules.py",),
    ),
    Clause(
        "A-1",
        "(c) not when blocked from the first attempt",
        "privacy/services/appi.py",
        "            .exclude(data__blocked=True)\n",
        "",
        ("tests/privacy/test_appi_rules.py",),
    ),
    Clause(
        "A-1",
        "(d) only a credible outside notification",
        "privacy/services/appi.py",
        "        .exclude(kind=LeakKind.EXTERNAL_NOTIFICATION, credible=False)\n",
        "",
        ("tests/privacy/test_appi_rules.py",),
    ),
    Clause(
        "A-7",
        "an earlier observed fact moves the clock back",
        "privacy/services/appi.py",
        "if assessment.aware_at is not None and assessment.aware_at <= at:",
        "if assessment.aware_at is not None:",
        ("tests/privacy/test_appi_rules.py",),
    ),
    Clause(
        "A-2",
        "category 1: sensitive personal data",
        "privacy/services/appi.py",
        "    if any(s.sensitive_personal_data for s in sets):\n        found.add(1)",
        "    if False:\n        found.add(1)",
        ("tests/privacy/test_appi_rules.py",),
    ),
    Clause(
        "A-2",
        "category 3: an unauthorised purpose",
        "privacy/services/appi.py",
        "    if cause in enums.UNAUTHORISED_PURPOSE:\n        found.add(3)",
        "    if False:\n        found.add(3)",
        ("tests/privacy/test_appi_rules.py",),
    ),
    Clause(
        "A-2",
        "category 4: more than 1,000 people",
        "privacy/services/appi.py",
        "if sum(s.individuals_count for s in sets) > 1000:",
        "if False:",
        ("tests/privacy/test_appi_rules.py",),
    ),
    Clause(
        "A-3",
        "every set encrypted: no PPC obligation",
        "privacy/services/appi.py",
        "    if sets and all(s.high_grade_encrypted for s in sets):\n        return",
        "    if False:\n        return",
        ("tests/privacy/test_appi_rules.py",),
    ),
    Clause(
        "A-3",
        "entrusted: notify the entrusting party",
        "privacy/services/appi.py",
        "    if entrusted:  # A-3",
        "    if False:  # A-3",
        ("tests/privacy/test_appi_rules.py",),
    ),
    Clause(
        "A-4",
        "category 3 adds the police and IPA recommendations",
        "privacy/services/appi.py",
        "    if 3 in categories:\n        plan +=",
        "    if False:\n        plan +=",
        ("tests/privacy/test_appi_rules.py",),
    ),
    Clause(
        "A-4",
        "the final report runs 60 days with category 3",
        "privacy/clocks.py",
        "return KAKUHO_DAYS_CAT3 if 3 in categories else KAKUHO_DAYS",
        "return KAKUHO_DAYS",
        ("tests/privacy/test_appi_rules.py",),
    ),
    Clause(
        "A-5",
        "a category change moves the open final report's due",
        "privacy/services/appi.py",
        "            _reschedule(assessment, obligation, dates, actor)",
        "            pass",
        ("tests/privacy/test_appi_rules.py",),
    ),
    Clause(
        "A-5",
        "the warning when the shorter date has passed",
        "privacy/services/appi.py",
        "if moved and obligation.due_at is not None and obligation.due_at < clock.now():",
        "if False:",
        ("tests/privacy/test_appi_rules.py",),
    ),
    Clause(
        "A-6",
        "a refusal waives the open APPI obligations",
        "privacy/services/appi.py",
        '        obligations.waive(obligation, actor, decision.rationale, rule="A-6")',
        "        pass",
        ("tests/privacy/test_appi_rules.py",),
    ),
    Clause(
        "A-6",
        "a refusal is ratified by the decision maker",
        "privacy/services/appi.py",
        '        requires_ratification=True, ratifying_role="DECISION_MAKER"',
        "        requires_ratification=False",
        ("tests/privacy/test_appi_rules.py",),
    ),
    Clause(
        "T-1",
        "a TLP below the floor is refused",
        "incidents/services/records.py",
        '    if "tlp" in changes:\n        _check_tlp_floor(incident, changes["tlp"])',
        '    if False:\n        _check_tlp_floor(incident, changes["tlp"])',
        ("tests/privacy/test_appi_rules.py",),
    ),
    Clause(
        "T-1",
        "a personal-data link forces RED",
        "privacy/services/appi.py",
        "        _force_red(incident, actor)",
        "        pass",
        ("tests/privacy/test_appi_rules.py",),
    ),
    Clause(
        "L3-a",
        "a leak of a sensitive data set is level 3",
        "risklevels/evaluator.py",
        "        if leak.asset_kind is None or leak.asset_kind in SERVER_KINDS or leak.data_set\n",
        "        if leak.asset_kind is None or leak.asset_kind in SERVER_KINDS\n",
        ("tests/privacy/test_appi_rules.py",),
    ),
    Clause(
        "L3-b",
        "an asset hosting a sensitive data set holds sensitive data",
        "risklevels/services/engine.py",
        "        sensitive |= Q(asset_id__in=hosts)",
        "        pass",
        ("tests/privacy/test_appi_rules.py",),
    ),
    Clause(
        "C-1",
        "an open obligation blocks the close",
        "privacy/closure.py",
        'open=Count("pk", filter=Q(status="OPEN")),',
        'open=Count("pk", filter=Q(status="NONE")),',
        ("tests/privacy/test_obligations.py",),
    ),
    Clause(
        "§2.2 Obligation",
        "the soft due and the due alert once each",
        "privacy/services/reminders.py",
        'pk=pk, status="OPEN", **{f"{due_field}__lte": now, f"{mark}__isnull": True}',
        'pk=pk, status="OPEN", **{f"{due_field}__lte": now}',
        ("tests/privacy/test_obligations.py",),
    ),
    Clause(
        "issue 16 item 6",
        "PR and legal see the communications only of the incidents they hold something on",
        "comms/selectors.py",
        "    return incident_selectors.incidents_visible_to(user)",
        "    return Incident.objects.filter(organisation_id=user.organisation_id)",
        ("tests/comms/test_api_and_pages.py",),
    ),
    Clause(
        "issue 16 item 6",
        "a role that only holds obligations records none by hand",
        "privacy/services/obligations.py",
        "        access.can_record_obligations(actor)\n        and ",
        "        ",
        ("tests/privacy/test_visibility.py",),
    ),
    Clause(
        "issue 17 item 4",
        "a guest's access ends at the second of the expiry",
        "comms/services/guests.py",
        "            expires_at__gt=now,\n",
        "",
        ("tests/comms/test_guests.py",),
    ),
    Clause(
        "issue 17 item 4",
        "a revoked guest's access ends at once",
        "comms/services/guests.py",
        "            revoked_at__isnull=True,\n",
        "",
        ("tests/comms/test_guests.py",),
    ),
    Clause(
        "issue 17 item 4",
        "content above the guest's TLP ceiling is hidden",
        "incidents/tlp.py",
        "    return ORDER.index(tlp) <= ORDER.index(ceiling)",
        "    return True",
        ("tests/comms/test_guests.py",),
    ),
    Clause(
        "issue 17 item 4",
        "a guest sees the incident of the invitation only",
        "incidents/selectors.py",
        "        return base.filter(*limits)",
        "        pass",
        ("tests/comms/test_guests.py",),
    ),
    Clause(
        "issue 17 item 4",
        "a guest reaches no page but the guest pages",
        "comms/middleware.py",
        "        if not request.path.startswith(GUEST_PATHS):",
        "        if False:",
        ("tests/comms/test_guests.py",),
    ),
    Clause(
        "issue 17 item 4",
        "the invitation's link works once",
        "comms/services/guests.py",
        '    if invitation is None or state_of(invitation) != "pending":',
        "    if invitation is None:",
        ("tests/comms/test_guests.py",),
    ),
    Clause(
        "issue 17 item 4",
        "only the CSIRT lead or the ISMS office invites",
        "comms/services/guests.py",
        'access.can_invite_guests(actor), "invite outside responders")',
        'True, "invite outside responders")',
        ("tests/comms/test_guests.py",),
    ),
    Clause(
        "issue 17 item 4",
        "a reading guest adds no evidence",
        "comms/services/guests.py",
        "        and found.role == GuestRole.CONTRIBUTE\n",
        "",
        ("tests/comms/test_guests.py",),
    ),
    Clause(
        "issue 17 item 4",
        "an invitation is revoked only by its organisation",
        "comms/services/guests.py",
        "    if invitation.organisation_id != actor.organisation_id:",
        "    if False:",
        ("tests/comms/test_guests.py",),
    ),
    Clause(
        "issue 18 item 1",
        "real lists of other tables leave the exercise incidents' rows out",
        "incidents/selectors.py",
        "    return inside if exercise else ~inside",
        "    return inside if exercise else Q()",
        ("tests/dashboard/test_exercise_isolation.py",),
    ),
    Clause(
        "issue 18 item 1",
        "real counts and tiles read real incidents only",
        "incidents/selectors.py",
        "        return Q(is_exercise=exercise)",
        "        return Q()",
        ("tests/dashboard/test_exercise_isolation.py",),
    ),
    Clause(
        "issue 18 item 1",
        "the incident list shows real incidents unless the exercise ones are asked for",
        "dashboard/selectors/lists.py",
        "    rows = rows.filter(is_exercise=EXERCISE.get(exercise, False))",
        "    pass",
        ("tests/dashboard/test_exercise_isolation.py",),
    ),
    Clause(
        "issue 18 item 1",
        "the decision inbox keeps exercise decisions in their own section",
        "bcp/selectors.py",
        ".filter(_takeable(user, at), scope, organisation_id=user.organisation_id)",
        ".filter(_takeable(user, at), organisation_id=user.organisation_id)",
        ("tests/dashboard/test_exercise_isolation.py",),
    ),
    Clause(
        "issue 18 item 1",
        "the decisions tile counts real decisions only",
        "dashboard/selectors/tiles.py",
        '        real("incident__"), status=DecisionStatus.OPEN',
        "        status=DecisionStatus.OPEN",
        ("tests/dashboard/test_exercise_isolation.py",),
    ),
    Clause(
        "issue 18 item 1",
        "the obligation lists leave an exercise's obligations out",
        "privacy/selectors.py",
        "    if exercise is not None:\n        rows = rows.filter(",
        "    if False:\n        rows = rows.filter(",
        ("tests/dashboard/test_exercise_isolation.py",),
    ),
    Clause(
        "issue 18 item 1",
        "the legal inbox leaves exercise decisions out",
        "privacy/selectors.py",
        '            incident_selectors.exercise_scope(prefix="incident__"),\n'
        "            organisation_id=user.organisation_id,\n"
        '            status="OPEN",',
        '            organisation_id=user.organisation_id,\n            status="OPEN",',
        ("tests/dashboard/test_exercise_isolation.py",),
    ),
    Clause(
        "issue 18 item 1",
        "triage offers no exercise incident to attach to",
        "incidents/selectors.py",
        "incident_list(user, exercise=False).open()",
        "incident_list(user).open()",
        ("tests/dashboard/test_exercise_isolation.py",),
    ),
    Clause(
        "issue 18 item 1",
        "a real triage item is not attached to an exercise incident",
        "incidents/services/triage.py",
        "    if incident.is_exercise:  # a triage item is a real report (issue 18)",
        "    if False:",
        ("tests/incidents/test_exercise_boundary.py",),
    ),
    Clause(
        "issue 18 item 1",
        "a real and an exercise incident are not related",
        "incidents/services/relations.py",
        "    if related.is_exercise != incident.is_exercise:  # issue 18",
        "    if False:",
        ("tests/incidents/test_exercise_boundary.py",),
    ),
    Clause(
        "issue 18 item 2",
        "a page showing an exercise incident carries the banner",
        "dashboard/templatetags/dashboard_ui.py",
        '    if getattr(context.get("incident"), "is_exercise", False) is True:\n'
        "        return True\n",
        "",
        ("tests/dashboard/test_exercise_isolation.py",),
    ),
    Clause(
        "issue 18 item 2",
        "an exercise page has its own page colour",
        "templates/base.html",
        '<body{% if page_shows_exercise %} class="is-exercise"{% endif %}>',
        "<body>",
        ("tests/dashboard/test_exercise_isolation.py",),
    ),
    Clause(
        "issue 18 item 1",
        "the corrective-action list leaves an exercise's actions out",
        "isms/selectors.py",
        "    actions = corrective_actions_visible_to(user).filter(\n"
        '        incident_selectors.exercise_scope(prefix="incident__")\n'
        "    )\n",
        "    actions = corrective_actions_visible_to(user)\n",
        ("tests/dashboard/test_exercise_isolation.py",),
    ),
    Clause(
        "issue 19 item 1",
        "a decision's snapshot names the Cyber BCP state by its label, not its code",
        "bcp/timeline.py",
        '    "bcp_state": BcpState,\n    "outcome": Outcome,',
        '    "outcome": Outcome,',
        ("tests/incidents/test_timeline_words_sweep.py",),
    ),
    Clause(
        "issue 19 item 1",
        "the alerts' timeline entries read as words",
        "notifications/apps.py",
        "        extensions.register_timeline_describers(DESCRIBERS)\n",
        "",
        ("tests/incidents/test_timeline_words_sweep.py",),
    ),
    Clause(
        "issue 19 item 1",
        "the alerts' timeline entries read as sentences of their own",
        "notifications/apps.py",
        "        extensions.register_timeline_sentences(SENTENCES)\n",
        "",
        ("tests/incidents/test_timeline_sentences.py",),
    ),
    Clause(
        "issue 19 item 1",
        "a decision request names the deputy who takes over at the deadline",
        "bcp/services/decisions.py",
        '        "deputy": deputy.pk if deputy else None,\n',
        '        "deputy": None,\n',
        ("tests/bcp/test_decision_request_entry.py",),
    ),
    Clause(
        "issue 19 item 3",
        "a register asked for in Shift_JIS is written in Shift_JIS",
        "common/csvexport.py",
        'ENCODINGS = {"utf-8": "utf-8", "shift_jis": "cp932"}',
        'ENCODINGS = {"utf-8": "utf-8"}',
        ("tests/dashboard/test_registers.py",),
    ),
    Clause(
        "issue 19 item 3",
        "the list's filters apply to its register",
        "dashboard/views/lists.py",
        "        ordered = queryset.order_by(*ordering.order_by())",
        "        ordered = rows(request.user, **extra).order_by(*ordering.order_by())",
        ("tests/dashboard/test_registers.py",),
    ),
    Clause(
        "issue 19 item 2",
        "the report leaves out the indicators above the chosen TLP",
        "records/report.py",
        "    shown = [row for row in rows if within_ceiling(row.tlp, tlp)]",
        "    shown = rows",
        ("tests/records/test_report.py::test_indicators_above_the_chosen_tlp_are_left_out",),
    ),
    Clause(
        "issue 19 item 2",
        "each PDF download is written on the incident's timeline",
        "records/views.py",
        "    services.report_download_record(\n",
        "    (lambda **kw: None)(\n",
        ("tests/records/test_report.py::test_each_download_is_written_on_the_incident_timeline",),
    ),
    Clause(
        "issue 19 item 4",
        "a phone number edited on a profile makes a new kit version at once",
        "accounts/admin.py",
        "            directory.contact_changed(obj)\n",
        "            pass\n",
        (
            "tests/records/test_kit.py::test_a_phone_number_edited_on_the_profile_makes_a_new_kit_version_at_once",
        ),
    ),
    Clause(
        "issue 19 item 4",
        "a kit version is made only when its content changed",
        "records/services.py",
        "    if latest is not None and latest.fingerprint == digest:",
        "    if False:",
        ("tests/records/test_kit.py::test_nothing_changed_makes_no_new_version",),
    ),
    Clause(
        "issue 19 item 4",
        "a printed copy older than the newest version alerts the ISMS office",
        "records/services.py",
        "    if printed is not None:\n        events.publish(",
        "    if False:\n        events.publish(",
        (
            "tests/records/test_kit.py::test_a_printed_copy_older_than_the_roster_reminds_the_isms_office",
        ),
    ),
    Clause(
        "issue 18 item 4",
        "a fact cannot have happened after it was learned (scenario time rules)",
        "training/scenario.py",
        '    if raw.get("occurred") not in (None, "")'
        ' and parse_offset(raw["occurred"]) > observed:',
        "    if False:",
        ("tests/training/test_scenario_schema.py::test_time_rules_name_the_inject_s_line",),
    ),
    Clause(
        "issue 18 item 4",
        "a second incident is caused by one started before it",
        "training/scenario.py",
        "            if cause is not None and (cause not in started or cause == key):",
        "            if False:",
        (
            "tests/training/test_scenario_schema.py::test_a_second_incident_must_be_caused_by_one_started_before",
        ),
    ),
    Clause(
        "issue 18 item 4",
        "only the facilitator may play another participant",
        "training/services/exercises.py",
        '    if payload.get("by") and not access.can_run_exercises(actor):',
        "    if False:",
        (
            "tests/training/test_exercise_injects.py::test_only_the_facilitator_may_act_for_another_participant",
        ),
    ),
    Clause(
        "issue 18 item 4",
        "the last C2 connection falls between the first one and now",
        "incidents/services/findings.py",
        "    if last_seen_at is not None and (",
        "    if False and (",
        (
            "tests/training/test_exercise_injects.py::test_a_last_connection_before_the_first_is_refused",
        ),
    ),
    Clause(
        "issue 18 item 1",
        "an exercise incident takes an EX reference",
        "incidents/services/records.py",
        "        ref=format_ref(year, seq, exercise=exercise),",
        "        ref=format_ref(year, seq),",
        ("tests/training/test_exercise_numbering.py",),
    ),
    Clause(
        "issue 18 item 1",
        "an exercise incident never consumes the real sequence",
        "incidents/services/refs.py",
        '"year": year, "exercise": exercise, "series": series}',
        '"year": year, "exercise": False, "series": series}',
        ("tests/training/test_exercise_numbering.py",),
    ),
    Clause(
        "issue 18 item 5",
        "the after-action report says a decision taken after its deadline was late, in words",
        "training/selectors/exercises.py",
        '        if self.late_by is not None:\n            return "LATE"\n',
        "",
        ("tests/training/test_exercise_late_c2_acceptance.py",),
    ),
    Clause(
        "issue 18 item 3",
        "an API-key call on a shared exercise reference runs on its exercise's clock",
        "incidents/apps.py",
        "    return key_organisation_id(request)",
        "    return None",
        ("tests/training/test_exercise_one_clock.py",),
    ),
    Clause(
        "issue 18 item 1",
        "the person's alert list shows an exercise's alerts only in its own section",
        "notifications/selectors.py",
        '            exercise_scope(exercise=exercise, prefix="alert__incident__"),\n',
        "",
        ("tests/dashboard/test_exercise_before_after.py",),
    ),
    Clause(
        "issue 18 item 1",
        "an exercise report is numbered from the exercises' report sequence (EX-R-…)",
        "incidents/services/intake.py",
        "        is_exercise=data.exercise,\n",
        "",
        ("tests/training/test_exercise_numbering.py",),
    ),
    Clause(
        "issue 18 item 1",
        "reports number from a sequence apart from incidents' (no gap in R-…)",
        "incidents/services/refs.py",
        "organisation=organisation, year=year, exercise=exercise, series=IncidentCounter.REPORT",
        "organisation=organisation, year=year, exercise=exercise, series=IncidentCounter.INCIDENT",
        ("tests/training/test_exercise_numbering.py",),
    ),
    Clause(
        "issue 18 item 1",
        "an incident promoted from an exercise report is the exercise's when it is numbered",
        "incidents/services/triage.py",
        "        exercise=exercise,\n    )\n    _finish(event",
        "    )\n    _finish(event",
        ("tests/training/test_exercise_numbering.py",),
    ),
    Clause(
        "issue 18 item 1",
        "an exercise's waiting report alerts nobody real",
        "incidents/services/intake.py",
        "    if data.exercise:  # the exercise declares its incident at once; nobody real is told",
        "    if False:",
        ("tests/dashboard/test_exercise_before_after.py",),
    ),
    Clause(
        "issue 20 item 3",
        "a claim lapses soon enough that a delivery killed in flight is sent again within 30 s",
        "isms_csirt/settings.py",
        'ALERT_LEASE_SECONDS = env_int("ALERT_LEASE_SECONDS", 15)',
        'ALERT_LEASE_SECONDS = env_int("ALERT_LEASE_SECONDS", 30)',
        ("tests/notifications/test_lease_timing.py",),
    ),
    Clause(
        "visible text",
        "an affected asset's row never ends in a bare None (no remediation yet)",
        "templates/incidents/partials/incident_assets.html",
        '{% if affected.remediation_state != "NONE" %}· '
        "{{ affected.get_remediation_state_display }}{% endif %}",
        "· {{ affected.get_remediation_state_display }}",
        ("tests/incidents/views/test_incident_pages.py",),
    ),
    Clause(
        "visible text",
        'an asset named after its tag shows the tag once, not "PC-12 (PC-12)"',
        "incidents/models/assets.py",
        "if not self.hostname or self.hostname.casefold() == self.asset_tag.casefold():",
        "if not self.hostname:",
        ("tests/incidents/test_asset_name.py",),
    ),
    Clause(
        "issue 20 gc freeze",
        "a web process freezes what it holds once it has served its first requests",
        "common/gcfreeze.py",
        "        _frozen = True\n    gc.freeze()\n",
        "        _frozen = True\n",
        ("tests/common/test_gcfreeze.py",),
    ),
    Clause(
        "issue 20 dash kept",
        "the office's kept tiles are keyed by its address too (its training-register row)",
        "dashboard/views/home.py",
        "        user.email,\n",
        "",
        ("tests/dashboard/test_home_by_role.py",),
    ),
    Clause(
        "issue 20 dash kept",
        "the office's kept tiles are keyed by its role assignments (its roles' obligations)",
        "dashboard/views/home.py",
        "        roles,\n        translation.get_language(),\n",
        "        translation.get_language(),\n",
        ("tests/dashboard/test_home_by_role.py",),
    ),
    Clause(
        "issue 20 dash kept",
        "a kept part whose key has no moment may not hold a date or time",
        "common/fold.py",
        "        if not moments:\n            _refuse_moments(parts)\n",
        "",
        ("tests/dashboard/test_fold.py",),
    ),
    Clause(
        "issue 20 dash kept",
        "a kept part may not read the database while it is built",
        "common/fold.py",
        "        with connection.execute_wrapper(_refuse_queries):\n            built = build()\n",
        "        built = build()\n",
        ("tests/dashboard/test_fold.py",),
    ),
    Clause(
        "issue 20 dash kept",
        "the home trend's parts, compiled once, are compiled again for each new day's window",
        "dashboard/selectors/trend.py",
        '("trend", organisation_id, zone, since, days)',
        '("trend", organisation_id, zone, days)',
        ("tests/dashboard/test_fold.py",),
    ),
    Clause(
        "issue 20 item 1",
        "a report whose incident closed between its match and its lock is placed again",
        "incidents/services/intake.py",
        "PLACE_ATTEMPTS = 2",
        "PLACE_ATTEMPTS = 1",
        ("tests/incidents/test_concurrency.py",),
    ),
    Clause(
        "issue 20 item 1",
        "concurrent first reports of one email meet on the keys no other open item holds",
        "incidents/services/intake.py",
        "free = [k for k in keys if (k.kind, k.digest) not in held]",
        "free = keys",
        ("tests/incidents/test_concurrency.py",),
    ),
    Clause(
        "issue 20 item 1",
        "a joining report records the reporter's PC after its number (no deadlock with the wave)",
        "incidents/services/records.py",
        "    if not settle_later:\n        unsettled.settle_asset()\n",
        "    unsettled.settle_asset()\n    unsettled.asset = False\n",
        ("tests/incidents/test_concurrency.py",),
    ),
    Clause(
        "issue 20 item 1",
        "two reports joining an incident without a mail message at once make one message",
        "incidents/services/messages.py",
        "    _lock_new_messages(incident)\n    found = _message_of(",
        "    found = _message_of(",
        ("tests/incidents/test_concurrency.py",),
    ),
    Clause(
        "issue 20 item 2",
        "the app's PostgreSQL sessions start no parallel workers",
        "isms_csirt/settings.py",
        '_options = env_str("DATABASE_OPTIONS", "-c max_parallel_workers_per_gather=0")',
        '_options = env_str("DATABASE_OPTIONS", "")',
        ("tests/common/test_database_options.py",),
    ),
    Clause(
        "issue 20 item 2",
        "a Celery task does not close its healthy database connection (one per batch before)",
        "isms_csirt/settings.py",
        "CELERY_DB_REUSE_MAX = 10**9\n",
        "",
        ("tests/common/test_celery_connections.py",),
    ),
    Clause(
        "issue 20 item 2",
        "a worker drops an old or broken database connection between tasks, as a request does",
        "isms_csirt/celery.py",
        "    close_old_connections()\n",
        "    pass\n",
        ("tests/common/test_celery_connections.py",),
    ),
    Clause(
        "issue 18 item 1",
        "an exercise's alert never goes to an organisation-wide channel",
        "notifications/services/routing.py",
        "        channels = [c for c in channels if c.kind in PERSONAL_KINDS]\n",
        "",
        ("tests/notifications/test_exercise_routing.py",),
    ),
    Clause(
        "issue 18 item 1",
        "an exercise's alert reaches its participants only",
        "notifications/services/routing.py",
        "        audiences = _participants_only(occurrence, audiences)\n",
        "",
        ("tests/notifications/test_exercise_routing.py",),
    ),
    Clause(
        "issue 18 item 1",
        "an exercise's alert says 【訓練】 in its subject",
        "notifications/messages.py",
        '    if incident.get("exercise"):',
        "    if False:",
        ("tests/notifications/test_exercise_routing.py",),
    ),
    Clause(
        "issue 18 item 1",
        "an exercise's alerts never ring the real bell",
        "notifications/selectors.py",
        '        exercise_scope(prefix="incident__"),\n'
        '        Exists(Notification.objects.filter(alert=OuterRef("pk"), recipient=recipient)),',
        '        Exists(Notification.objects.filter(alert=OuterRef("pk"), recipient=recipient)),',
        ("tests/dashboard/test_exercise_before_after.py",),
    ),
    Clause(
        "issue 18 item 3",
        "a request on an exercise object runs on the exercise's clock",
        "common/middleware.py",
        "        with clock.on(found, write=request.method not in SAFE_METHODS):",
        "        with clock.on(None):",
        ("tests/training/test_exercise_one_clock.py",),
    ),
    Clause(
        "issue 18 item 3",
        "a change on an exercise object first plays what fell due in exercise time",
        "training/clocks.py",
        "    if write and not isinstance(obj, Exercise)"
        " and exercise.status != ExerciseStatus.FINISHED:",
        "    if False:",
        ("tests/training/test_exercise_one_clock.py",),
    ),
    Clause(
        "issue 18 item 3",
        "an exercise decision counts down on its exercise's clock in the inbox",
        "bcp/views/decisions.py",
        "        drill.clock_now = reading() if reading else now",
        "        drill.clock_now = now",
        ("tests/training/test_exercise_one_clock.py",),
    ),
    Clause(
        "issue 21 item 2",
        "a security-tool alert whose signature does not match is refused",
        "incidents/channels/signing.py",
        "    if not hmac.compare_digest(sign(secret, timestamp, body), signature.strip().lower()):",
        "    if False:",
        (
            "tests/incidents/channels/test_alert_hook.py::test_a_wrong_signature_gets_401_and_stores_nothing",
        ),
    ),
    Clause(
        "issue 21 item 2",
        "a signed alert outside the source's replay window is refused",
        "incidents/channels/signing.py",
        "    if abs(now.timestamp() - sent) > window:",
        "    if False:",
        (
            "tests/incidents/channels/test_alert_hook.py::test_a_timestamp_outside_the_replay_window_is_refused",
        ),
    ),
    Clause(
        "issue 21 item 2",
        "a repeat of an alert within the repeat window is counted, not filed again",
        "incidents/services/channels.py",
        "        if now - current.first_seen_at <= window:",
        "        if False:",
        (
            "tests/incidents/channels/test_alert_hook.py::test_a_defender_alert_posted_twice_makes_one_report_with_a_repeat_count_of_two",
        ),
    ),
    Clause(
        "issue 21 item 1",
        "never the same message twice: a mailbox message with a receipt is only moved, not filed",
        "incidents/services/mailbox.py",
        "    if receipt is None:\n        size = box.size(uid)",
        "    if True:\n        size = box.size(uid)",
        (
            "tests/incidents/channels/test_report_mailbox.py::test_a_poll_stopped_between_the_report_and_the_move_does_not_file_it_twice",
        ),
    ),
    Clause(
        "issue 21 item 1",
        "never the same message twice: the same Message-ID under a new UID is a duplicate",
        "incidents/services/mailbox_filing.py",
        "    if forward.message_id and taken.exists():",
        "    if False:",
        (
            "tests/incidents/channels/test_report_mailbox.py::test_the_same_message_delivered_again_under_a_new_uid_is_not_filed_again",
        ),
    ),
    Clause(
        "issue 21 item 1",
        "the forwarder's reply is published with the receipt, for the alerts' outbox to deliver",
        "incidents/services/mailbox_filing.py",
        "    if reply and receipt.forwarder:",
        "    if False:",
        (
            "tests/incidents/channels/test_report_mailbox.py::test_a_phishing_mail_forwarded_as_an_attachment_becomes_one_report_of_its_forwarder",
        ),
    ),
    Clause(
        "issue 21 item 1",
        "the forwarder's reply goes to the forwarder's address, nowhere else",
        "notifications/services/mailbox_reply.py",
        "        address=address,\n        channel=channel,",
        '        address="",\n        channel=channel,',
        (
            "tests/incidents/channels/test_report_mailbox.py::test_the_reply_is_an_alert_to_the_forwarders_address_only",
        ),
    ),
    Clause(
        "issue 20 item 1",
        "the intake's incident match looks indicators up by kind and digest (the ind_match index)",
        "incidents/services/intake.py",
        "organisation_id=organisation_id, kind__in=kinds, digest__in=digests\n",
        # The kinds stay bound (a prepared read refuses a lost argument), as digests no row has.
        "organisation_id=organisation_id, digest__in=[*digests, *kinds]\n",
        (
            "tests/incidents/api/test_intake_scale.py::test_the_incident_match_finds_indicators_by_kind_and_digest_in_an_index",
        ),
    ),
    Clause(
        "issue 20 item 2",
        "a timeline entry joins its caller's transaction: a swallowed failed append aborts it",
        "incidents/services/timeline.py",
        "@transaction.atomic(savepoint=False)\ndef timeline_append(",
        "@transaction.atomic\ndef timeline_append(",
        (
            "tests/incidents/test_timeline_chain.py::test_a_caller_that_swallows_a_failed_append_cannot_commit_without_its_entry",
        ),
    ),
    Clause(
        "issue 20 item 2",
        "a retried request with the same Idempotency-Key stores nothing twice (no savepoint)",
        "incidents/api/idempotency.py",
        '"ON CONFLICT (owner, key) DO NOTHING RETURNING id"',
        '"RETURNING id"',
        ("tests/incidents/api/test_reports.py",),
    ),
    Clause(
        "issue 20 item 2",
        "the APPI screening reads the affected assets as a sub-query, not one parameter each",
        "privacy/services/appi.py",
        '    return AffectedAsset.objects.filter(incident=incident).values("asset_id")',
        "    return [a.asset_id for a in AffectedAsset.objects.filter(incident=incident)]",
        (
            "tests/privacy/test_appi_rules.py::test_the_a0_screening_reads_the_affected_assets_as_a_sub_query_not_a_list_of_ids",
        ),
    ),
    Clause(
        "issue 20 item 2",
        "a reassessment that moves nothing does not write the assessment again",
        "privacy/services/appi.py",
        "    if changed:  # a fact that moves nothing writes nothing (issue 20)\n",
        "    if True:\n",
        (
            "tests/privacy/test_appi_rules.py::test_a_reassessment_that_moves_nothing_writes_nothing",
        ),
    ),
    Clause(
        "issue 20 item 2",
        "a reassessment with nothing personal to read stops at the lock",
        "privacy/services/appi.py",
        "    if proof and _moves_nothing(*proof[0]):  # issue 20\n",
        "    if False:\n",
        (
            "tests/privacy/test_appi_rules.py::test_a_fact_change_with_nothing_personal_to_read_costs_the_reassessment_one_statement",
        ),
    ),
    Clause(
        "A-0",
        "the proof that nothing moves reads the personal sets the affected assets reach",
        "privacy/services/appi.py",
        '        "reached_personal_set": Exists(personal.filter(_reach(incident))),\n',
        "",
        (
            "tests/privacy/test_appi_rules.py::test_a_set_linked_after_the_screening_is_found_at_the_next_fact_change",
        ),
    ),
    Clause(
        "issue 20 item 1",
        "a joining report appends under the lock its link statement took, not a second one",
        "incidents/services/intake.py",
        "        locked=True,\n    )\n    return count",
        "    )\n    return count",
        (
            "tests/incidents/api/test_intake_scale.py::test_a_report_joining_an_incident_costs_the_same_queries_at_10_and_2000_indicators",
        ),
    ),
    Clause(
        "issue 20 item 1",
        "the intake's match reads and locks only the incidents the mail matches, not every one "
        "sharing a key",
        "incidents/services/intake.py",
        "keys.filter(incident__status__in=records.OPEN_STATUSES, incident_id__in=matched)",
        "keys.filter(incident__status__in=records.OPEN_STATUSES)",
        (
            "tests/incidents/api/test_intake_scale.py::test_an_incident_sharing_only_the_sender_is_neither_read_nor_locked_by_the_match",
        ),
    ),
    Clause(
        "issue 20 item 1",
        "a report joining a waiting item claims only the keys no open item holds (a wave: none)",
        "incidents/services/intake.py",
        "added = [k for k in keys if (k.kind, k.digest) not in (held or ())]",
        "added = keys",
        (
            "tests/incidents/api/test_intake_scale.py::test_a_report_growing_a_triage_item_costs_the_same_queries_at_2_and_30_reports",
        ),
    ),
    Clause(
        "issue 20 item 1",
        "a report joining an incident reads only the done tasks it could break, not the open ones",
        "incidents/services/task_records.py",
        "statuses = [TaskStatus.DONE] if breaks_only else",
        "statuses = [TaskStatus.DONE] if False else",
        (
            "tests/incidents/api/test_intake_scale.py::test_a_report_joining_an_incident_costs_the_same_queries_at_10_and_2000_indicators",
        ),
    ),
    Clause(
        "issue 20 item 2",
        "a text in many of the newest incidents is searched on the walk, not read from the indexes",
        "incidents/selectors.py",
        "    dense = _dense(text)\n",
        "    dense = False\n",
        (
            "tests/incidents/test_search.py::test_a_text_in_many_of_the_newest_incidents_goes_to_the_walk_without_reading_the_indexes",
        ),
    ),
    Clause(
        "issue 20 item 2",
        "a text in many rows is checked in the incident's own text on the rows the list walks",
        "incidents/selectors.py",
        "    condition = _own_text(text)\n    for model, (link, fields) in SEARCH_FIELDS.items():\n"
        "        if model is Incident:\n            continue\n",
        "    condition = Q()\n    for model, (link, fields) in SEARCH_FIELDS.items():\n",
        (
            "tests/incidents/test_search.py::test_a_text_found_in_many_rows_checks_the_incidents_own_text_on_the_rows_the_list_walks",
        ),
    ),
    Clause(
        "I23-1",
        "a known exploited vulnerability on an internet-facing asset is due within 72 hours",
        "vulns/policy.py",
        "    if kev_listed and internet_facing:\n        periods.append(",
        "    if False:\n        periods.append(",
        ("tests/vulns/test_policy.py",),
    ),
    Clause(
        "I23-2",
        "marking a finding not affected needs a justification",
        "vulns/lifecycle.py",
        "if target == S.NOT_AFFECTED and not justification:",
        "if False:",
        ("tests/vulns/test_findings.py",),
    ),
    Clause(
        "I23-3",
        "an inventory file with a problem is refused at the preview and nothing is kept",
        "vulns/services/inventory_import.py",
        "    if plan.errors:\n        _refuse(plan)\n    return InventoryImport.objects.create(",
        "    return InventoryImport.objects.create(",
        (
            "tests/vulns/test_inventory_import.py::test_a_bad_csv_names_each_line_and_column_and_stores_nothing",
        ),
    ),
    Clause(
        "I23-4",
        "the inventory import's apply checks the kept file again before writing",
        "vulns/services/inventory_import.py",
        "    if plan.errors:\n        _refuse(plan)\n    _write(",
        "    _write(",
        (
            "tests/vulns/test_inventory_import.py::test_a_file_changed_between_preview_and_apply_is_checked_again",
        ),
    ),
    Clause(
        "I23-5",
        "re-importing the inventory updates the same software, never doubles it",
        "vulns/services/inventory_import.py",
        "        found = existing.get((*product_key, item.version))",
        "        found = None",
        (
            "tests/vulns/test_inventory_import.py::test_importing_the_same_csv_again_updates_and_never_doubles",
        ),
    ),
    Clause(
        "I23-6",
        "an SBOM nested deeper than the bound is refused with its path",
        "vulns/importers/sbom.py",
        "        if depth > MAX_DEPTH:",
        "        if False:",
        (
            "tests/vulns/test_inventory_import.py::test_a_bad_sbom_is_refused_with_its_path_and_nothing_is_stored",
        ),
    ),
    Clause(
        "I23-7",
        "a finding is risk accepted only by an approved decision, never by its status form",
        "vulns/services/findings.py",
        "    if status == FindingStatus.RISK_ACCEPTED:",
        "    if False:",
        ("tests/vulns/test_risk_acceptance.py",),
    ),
    Clause(
        "I23-7",
        "a declined risk acceptance leaves the finding as it was",
        "vulns/services/risk.py",
        "accepted = decision.outcome == Outcome.APPROVED and lifecycle.allowed(",
        "accepted = lifecycle.allowed(",
        ("tests/vulns/test_risk_acceptance.py",),
    ),
    Clause(
        "I23-F1",
        "a feed poll claims the feed first, so a second beat does not poll it at the same time",
        "vulns/services/feeds.py",
        "        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))\n",
        "",
        ("tests/vulns/test_feeds.py::test_a_second_beat_finds_the_feed_claimed_and_skips_it",),
    ),
    Clause(
        "I23-F2",
        "a failing feed alerts the ISMS office once, not on every poll",
        "vulns/services/feeds.py",
        "        if first:  # once per failing run",
        "        if True:  # once per failing run",
        (
            "tests/vulns/test_feeds.py::test_a_failing_feed_alerts_the_isms_office_once_not_on_every_poll",
        ),
    ),
    Clause(
        "I23-F3",
        "a feed body identical to the last imported one is not imported again",
        "vulns/services/feeds.py",
        "        if digest == feed.last_digest:",
        "        if False:",
        ("tests/vulns/test_feeds.py::test_polling_a_feed_twice_imports_it_once",),
    ),
    Clause(
        "I23-8",
        "an asset owner's reminder before the due date is claimed once per due date",
        "vulns/services/owner_tasks.py",
        "        claimed = claim.exclude(reminded_for=task.due_at).update(",
        "        claimed = claim.update(",
        ("tests/vulns/test_owner_tasks.py",),
    ),
    Clause(
        "I23-8",
        "an asset owner's alert at the due date is claimed once per due date",
        "vulns/services/owner_tasks.py",
        "        claimed = claim.exclude(alerted_for=task.due_at).update(",
        "        claimed = claim.update(",
        ("tests/vulns/test_owner_tasks.py",),
    ),
    Clause(
        "issue 20 item 2",
        "a counted row's save() moves its facts in the statistics rollup, in its transaction",
        "incidents/monthly.py",
        "            super().save(*args, **kwargs)  # type: ignore[misc]\n"
        "            self._restate(before, after)\n",
        "            super().save(*args, **kwargs)  # type: ignore[misc]\n",
        (
            "tests/dashboard/test_statistics_rollup.py::test_the_rollup_equals_the_live_figures_after_any_sequence_of_writes",
        ),
    ),
    Clause(
        "issue 20 item 2",
        "a deferred decision reopened by the sweep leaves the rollup's decision times",
        "bcp/services/sweep.py",
        "    decision.restate_update(decided_at=None, due_at=due)",
        "",
        (
            "tests/dashboard/test_statistics_rollup.py::test_a_reopened_deferred_decision_leaves_the_decision_times",
        ),
    ),
    Clause(
        "issue 20 item 2",
        "an infection observed by update() after the isolation is told to the rollup",
        "incidents/services/findings.py",
        "        affected.restate_update(infection_observed_at=observed_at)",
        "",
        (
            "tests/dashboard/test_statistics_rollup.py::test_an_infection_observed_after_the_isolation_counts_its_time_to_isolate",
        ),
    ),
    Clause(
        "issue 20 item 2",
        "an exercise's incidents stay out of the statistics rollup",
        "incidents/monthly.py",
        '    if values["is_exercise"]:\n        return []\n',
        "",
        (
            "tests/dashboard/test_statistics_rollup.py::test_the_rollup_equals_the_live_figures_after_any_sequence_of_writes",
        ),
    ),
    Clause(
        "issue 20 item 2",
        "triage items of an exercise's incident stay out of the statistics rollup",
        "incidents/monthly.py",
        'TRIAGED or not _real_incident(obj, values["incident_id"]):\n',
        "TRIAGED:\n",
        (
            "tests/dashboard/test_statistics_rollup.py::test_a_triage_item_linked_to_an_exercise_incident_is_not_counted",
        ),
    ),
    Clause(
        "issue 20 item 2",
        "the statistics read the rollup only where it is kept, in the zone shown",
        "dashboard/selectors/statistics.py",
        "    if _kept(organisation_id, zone):\n",
        "    if True:\n",
        ("tests/dashboard/test_statistics.py",),
    ),
    Clause(
        "issue 20 item 2",
        "the dashboard counts overdue tasks by the task's organisation only for who sees all of it",
        "dashboard/selectors/tiles.py",
        "        and not incident_extensions.visibility_limits(user)\n",
        "        or True\n",
        ("tests/incidents/test_task_organisation.py",),
    ),
    Clause(
        "issue 20 item 2",
        "the overdue tasks counted by their organisation are that organisation's only",
        "dashboard/selectors/tiles.py",
        'return tasks.filter(real("incident__"), organisation_id=user.organisation_id)',
        'return tasks.filter(real("incident__"))',
        ("tests/incidents/test_task_organisation.py",),
    ),
    Clause(
        "issue 20 item 2",
        "the trend's days come from the rollup only where it is kept, in the zone shown",
        "dashboard/selectors/trend.py",
        "    return FiguresZone.objects.filter(organisation_id=organisation_id, zone=zone)\n",
        "    return FiguresZone.objects.filter(organisation_id=organisation_id)\n",
        ("tests/dashboard/test_trend_rollup.py",),
    ),
    Clause(
        "issue 20 item 2",
        "an isolation moves the trend's daily figures in the writer's transaction",
        "incidents/monthly.py",
        "        _add(DailyFigure, cell, n, us)\n",
        "        pass\n",
        ("tests/dashboard/test_trend_rollup.py",),
    ),
    Clause(
        "issue 20 item 6",
        "the exercise clock's middleware resolves only URLs that may name an exercise object",
        "common/middleware.py",
        "        if not clock.may_name_object(request.path_info):\n"
        "            return self.get_response(request)  # most pages: no URL resolving, no query\n",
        "",
        (
            "tests/common/test_object_clock_is_cheap.py::test_a_real_page_is_served_without_resolving_its_url_in_the_middleware",
        ),
    ),
    Clause(
        "issue 20 item 2",
        "the rows of a deliver message not started within its budget are queued again, unclaimed",
        "notifications/services/delivery.py",
        "        if index and time.monotonic() - started > budget:",
        "        if False:",
        (
            "tests/notifications/test_delivery_cost.py::test_rows_of_a_message_not_started_within_the_budget_are_queued_again_unclaimed",
        ),
    ),
    Clause(
        "issue 20 item 2",
        "a kept-alive connection the receiver closed while idle is not reused",
        "notifications/transports/base.py",
        "            if now - since < IDLE_SECONDS and not _dropped(conn):",
        "            if True:",
        (
            "tests/notifications/test_delivery_cost.py::test_a_kept_alive_connection_the_receiver_closed_is_not_reused",
        ),
    ),
    Clause(
        "issue 20 item 2",
        "a request on a connection closed meanwhile goes again on a new one",
        "notifications/transports/base.py",
        "            except STALE:",
        "            except ():",
        (
            "tests/notifications/test_delivery_cost.py::test_an_alert_sent_on_a_connection_closed_meanwhile_goes_again_on_a_new_one",
        ),
    ),
    Clause(
        "issue 20 item 2",
        "a connection to a receiver sends without Nagle's delay",
        "notifications/transports/base.py",
        "    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)\n",
        "",
        (
            "tests/notifications/test_delivery_cost.py::test_a_connection_to_a_receiver_sends_without_nagle_s_delay",
        ),
    ),
    Clause(
        "issue 20 item 2",
        "a webhook delivery renders no mail text or HTML",
        "notifications/messages.py",
        "    if bodies:\n",
        "    if True:\n",
        (
            "tests/notifications/test_delivery_cost.py::test_a_webhook_delivery_renders_no_mail_text_or_html",
        ),
    ),
    Clause(
        "issue 20 item 2",
        "a first claim skips marking lapsed attempts (it has none)",
        "notifications/services/delivery.py",
        "    if notification.attempts > 1:\n",
        "    if True:\n",
        ("tests/notifications/test_delivery_cost.py::test_a_first_delivery_runs_five_statements",),
    ),
    Clause(
        "issue 20 room forms",
        "a bound form's fields are not served from the kept markup (their errors)",
        "dashboard/templatetags/form_cache.py",
        "    if form.is_bound:\n",
        "    if False:\n",
        ("tests/dashboard/test_form_cache.py",),
    ),
    Clause(
        "issue 20 room forms",
        "the kept markup is keyed by the widget's attributes and choices",
        "dashboard/templatetags/form_cache.py",
        "        _frozen(state),\n",
        "        None,\n",
        ("tests/dashboard/test_form_cache.py",),
    ),
    Clause(
        "issue 20 room trend",
        "the trend's kept markup is keyed by its points (a new point shows)",
        "dashboard/templatetags/dashboard_ui.py",
        "timezone.get_current_timezone_name(), room_data.trend_key)",
        "timezone.get_current_timezone_name())",
        (
            "tests/dashboard/test_room.py::test_the_trend_is_rendered_once_per_points_and_language_and_a_new_point_shows",
        ),
    ),
    Clause(
        "issue 20 room trend",
        "the trend's kept markup is keyed by the language",
        "dashboard/templatetags/dashboard_ui.py",
        "    key = (get_language(), timezone.get_current_timezone_name(), room_data.trend_key)",
        "    key = (timezone.get_current_timezone_name(), room_data.trend_key)",
        (
            "tests/dashboard/test_room.py::test_the_trend_is_rendered_once_per_points_and_language_and_a_new_point_shows",
        ),
    ),
    Clause(
        "issue 20 room forms",
        "the case form reads its people once for both selects, as choices the markup keep can key",
        "incidents/forms/case.py",
        "        form.list_people()\n",
        "",
        ("tests/dashboard/test_form_cache.py",),
    ),
    Clause(
        "issue 20 room fold",
        "a prepared fold refuses a part that would keep the first call's moment",
        "common/fold.py",
        "        if any(i is None and isinstance(p, date | time) for i, p in self.slots):\n",
        "        if False:\n",
        ("tests/dashboard/test_fold.py",),
    ),
    Clause(
        "issue 20 room fold",
        "a prepared fold's statement is compiled once per thread and shape",
        "common/fold.py",
        "            statement = statements[shape] = _FoldStatement(self._build, args)\n",
        "            statement = _FoldStatement(self._build, args)\n",
        ("tests/dashboard/test_fold.py",),
    ),
    Clause(
        "issue 20 evaluate",
        "an infection's timeline entry is appended under the change's own lock of the incident",
        "incidents/services/findings.py",
        "        locked=True,\n    )\n    after_asset_change(",
        "    )\n    after_asset_change(",
        (
            "tests/incidents/test_findings_writes.py::test_an_infection_locks_the_incident_once_for_its_entry_and_the_reinfection_check",
        ),
    ),
    Clause(
        "issue 20 evaluate",
        "a status read under the lock that cannot go back to containing is not read again",
        "incidents/services/findings.py",
        "    if status is not None and status not in REINFECTION_FROM:\n        return\n",
        "",
        (
            "tests/incidents/test_findings_writes.py::test_an_infection_locks_the_incident_once_for_its_entry_and_the_reinfection_check",
        ),
    ),
    Clause(
        "issue 20 evaluate",
        "an asset inserted by another transaction meanwhile gets the infection on its row",
        "incidents/services/findings.py",
        "    elif not _inserted(affected):  # added by another transaction since: change its row\n"
        "        return _infection_write(incident, asset, change)\n",
        "    else:\n        _inserted(affected)\n",
        (
            "tests/incidents/test_findings_writes.py::test_an_asset_added_by_another_transaction_meanwhile_gets_the_infection",
        ),
    ),
    Clause(
        "issue 20 search",
        "a text in many of the newest incidents walks with the other records' matches by id",
        "incidents/selectors.py",
        "        return _own_text(text) | named if dense else named\n",
        "        if not dense:\n            return named\n",
        (
            "tests/incidents/test_search.py::test_a_text_in_many_of_the_newest_incidents_goes_to_the_walk_without_reading_the_indexes",
        ),
    ),
    Clause(
        "issue 20 search",
        "a text read from the indexes by its identifier is checked whole on the rows they give",
        "incidents/selectors.py",
        '    return Q(**{f"{field}__icontains": fragment}) & _contains(field, text)\n',
        '    return Q(**{f"{field}__icontains": fragment})\n',
        (
            "tests/incidents/test_search.py::test_an_address_read_by_its_identifier_finds_only_the_rows_that_contain_all_of_it",
        ),
    ),
    Clause(
        "issue 20 search",
        "an address is read from the trigram indexes by its identifier, not its shared domain",
        "incidents/selectors.py",
        "    return longest if longest is not None and longest != text else None\n",
        "    return None\n",
        (
            "tests/incidents/test_search.py::test_the_trigram_indexes_are_read_for_the_identifier_of_an_address_not_its_domain",
        ),
    ),
)


def check() -> list[str]:
    """Problems with the list: a clause's text missing, repeated, or not changed."""
    problems = []
    for clause in CLAUSES:
        text = (ROOT / clause.path).read_text(encoding="utf-8")
        count = text.count(clause.find)
        if count != 1:
            problems.append(
                f"{clause.rule} ({clause.says}): found {count} times in {clause.path}, "
                "expected once"
            )
        if clause.find == clause.replace:
            problems.append(f"{clause.rule} ({clause.says}): the replacement is the same text")
    return problems


def _backup(path: Path) -> Path:
    return path.with_name(path.name + BACKUP_SUFFIX)


def restore_leftovers() -> None:
    """A run that was killed left an original behind: put it back."""
    for clause in CLAUSES:
        path = ROOT / clause.path
        backup = _backup(path)
        if backup.exists():
            path.write_bytes(backup.read_bytes())
            backup.unlink()
            print(f"restored {clause.path} from a previous, interrupted run")


def _forget_bytecode(path: Path) -> None:
    cached = Path(importlib.util.cache_from_source(str(path)))
    cached.unlink(missing_ok=True)


def run_tests(first: tuple[str, ...], *, create_db: bool = False) -> tuple[int, float]:
    tests = [*first, *(t for t in RULE_TESTS if t not in first)]
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-x",
        "-q",
        "-p",
        "no:cacheprovider",
        "--no-cov",
        "--create-db" if create_db else "--reuse-db",
        *tests,
    ]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    return result.returncode, time.monotonic() - started


class Mutant:
    """The clause removed from its file for the duration of the block, whatever happens."""

    def __init__(self, clause: Clause) -> None:
        self.clause = clause
        self.path = ROOT / clause.path

    def __enter__(self) -> Mutant:
        original = self.path.read_text(encoding="utf-8")
        _backup(self.path).write_text(original, encoding="utf-8")
        self.path.write_text(
            original.replace(self.clause.find, self.clause.replace, 1), encoding="utf-8"
        )
        _forget_bytecode(self.path)
        return self

    def __exit__(self, *exc: object) -> None:
        backup = _backup(self.path)
        self.path.write_bytes(backup.read_bytes())
        backup.unlink()
        _forget_bytecode(self.path)


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # unwinds through Mutant.__exit__, which puts the file back


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true", help="list the clauses and stop")
    parser.add_argument("--check", action="store_true", help="only check the clauses' texts")
    parser.add_argument("--only", default="", help="only clauses whose rule id starts so")
    args = parser.parse_args(argv)
    if args.list:
        for clause in CLAUSES:
            print(f"{clause.rule:5} {clause.says} ({clause.path})")
        return 0
    restore_leftovers()
    problems = check()
    if problems or args.check:
        print("\n".join(problems) or f"{len(CLAUSES)} clauses, each found once.")
        return 1 if problems else 0
    signal.signal(signal.SIGTERM, _stop)
    code, seconds = run_tests((), create_db=True)
    if code != 0:
        print(f"The rule tests fail on the unchanged code (exit {code}); fix them first.")
        return 1
    print(f"baseline: the rule tests pass ({seconds:.0f} s)")
    chosen = [c for c in CLAUSES if c.rule.startswith(args.only)]
    survivors = []
    for clause in chosen:
        with Mutant(clause):
            code, seconds = run_tests(clause.first)
        verdict = "killed" if code == 1 else ("SURVIVED" if code == 0 else f"ERROR {code}")
        print(f"{verdict:8} {clause.rule:5} {clause.says} ({seconds:.0f} s)", flush=True)
        if code != 1:
            survivors.append(clause)
    print(f"{len(chosen) - len(survivors)} of {len(chosen)} clauses killed.")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
