"""The VEX export (issue 23): an OpenVEX 0.2.0 document of the organisation's findings, for a
customer who asks whether a vulnerability affects what they receive from us.

Statuses are mapped to OpenVEX's four: new → under_investigation; affected → affected (with an
action statement naming the due date); not affected → not_affected with its justification;
mitigated → not_affected, "inline_mitigations_already_exist"; fixed → fixed; risk accepted →
affected (the action statement says the risk is accepted). Notes stay inside: they are the
organisation's own words. The document is checked against the schema the project ships
(vulns/schemas/openvex-0.2.0.json, written from the OpenVEX specification) with jsonschema.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jsonschema
from django.utils.translation import gettext as _

from vulns.enums import FindingStatus as S
from vulns.enums import Justification
from vulns.models import Finding

CONTEXT = "https://openvex.dev/ns/v0.2.0"
SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "openvex-0.2.0.json"

# Our status → (OpenVEX status, justification it implies).
STATUS_MAP: dict[str, tuple[str, str]] = {
    S.NEW: ("under_investigation", ""),
    S.AFFECTED: ("affected", ""),
    S.NOT_AFFECTED: ("not_affected", ""),
    S.MITIGATED: ("not_affected", Justification.MITIGATION_EXISTS),
    S.FIXED: ("fixed", ""),
    S.RISK_ACCEPTED: ("affected", ""),
}


def _utc(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("UTC")).isoformat().replace("+00:00", "Z")


def product_of(finding: Finding) -> dict[str, Any]:
    """The product a statement is about: the software's package URL or CPE when recorded,
    else a name of our own for the asset's product."""
    software = finding.software
    identifiers = {}
    if software is not None and software.purl:
        identifiers["purl"] = software.purl
    if software is not None and software.cpe:
        identifiers["cpe23"] = software.cpe
    if software is not None:
        own = "urn:x-isms-csirt:software:" + ":".join(
            part.replace(":", "%3A").replace(" ", "%20")
            for part in (software.vendor, software.product, software.version)
        )
    else:
        own = f"urn:x-isms-csirt:asset:{finding.asset.asset_tag}"
    product: dict[str, Any] = {"@id": identifiers.get("purl") or identifiers.get("cpe23") or own}
    if identifiers:
        product["identifiers"] = identifiers
    return product


def statement_of(finding: Finding, *, tz: ZoneInfo) -> dict[str, Any]:
    status, implied = STATUS_MAP[finding.status]
    advisory = finding.advisory
    vulnerability: dict[str, Any] = {"name": advisory.vuln_id}
    if advisory.jvn_id and advisory.jvn_id != advisory.vuln_id:
        vulnerability["aliases"] = [advisory.jvn_id]
    statement: dict[str, Any] = {
        "vulnerability": vulnerability,
        "products": [product_of(finding)],
        "status": status,
        "timestamp": _utc(finding.updated_at),
    }
    if status == "not_affected":
        statement["justification"] = finding.justification or implied
    elif finding.status == S.RISK_ACCEPTED:
        statement["action_statement"] = _(
            "The risk is accepted by the decision maker; no update is planned for now."
        )
    elif status == "affected":
        statement["action_statement"] = _("To be updated or mitigated by %(date)s.") % {
            "date": finding.due_at.astimezone(tz).date().isoformat()
        }
    return statement


def document(
    findings: Iterable[Finding], *, author: str, time_zone: str, at: datetime
) -> dict[str, Any]:
    tz = ZoneInfo(time_zone)
    return {
        "@context": CONTEXT,
        "@id": f"urn:uuid:{uuid.uuid4()}",
        "author": author,
        "timestamp": _utc(at),
        "version": 1,
        "tooling": "isms-csirt",
        "statements": [statement_of(f, tz=tz) for f in findings],
    }


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text())


def errors(doc: dict[str, Any]) -> list[str]:
    """What the shipped schema says is wrong with a document (empty: valid)."""
    validator = jsonschema.Draft202012Validator(
        schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '(document)'}: {e.message}"
        for e in validator.iter_errors(doc)
    ]


def dumps(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2)
