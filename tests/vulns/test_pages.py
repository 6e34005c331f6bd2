"""The vulnerability pages: lists by asset and by vulnerability, the vulnerability in Japanese,
the coverage, "not affected" needs a justification, the upload, CSV (issue 23, step 4)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from incidents.models import Asset
from vulns.models import Advisory, Finding
from vulns.services.imports import feed_import

from .conftest import sample


@pytest.fixture
def imported(vpn, pc):
    for kind, name in (
        ("nvd", "nvd-cve-2.0.json"),
        ("kev", "cisa-kev.json"),
        ("jvn", "jvn-overview.xml"),
    ):
        feed_import(kind=kind, data=sample(name), actor=None)


@pytest.fixture
def lead(client, csirt_lead):
    client.force_login(csirt_lead)
    return client


def test_the_findings_list_shows_them_by_asset_and_by_vulnerability(lead, imported):
    by_asset = lead.get("/vulnerabilities/").content.decode()
    assert by_asset.index("PC-001") < by_asset.index("VPN-01")
    by_vuln = lead.get("/vulnerabilities/?by=vulnerability").content.decode()
    assert by_vuln.index("CVE-2024-11477") < by_vuln.index("CVE-2024-21762")
    assert "悪用が確認済み（KEV）" in by_vuln


def test_the_vulnerability_page_gives_the_japanese_title_from_jvn(lead, imported):
    page = lead.get("/vulnerabilities/advisories/CVE-2024-21762/").content.decode()
    assert "Fortinet 製 FortiOS の SSL-VPN における境界外書き込みの脆弱性" in page
    assert "VPN-01" in page
    english = lead.get("/vulnerabilities/advisories/CVE-2024-21762/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 200


def test_marking_not_affected_without_a_justification_is_a_form_error(lead, imported, pc):
    finding = Finding.objects.get(asset=pc)
    response = lead.post(
        f"/vulnerabilities/findings/{finding.pk}/", {"status": "NOT_AFFECTED", "note": "x"}
    )
    assert response.status_code == 400
    assert "影響がない理由を示してください" in response.content.decode()
    finding.refresh_from_db()
    assert finding.status == "NEW"
    response = lead.post(
        f"/vulnerabilities/findings/{finding.pk}/",
        {"status": "NOT_AFFECTED", "justification": "vulnerable_code_not_present"},
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.status == "NOT_AFFECTED"


def test_the_finding_page_offers_to_open_an_incident(lead, imported, vpn):
    finding = Finding.objects.get(asset=vpn)
    page = lead.get(f"/vulnerabilities/findings/{finding.pk}/").content.decode()
    assert f"/vulnerabilities/findings/{finding.pk}/incident/" in page
    response = lead.post(f"/vulnerabilities/findings/{finding.pk}/incident/")
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.incident.category == "VULNERABILITY"


def test_the_coverage_lists_assets_without_software(lead, organisation, imported):
    Asset.objects.create(organisation=organisation, asset_tag="PC-099")
    page = lead.get("/vulnerabilities/coverage/").content.decode()
    assert "PC-099" in page and "VPN-01" not in page


def test_a_bad_upload_is_a_400_with_its_place_and_stores_nothing(lead, vpn):
    bad = SimpleUploadedFile("kev.json", b'{"catalogVersion": "1", "vulnerabilities": [{}]}')
    response = lead.post("/vulnerabilities/import/", {"kind": "kev", "file": bad})
    assert response.status_code == 400
    assert "$.vulnerabilities[0].cveID" in response.content.decode()
    assert not Advisory.objects.exists()


def test_an_upload_imports_and_matches(lead, vpn):
    upload = SimpleUploadedFile("nvd.json", sample("nvd-cve-2.0.json"))
    response = lead.post("/vulnerabilities/import/", {"kind": "nvd", "file": upload})
    assert response.status_code == 302
    assert Finding.objects.filter(asset=vpn).exists()


def test_the_csv_export_neutralises_formulas(lead, organisation, imported):
    asset = Asset.objects.create(organisation=organisation, asset_tag="=HYPERLINK(1)")
    from vulns.services import inventory

    inventory.software_add(asset=asset, actor=None, vendor="7-Zip", product="7-Zip", version="9.20")
    response = lead.get("/vulnerabilities/?format=csv")
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text
    assert "CVE-2024-21762" in text


def test_people_without_the_role_and_outsiders_see_nothing(client, reporter, outsider, imported):
    client.force_login(reporter)
    assert client.get("/vulnerabilities/").status_code == 403
    client.force_login(outsider)
    finding = Finding.objects.first()
    assert client.get(f"/vulnerabilities/findings/{finding.pk}/").status_code in (403, 404)


def test_the_asset_page_adds_software_and_sets_exposure(lead, organisation):
    asset = Asset.objects.create(organisation=organisation, asset_tag="MAIL-01")
    response = lead.post(
        f"/vulnerabilities/assets/{asset.pk}/",
        {"vendor": "Postfix", "product": "Postfix", "version": "3.7.5"},
    )
    assert response.status_code == 302
    bad = lead.post(
        f"/vulnerabilities/assets/{asset.pk}/",
        {"vendor": "x", "product": "y", "version": "1", "cpe": "cpe:/a:x"},
    )
    assert bad.status_code == 400
    lead.post(
        f"/vulnerabilities/assets/{asset.pk}/",
        {"action": "exposure", "internet_facing": "on", "role": "MAIL"},
    )
    asset.refresh_from_db()
    assert asset.exposure.internet_facing
    with translation.override("ja"):
        assert (
            "インターネットに公開"
            in lead.get(f"/vulnerabilities/assets/{asset.pk}/").content.decode()
        )
