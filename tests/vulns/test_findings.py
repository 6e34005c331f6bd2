"""Findings: matching on import and on inventory change, the KEV alert to the CSIRT lead, the
VEX-style statuses with a justification for "not affected", the incident (issue 23)."""

from datetime import timedelta

import pytest

from common.errors import Conflict, InvalidInput
from notifications.models import Alert, Notification
from notifications.services.defaults import subscriptions_seed
from vulns.models import Finding
from vulns.services import findings, inventory, matching
from vulns.services.imports import feed_import

from .conftest import sample


def _feeds(*names):
    kinds = {"nvd": "nvd", "cisa": "kev", "jvn": "jvn", "csaf": "csaf"}
    for name in names:
        feed_import(kind=kinds[name.split("-")[0]], data=sample(name), actor=None)


@pytest.fixture
def imported(organisation, vpn, pc, csirt_lead):
    subscriptions_seed(organisation=organisation)
    _feeds("nvd-cve-2.0.json", "cisa-kev.json", "jvn-overview.xml")


def test_importing_finds_the_affected_assets_with_due_dates_from_the_policy(imported, vpn, pc):
    on_vpn = Finding.objects.get(asset=vpn)
    on_pc = Finding.objects.get(asset=pc)
    assert on_vpn.advisory.vuln_id == "CVE-2024-21762"
    assert on_vpn.due_at - on_vpn.found_at == timedelta(hours=72)
    assert on_pc.advisory.vuln_id == "CVE-2024-11477"
    assert on_pc.due_at - on_pc.found_at == timedelta(days=30)
    assert on_vpn.status == on_pc.status == "NEW"


def test_a_kev_listed_finding_on_the_internet_facing_vpn_alerts_the_csirt_lead_once(
    imported, vpn, csirt_lead
):
    finding = Finding.objects.get(asset=vpn)
    alert = Alert.objects.get(event="vulnerability.exploitable")
    assert alert.subject == f"finding:{finding.pk}"
    assert alert.needs_ack
    assert Notification.objects.filter(alert=alert, recipient=csirt_lead).exists()
    assert finding.alerted_at is not None
    findings.findings_refresh(Finding.objects.filter(pk=finding.pk).select_related("advisory"))
    _feeds("cisa-kev.json")
    assert Alert.objects.filter(event="vulnerability.exploitable").count() == 1


def test_kev_arriving_after_the_finding_shortens_its_due_date_and_alerts(
    organisation, vpn, csirt_lead
):
    subscriptions_seed(organisation=organisation)
    _feeds("nvd-cve-2.0.json")
    finding = Finding.objects.get(asset=vpn)
    assert finding.due_at - finding.found_at == timedelta(days=7)  # critical, internet-facing
    assert not Alert.objects.filter(event="vulnerability.exploitable").exists()
    _feeds("cisa-kev.json")
    finding.refresh_from_db()
    assert finding.due_at - finding.found_at == timedelta(hours=72)
    assert Alert.objects.filter(event="vulnerability.exploitable").count() == 1


def test_the_same_flaw_on_an_internal_asset_raises_no_alert(organisation, csirt_lead):
    from incidents.models import Asset

    lab = Asset.objects.create(organisation=organisation, asset_tag="LAB-FW")
    inventory.software_add(
        asset=lab,
        actor=None,
        vendor="Fortinet",
        product="FortiOS",
        version="7.0.1",
        cpe="cpe:2.3:o:fortinet:fortios:7.0.1:*:*:*:*:*:*:*",
    )
    _feeds("nvd-cve-2.0.json", "cisa-kev.json")
    finding = Finding.objects.get(asset=lab)
    assert finding.due_at - finding.found_at == timedelta(days=14)
    assert finding.alerted_at is None
    inventory.exposure_set(asset=lab, actor=None, internet_facing=True, role="FIREWALL")
    finding.refresh_from_db()
    assert finding.due_at - finding.found_at == timedelta(hours=72)
    assert finding.alerted_at is not None


def test_an_inventory_change_re_matches_the_asset(imported, pc):
    finding = Finding.objects.get(asset=pc)
    pc.software.all().delete()
    inventory.software_add(asset=pc, actor=None, vendor="7-Zip", product="7-Zip", version="24.08")
    finding.refresh_from_db()
    assert finding.status == "FIXED"
    assert finding.events.filter(kind="finding.no_longer_matches").exists()
    inventory.software_add(asset=pc, actor=None, vendor="7-zip", product="7-zip", version="22.00")
    assert Finding.objects.filter(asset=pc).count() == 1  # one finding per (vulnerability, asset)


def test_not_affected_needs_a_justification(imported, pc, handler):
    finding = Finding.objects.get(asset=pc)
    with pytest.raises(InvalidInput) as refused:
        findings.finding_set_status(finding=finding, actor=handler, status="NOT_AFFECTED")
    assert refused.value.code == "justification_required"
    finding.refresh_from_db()
    assert finding.status == "NEW"
    findings.finding_set_status(
        finding=finding,
        actor=handler,
        status="NOT_AFFECTED",
        justification="vulnerable_code_not_in_execute_path",
        note="Zstandard archives are blocked at the mail gateway.",
    )
    finding.refresh_from_db()
    assert (finding.status, finding.justification) == (
        "NOT_AFFECTED",
        "vulnerable_code_not_in_execute_path",
    )
    assert finding.events.filter(to_status="NOT_AFFECTED", actor=handler).exists()


def test_the_status_follows_the_transition_table(imported, pc, handler):
    finding = Finding.objects.get(asset=pc)
    findings.finding_set_status(finding=finding, actor=handler, status="MITIGATED")
    with pytest.raises(Conflict):
        findings.finding_set_status(finding=finding, actor=handler, status="RISK_ACCEPTED")
    findings.finding_set_status(finding=finding, actor=handler, status="FIXED")
    findings.finding_set_status(finding=finding, actor=handler, status="AFFECTED")


def test_a_reader_without_write_access_cannot_change_a_finding(imported, pc, reporter):
    from incidents.access import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        findings.finding_set_status(
            finding=Finding.objects.get(asset=pc), actor=reporter, status="AFFECTED"
        )


def test_a_finding_opens_a_vulnerability_incident_linked_to_it(imported, vpn, csirt_lead):
    finding = Finding.objects.get(asset=vpn)
    incident = findings.finding_open_incident(finding=finding, actor=csirt_lead)
    assert incident.category == "VULNERABILITY"
    assert incident.affected_assets.get().asset == vpn
    finding.refresh_from_db()
    assert finding.incident == incident
    with pytest.raises(Conflict):
        findings.finding_open_incident(finding=finding, actor=csirt_lead)


def test_matching_writes_many_findings_in_a_fixed_number_of_queries(
    organisation, django_assert_max_num_queries
):
    from incidents.models import Asset

    for n in range(12):
        pc = Asset.objects.create(organisation=organisation, asset_tag=f"PC-1{n:02d}")
        inventory.software_add(
            asset=pc, actor=None, vendor="7-Zip", product="7-Zip", version="23.01"
        )
    _feeds("nvd-cve-2.0.json")
    Finding.objects.all().delete()
    with django_assert_max_num_queries(12):
        result = matching.match()
    assert result.created_count == 12
