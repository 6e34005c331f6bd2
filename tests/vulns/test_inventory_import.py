"""The inventory import (issue 23, step 1): a CSV in Shift_JIS or UTF-8 (BOM or not) and
CycloneDX / SPDX SBOMs, each through preview then apply; every problem names its line and column
(or JSON path); a bad file stores nothing; importing again updates, never doubles."""

import json

import pytest

from common.errors import Conflict, InvalidInput
from incidents.access import PermissionDeniedError
from incidents.models import Asset
from tests.factories import OrganisationFactory
from vulns.models import Exposure, Finding, InventoryImport, Software
from vulns.services.imports import feed_import
from vulns.services.inventory_import import (
    inventory_import_apply,
    inventory_import_discard,
    inventory_import_preview,
)

from .conftest import sample

HEADER = "資産番号,ベンダー,製品名,バージョン,CPE,インターネット公開\r\n"
FORTI = "VPN-01,Fortinet,FortiOS,{v},cpe:2.3:o:fortinet:fortios:{v}:*:*:*:*:*:*:*,はい\r\n"


@pytest.fixture
def assets(organisation):
    return {
        tag: Asset.objects.create(organisation=organisation, asset_tag=tag)
        for tag in ("VPN-01", "PC-001", "MAIL-01")
    }


def _preview(organisation, actor, data, kind="csv", asset=None):
    return inventory_import_preview(
        organisation=organisation, actor=actor, kind=kind, data=data, asset=asset
    )


def _import(organisation, actor, data, kind="csv", asset=None):
    upload = _preview(organisation, actor, data, kind, asset)
    return inventory_import_apply(upload=upload, actor=actor)


def _refusal(organisation, actor, data, kind="csv", asset=None):
    with pytest.raises(InvalidInput) as refused:
        _preview(organisation, actor, data, kind, asset)
    return refused.value.details["errors"]


# --- CSV ----------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
        lambda text: text.encode("cp932"),
    ],
    ids=["utf-8", "utf-8 with BOM", "shift_jis"],
)
def test_a_csv_in_utf8_with_or_without_bom_or_in_shift_jis_is_read_alike(
    organisation, handler, assets, encode
):
    upload = _preview(organisation, handler, encode(HEADER + FORTI.format(v="7.0.12")))
    assert upload.summary["create"] == 1 and upload.summary["rows"][0]["where"] == "2"
    inventory_import_apply(upload=upload, actor=handler)
    software = Software.objects.get(asset=assets["VPN-01"])
    assert (software.vendor, software.product, software.version) == (
        "Fortinet",
        "FortiOS",
        "7.0.12",
    )
    assert Exposure.objects.get(asset=assets["VPN-01"]).internet_facing


@pytest.mark.django_db
def test_the_preview_writes_no_software_and_the_apply_writes_it_all(organisation, handler, assets):
    upload = _preview(organisation, handler, sample("inventory.csv"))
    assert upload.status == "PREVIEWED" and upload.summary["create"] == 3
    assert not Software.objects.exists()
    inventory_import_apply(upload=upload, actor=handler)
    assert Software.objects.count() == 3
    openssh = Software.objects.get(product="OpenSSH")
    assert openssh.vendor == "openbsd"  # from its CPE name: the vendor cell was empty
    upload.refresh_from_db()
    assert upload.status == "APPLIED" and upload.applied_at is not None


@pytest.mark.django_db
def test_a_bad_csv_names_each_line_and_column_and_stores_nothing(organisation, handler, assets):
    data = (
        HEADER
        + FORTI.format(v="7.0.12")
        + "NOPE-9,X,Y,1.0,,\r\n"
        + "PC-001,7-Zip,7-Zip,,,\r\n"
        + "PC-001,Acme,Tool,1.0,cpe:2.3:nonsense,\r\n"
        + "PC-001,Acme,Tool,2.0,,たぶん\r\n"
        + FORTI.format(v="7.0.12")
    ).encode("cp932")
    errors = _refusal(organisation, handler, data)
    found = {(e["line"], e["column"], e["code"]) for e in errors}
    assert found == {
        (3, "asset", "unknown_asset"),
        (4, "version", "missing_value"),
        (5, "cpe", "bad_cpe"),
        (6, "internet_facing", "bad_flag"),
        (7, "product", "duplicate_line"),
    }
    assert not Software.objects.exists() and not InventoryImport.objects.exists()
    assert not Exposure.objects.exists()


