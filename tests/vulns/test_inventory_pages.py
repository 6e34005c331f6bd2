"""The inventory import pages: upload → preview → import, in Japanese; a bad file is a 400 page
naming each line and column (or the JSON path) and nothing is kept (issue 23, step 1)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from incidents.models import Asset
from vulns.models import InventoryImport, Software

from .conftest import sample

URL = "/vulnerabilities/inventory/import/"


@pytest.fixture
def lead(client, csirt_lead):
    client.force_login(csirt_lead)
    return client


@pytest.fixture
def assets(organisation):
    return {
        tag: Asset.objects.create(organisation=organisation, asset_tag=tag)
        for tag in ("VPN-01", "PC-001", "MAIL-01")
    }


def _upload(client, name, data, **fields):
    return client.post(URL, {"kind": "csv", "file": SimpleUploadedFile(name, data), **fields})


def test_a_csv_is_previewed_then_imported_from_the_pages(lead, assets):
    response = _upload(lead, "inventory.csv", sample("inventory.csv"))
    assert response.status_code == 302
    preview = lead.get(response["Location"]).content.decode()
    assert "問題は見つかりませんでした" in preview and "FortiOS" in preview
    assert not Software.objects.exists()
    upload = InventoryImport.objects.get()
    done = lead.post(f"{URL}{upload.pk}/apply/", {"action": "apply"})
    assert done.status_code == 302 and Software.objects.count() == 3


def test_a_bad_csv_is_a_400_page_with_the_line_and_the_japanese_column(lead, assets):
    data = "資産番号,ベンダー,製品名,バージョン\r\nNOPE-9,X,Y,1.0\r\n".encode("cp932")
    response = _upload(lead, "bad.csv", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "2 行目" in page and "資産番号" in page and "NOPE-9" in page
    assert not InventoryImport.objects.exists()


def test_a_bad_sbom_is_a_400_page_with_its_json_path(lead, assets):
    response = _upload(lead, "bom.json", b'{"hello": 1}', kind="sbom", asset=assets["VPN-01"].pk)
    assert response.status_code == 400
    assert "$.bomFormat" in response.content.decode()


def test_an_sbom_without_an_asset_is_a_form_error(lead, assets):
    response = _upload(lead, "bom.json", sample("sbom-vpn-cyclonedx.json"), kind="sbom")
    assert response.status_code == 400
    assert not InventoryImport.objects.exists()


def test_an_sbom_is_imported_onto_the_asset_and_the_page_returns_to_it(lead, assets):
    vpn = assets["VPN-01"]
    response = _upload(
        lead, "bom.json", sample("sbom-vpn-cyclonedx.json"), kind="sbom", asset=vpn.pk
    )
    upload = InventoryImport.objects.get()
    done = lead.post(f"{URL}{upload.pk}/apply/", {"action": "apply"})
    assert response.status_code == 302 and done["Location"] == f"/vulnerabilities/assets/{vpn.pk}/"
    assert Software.objects.filter(asset=vpn).count() == 4


def test_a_discarded_file_imports_nothing_and_a_second_apply_is_a_409(lead, assets):
    _upload(lead, "inventory.csv", sample("inventory.csv"))
    upload = InventoryImport.objects.get()
    assert lead.post(f"{URL}{upload.pk}/apply/", {"action": "discard"}).status_code == 302
    again = lead.post(f"{URL}{upload.pk}/apply/", {"action": "apply"})
    assert again.status_code == 409 and not Software.objects.exists()


def test_the_import_is_not_open_to_a_reporter_nor_to_another_organisation(
    client, reporter, lead, assets
):
    _upload(lead, "inventory.csv", sample("inventory.csv"))
    upload = InventoryImport.objects.get()
    client.force_login(reporter)
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}{upload.pk}/").status_code == 403
