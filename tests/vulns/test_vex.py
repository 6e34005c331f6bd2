"""The VEX export (issue 23): an OpenVEX 0.2.0 document for a customer, every status mapped,
valid against the schema the project ships, downloaded by the ISMS office only."""

import json

import pytest

from vulns import vex
from vulns.models import Finding
from vulns.services import findings
from vulns.services.imports import feed_import

from .conftest import sample


@pytest.fixture
def found(organisation, vpn, pc):
    feed_import(kind="nvd", data=sample("nvd-cve-2.0.json"), actor=None)
    return Finding.objects.get(asset=vpn), Finding.objects.get(asset=pc)


def _statement(finding):
    finding = Finding.objects.select_related("advisory", "asset", "software").get(pk=finding.pk)
    doc = vex.document(
        [finding], author="テスト株式会社", time_zone="Asia/Tokyo", at=finding.found_at
    )
    assert vex.errors(doc) == []
    return doc["statements"][0]


@pytest.mark.parametrize(
    ("status", "justification", "expected", "expected_justification"),
    [
        ("AFFECTED", "", "affected", None),
        (
            "NOT_AFFECTED",
            "vulnerable_code_not_in_execute_path",
            "not_affected",
            "vulnerable_code_not_in_execute_path",
        ),
        ("MITIGATED", "", "not_affected", "inline_mitigations_already_exist"),
        ("FIXED", "", "fixed", None),
    ],
)
def test_each_status_maps_to_openvex_and_the_document_is_valid(
    found, it_admin, status, justification, expected, expected_justification
):
    on_vpn, _ = found
    findings.finding_set_status(
        finding=on_vpn, actor=it_admin, status=status, justification=justification
    )
    statement = _statement(on_vpn)
    assert statement["status"] == expected
    assert statement.get("justification") == expected_justification
    assert statement["vulnerability"]["name"] == "CVE-2024-21762"
    assert statement["products"][0]["identifiers"]["cpe23"].startswith("cpe:2.3:o:fortinet:")
    if expected == "affected":
        assert statement["action_statement"]


def test_a_new_finding_is_under_investigation_and_a_risk_accepted_one_affected(found, it_admin):
    on_vpn, on_pc = found
    assert _statement(on_vpn)["status"] == "under_investigation"
    Finding.objects.filter(pk=on_pc.pk).update(status="RISK_ACCEPTED")
    statement = _statement(on_pc)
    assert statement["status"] == "affected"
    assert (
        "リスクを受容" in statement["action_statement"]
        or "risk is accepted" in statement["action_statement"]
    )
    assert statement["products"][0]["@id"].startswith("urn:x-isms-csirt:software:7-Zip")


def test_the_shipped_schema_refuses_not_affected_without_a_reason_and_affected_without_action(
    found,
):
    on_vpn, _ = found
    doc = vex.document([on_vpn], author="x", time_zone="Asia/Tokyo", at=on_vpn.found_at)
    doc["statements"][0].update(status="not_affected")
    assert vex.errors(doc)
    doc["statements"][0].update(status="affected")
    assert vex.errors(doc)
    doc["statements"][0].update(status="exploited")
    assert vex.errors(doc)


def test_the_isms_office_downloads_vex_from_the_vulnerability_and_finding_pages(
    client, found, isms_office
):
    on_vpn, _ = found
    client.force_login(isms_office)
    page = client.get("/vulnerabilities/advisories/CVE-2024-21762/").content.decode()
    assert "/vulnerabilities/advisories/CVE-2024-21762/vex/" in page
    response = client.get("/vulnerabilities/advisories/CVE-2024-21762/vex/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    doc = json.loads(response.content)
    assert vex.errors(doc) == []
    assert doc["author"] == "テスト株式会社"
    assert len(doc["statements"]) == 1
    response = client.get(f"/vulnerabilities/findings/{on_vpn.pk}/vex/")
    assert vex.errors(json.loads(response.content)) == []


def test_only_the_isms_office_downloads_vex_and_only_its_own_findings(
    client, found, it_admin, outsider
):
    on_vpn, _ = found
    client.force_login(it_admin)
    assert client.get(f"/vulnerabilities/findings/{on_vpn.pk}/vex/").status_code == 403
    page = client.get(f"/vulnerabilities/findings/{on_vpn.pk}/").content.decode()
    assert "/vex/" not in page
    client.force_login(outsider)
    assert client.get(f"/vulnerabilities/findings/{on_vpn.pk}/vex/").status_code == 403


def test_a_vulnerability_with_no_finding_of_ours_has_no_vex(client, found, isms_office):
    client.force_login(isms_office)
    feed_import(kind="csaf", data=sample("csaf-openssh.json"), actor=None)
    from vulns.models import Advisory

    other = Advisory.objects.exclude(findings__isnull=False).first()
    if other is not None:
        assert client.get(f"/vulnerabilities/advisories/{other.vuln_id}/vex/").status_code == 404