@pytest.mark.django_db
def test_a_csv_without_the_required_columns_says_which_are_missing(organisation, handler, assets):
    errors = _refusal(organisation, handler, "資産番号,ベンダー\r\nVPN-01,Fortinet\r\n".encode())
    assert errors[0]["line"] == 1 and errors[0]["code"] == "missing_columns"
    assert "product" in errors[0]["column"] and "version" in errors[0]["column"]


@pytest.mark.django_db
def test_importing_the_same_csv_again_updates_and_never_doubles(organisation, handler, assets):
    _import(organisation, handler, sample("inventory.csv"))
    again = _import(organisation, handler, sample("inventory.csv"))
    assert again.summary["unchanged"] == 3 and again.summary["create"] == 0
    assert Software.objects.count() == 3


@pytest.mark.django_db
def test_a_new_version_in_the_csv_updates_the_entry_and_rematches_the_asset(
    organisation, handler, assets
):
    feed_import(kind="nvd", data=sample("nvd-cve-2.0.json"), actor=None)
    _import(organisation, handler, (HEADER + FORTI.format(v="7.0.12")).encode())
    finding = Finding.objects.get(asset=assets["VPN-01"], advisory__vuln_id="CVE-2024-21762")
    assert finding.status == "NEW"
    upgrade = _import(organisation, handler, (HEADER + FORTI.format(v="7.0.14")).encode())
    assert upgrade.summary["update"] == 1
    assert list(Software.objects.values_list("version", flat=True)) == ["7.0.14"]
    finding.refresh_from_db()
    assert finding.status == "FIXED"


@pytest.mark.django_db
def test_a_file_changed_between_preview_and_apply_is_checked_again(organisation, handler, assets):
    upload = _preview(organisation, handler, sample("inventory.csv"))
    assets["PC-001"].delete()
    with pytest.raises(InvalidInput) as refused:
        inventory_import_apply(upload=upload, actor=handler)
    assert {e["code"] for e in refused.value.details["errors"]} == {"unknown_asset"}
    assert not Software.objects.exists()


@pytest.mark.django_db
def test_an_applied_or_discarded_file_cannot_be_applied_again(organisation, handler, assets):
    upload = _preview(organisation, handler, sample("inventory.csv"))
    inventory_import_discard(upload=upload, actor=handler)
    with pytest.raises(Conflict):
        inventory_import_apply(upload=upload, actor=handler)
    assert not Software.objects.exists()


@pytest.mark.django_db
def test_only_those_who_change_vulnerability_information_import(organisation, assets, reporter):
    with pytest.raises(PermissionDeniedError):
        _preview(organisation, reporter, sample("inventory.csv"))


# --- SBOM ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_cyclonedx_sbom_puts_its_versioned_components_on_the_asset(organisation, handler, assets):
    vpn = assets["VPN-01"]
    upload = _import(organisation, handler, sample("sbom-vpn-cyclonedx.json"), "sbom", vpn)
    assert upload.kind == "cyclonedx" and upload.summary["skipped"] == 1
    got = set(Software.objects.filter(asset=vpn).values_list("vendor", "product", "version"))
    assert got == {
        ("Fortinet", "FortiOS", "7.0.12"),
        ("openssl", "openssl", "3.0.13"),
        ("generic", "zlib", "1.3.1"),
        ("OpenBSD", "OpenSSH", "9.6p1"),
    }
    zlib = Software.objects.get(product="zlib")
    assert zlib.purl == "pkg:generic/zlib@1.3.1" and zlib.purl_key == "purl:generic/zlib"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["sbom-mail-spdx.json", "sbom-mail-spdx.spdx"])
