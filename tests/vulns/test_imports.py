"""The importers: each shipped sample round-trips, re-import is idempotent, updates are kept
as versions, and a bad file stores nothing and says where (issue 23, step 2)."""

import json

import pytest
from django.core.management import CommandError, call_command

from common.errors import InvalidInput
from vulns.models import Advisory, AdvisoryVersion, AffectedRange, Finding
from vulns.services.imports import feed_import

from .conftest import sample


def _import(kind, name):
    return feed_import(kind=kind, data=sample(name), actor=None)


@pytest.mark.django_db
def test_the_nvd_sample_gives_advisories_with_cvss_and_cpe_ranges():
    result = _import("nvd", "nvd-cve-2.0.json")
    assert result.created == 3
    forti = Advisory.objects.get(vuln_id="CVE-2024-21762")
    assert str(forti.cvss_score) == "9.8" and forti.severity == "CRITICAL"
    assert set(forti.ranges.values_list("key", "vers")) == {
        ("cpe:fortinet:fortios", "vers:generic/>=7.0.0|<7.0.14"),
        ("cpe:fortinet:fortios", "vers:generic/>=7.2.0|<7.2.7"),
    }
    assert Advisory.objects.get(vuln_id="CVE-2023-51764").severity == "MEDIUM"


@pytest.mark.django_db
def test_the_kev_sample_marks_the_vulnerability_known_exploited_without_touching_ranges():
    _import("nvd", "nvd-cve-2.0.json")
    _import("kev", "cisa-kev.json")
    forti = Advisory.objects.get(vuln_id="CVE-2024-21762")
    assert forti.kev_listed and str(forti.kev_added_on) == "2024-02-09"
    assert forti.title_en == "Fortinet FortiOS Out-of-Bound Write Vulnerability"
    assert forti.ranges.count() == 2


@pytest.mark.django_db
def test_the_jvn_sample_gives_the_japanese_title_to_the_cve_it_refers_to():
    _import("nvd", "nvd-cve-2.0.json")
    _import("jvn", "jvn-overview.xml")
    forti = Advisory.objects.get(vuln_id="CVE-2024-21762")
    assert forti.jvn_id == "JVNDB-2024-001522"
    assert forti.title_ja.startswith("Fortinet 製 FortiOS")
    assert "境界外書き込み" in forti.summary_ja


@pytest.mark.django_db
def test_the_csaf_sample_gives_a_vers_range_on_the_cpe_of_its_product_tree():
    _import("csaf", "csaf-openssh.json")
    advisory = Advisory.objects.get(vuln_id="CVE-2024-6387")
    assert advisory.severity == "HIGH"
    assert list(advisory.ranges.values_list("key", "vers")) == [
        ("cpe:openbsd:openssh", "vers:generic/>=8.5p1|<9.8p1")
    ]


@pytest.mark.django_db
def test_importing_the_same_files_again_changes_nothing(vpn, pc):
    files = [
        ("nvd", "nvd-cve-2.0.json"),
        ("kev", "cisa-kev.json"),
        ("jvn", "jvn-overview.xml"),
        ("csaf", "csaf-openssh.json"),
    ]
    for kind, name in files:
        _import(kind, name)
    counts = (
        AdvisoryVersion.objects.count(),
        AffectedRange.objects.count(),
        Finding.objects.count(),
        list(Advisory.objects.order_by("pk").values_list("revision", flat=True)),
    )
    again = [_import(kind, name) for kind, name in files]
    assert all(r.created == r.updated == r.findings_new == 0 for r in again)
    assert counts == (
        AdvisoryVersion.objects.count(),
        AffectedRange.objects.count(),
        Finding.objects.count(),
        list(Advisory.objects.order_by("pk").values_list("revision", flat=True)),
    )


@pytest.mark.django_db
def test_an_updated_record_is_kept_as_a_new_version_and_its_ranges_replaced():
    _import("nvd", "nvd-cve-2.0.json")
    document = json.loads(sample("nvd-cve-2.0.json"))
    cve = document["vulnerabilities"][0]["cve"]
    cve["configurations"][0]["nodes"][0]["cpeMatch"].pop()
    cve["lastModified"] = "2024-03-01T00:00:00.000"
    result = feed_import(kind="nvd", data=json.dumps(document).encode(), actor=None)
    assert (result.updated, result.unchanged) == (1, 2)
    forti = Advisory.objects.get(vuln_id="CVE-2024-21762")
    assert forti.revision == 2
    assert list(forti.versions.values_list("revision", flat=True)) == [1, 2]
    assert forti.ranges.count() == 1


def _bad_nvd(mutate):
    document = json.loads(sample("nvd-cve-2.0.json"))
    mutate(document)
    return json.dumps(document, indent=1).encode()


@pytest.mark.parametrize(
    ("kind", "data", "where"),
    [
        ("nvd", b'{"format": "NVD_CVE",\n "vulnerabilities": [\n}', "line 3"),
        (
            "nvd",
            _bad_nvd(lambda d: d["vulnerabilities"][1]["cve"].update(id="CVE-24")),
            "$.vulnerabilities[1].cve.id",
        ),
        (
            "nvd",
            _bad_nvd(
                lambda d: d["vulnerabilities"][2]["cve"]["configurations"][0]["nodes"][0][
                    "cpeMatch"
                ][0].update(criteria="cpe:/a:7-zip")
            ),
            "$.vulnerabilities[2].cve.configurations[0].nodes[0].cpeMatch[0].criteria",
        ),
        (
            "nvd",
            _bad_nvd(
                lambda d: d["vulnerabilities"][0]["cve"]["metrics"]["cvssMetricV31"][0][
                    "cvssData"
                ].update(vectorString="CVSS:3.1/AV:X")
            ),
            "",
        ),
        ("kev", b'{"catalogVersion": "1", "vulnerabilities": [{"cveID": "X"}]}', "cveID"),
        ("jvn", b"<rdf:RDF xmlns:rdf='x'>\n<item>\n</rdf:RDF>", "line 3"),
        (
            "jvn",
            b'<!DOCTYPE r [<!ENTITY a "b">]><r>&a;</r>',
            "line 1",
        ),
        ("csaf", b'{"document": {"csaf_version": "1.0"}}', "$.document.csaf_version"),
    ],
)
@pytest.mark.django_db
def test_a_bad_file_stores_nothing_and_says_where(vpn, kind, data, where):
    with pytest.raises(InvalidInput) as refused:
        feed_import(kind=kind, data=data, actor=None)
    assert where in refused.value.details.get("where", "") + str(refused.value.message)
    assert not Advisory.objects.exists()
    assert not Finding.objects.exists()


@pytest.mark.django_db
def test_the_command_imports_a_file_and_refuses_a_bad_one_with_its_place(tmp_path, capsys):
    good = tmp_path / "nvd.json"
    good.write_bytes(sample("nvd-cve-2.0.json"))
    call_command("import_advisories", "nvd", str(good))
    assert "3 new" in capsys.readouterr().out
    bad = tmp_path / "kev.json"
    bad.write_bytes(b'{"catalogVersion": "1", "vulnerabilities": [{"cveID": "CVE-1"}]}')
    with pytest.raises(CommandError, match=r"vulnerabilities\[0\]\.cveID"):
        call_command("import_advisories", "kev", str(bad))
    assert Advisory.objects.count() == 3