def test_an_spdx_sbom_in_json_or_tag_value_keeps_the_cpe_and_purl(
    organisation, handler, assets, name
):
    mail = assets["MAIL-01"]
    upload = _import(organisation, handler, sample(name), "sbom", mail)
    assert upload.kind == "spdx" and upload.summary["create"] == 2
    postfix = Software.objects.get(asset=mail, product="postfix")
    assert postfix.vendor == "Postfix" and postfix.cpe.startswith("cpe:2.3:a:postfix:postfix")


@pytest.mark.django_db
def test_applying_an_sbom_rematches_the_asset(organisation, handler, assets):
    feed_import(kind="csaf", data=sample("csaf-openssh.json"), actor=None)
    mail = assets["MAIL-01"]
    _import(organisation, handler, sample("sbom-mail-spdx.json"), "sbom", mail)
    assert Finding.objects.filter(asset=mail, advisory__vuln_id="CVE-2024-6387").exists()


@pytest.mark.django_db
def test_importing_the_same_sbom_again_changes_nothing(organisation, handler, assets):
    vpn = assets["VPN-01"]
    _import(organisation, handler, sample("sbom-vpn-cyclonedx.json"), "sbom", vpn)
    again = _import(organisation, handler, sample("sbom-vpn-cyclonedx.json"), "sbom", vpn)
    assert again.summary["create"] == again.summary["update"] == 0
    assert Software.objects.filter(asset=vpn).count() == 4


def _cdx(**changes):
    document = json.loads(sample("sbom-vpn-cyclonedx.json"))
    document.update(changes)
    return json.dumps(document).encode()


def _nested(depth):
    return (
        '{"bomFormat": "CycloneDX", "specVersion": "1.5", "x": ' + "[" * depth + "]" * depth + "}"
    ).encode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "where"),
    [
        (b"{not json", "line 1"),
        (b"hello", "line 1"),
        (b'{"hello": 1}', "$.bomFormat"),
        (_cdx(specVersion="9.9"), "$.specVersion"),
        (_cdx(components=[{"type": "library", "version": "1"}]), "$.components[0]"),
        (
            _cdx(components=[{"type": "library", "name": "x", "version": "1", "cpe": "cpe:/a:x"}]),
            "$.components[0]",
        ),
        (_nested(100), "$.x"),
        (_nested(100_000), "$"),
        (json.dumps({"spdxVersion": "SPDX-9"}).encode(), "$.spdxVersion"),
        (json.dumps({"spdxVersion": "SPDX-2.3", "packages": [{}]}).encode(), "$.packages[0]"),
        (b"SPDXVersion: SPDX-2.3\nFoo bar\n", "line"),
    ],
    ids=[
        "not json",
        "not an sbom",
        "other json",
        "unknown cyclonedx version",
        "schema refusal",
        "bad cpe",
        "nested 100 deep",
        "nested 100 000 deep",
        "wrong spdx version",
        "spdx package without name",
        "bad tag-value",
    ],
)
def test_a_bad_sbom_is_refused_with_its_path_and_nothing_is_stored(
    organisation, handler, assets, data, where
):
    errors = _refusal(organisation, handler, data, "sbom", assets["VPN-01"])
    assert errors[0]["where"].startswith(where), errors
    assert not Software.objects.exists() and not InventoryImport.objects.exists()


@pytest.mark.django_db
def test_an_sbom_larger_than_10_mb_is_refused(organisation, handler, assets):
    errors = _refusal(
        organisation, handler, b"{" + b" " * (10 * 1024 * 1024) + b"}", "sbom", assets["VPN-01"]
    )
    assert errors[0]["where"] == "byte 0"


@pytest.mark.django_db
def test_an_sbom_needs_an_asset_of_the_organisation(organisation, handler):
    stranger = Asset.objects.create(organisation=OrganisationFactory(), asset_tag="X-1")
    with pytest.raises(InvalidInput) as refused:
        _preview(organisation, handler, sample("sbom-mail-spdx.json"), "sbom", stranger)
    assert refused.value.code == "asset_required"
