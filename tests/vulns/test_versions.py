"""Version ranges: VERS strings from the feeds, compared by univers (issue 23, tests)."""

import pytest

from common.errors import InvalidInput
from vulns import keys
from vulns.versions import EVERY, contains, range_string


@pytest.mark.parametrize(
    ("bounds", "version", "inside"),
    [
        ({"start_including": "7.0.0", "end_excluding": "7.0.14"}, "7.0.0", True),
        ({"start_including": "7.0.0", "end_excluding": "7.0.14"}, "7.0.13", True),
        ({"start_including": "7.0.0", "end_excluding": "7.0.14"}, "7.0.14", False),
        ({"start_excluding": "7.0.0", "end_including": "7.0.14"}, "7.0.0", False),
        ({"start_excluding": "7.0.0", "end_including": "7.0.14"}, "7.0.14", True),
        ({"end_including": "3.8.4"}, "3.8.5", False),
        ({"end_excluding": "24.07"}, "23.01", True),
        ({"end_excluding": "24.07"}, "24.07", False),
    ],
)
def test_inclusive_and_exclusive_ends_are_kept(bounds, version, inside):
    assert contains(range_string(**bounds), version) is inside


def test_versions_of_four_numbers_compare_every_component():
    build = range_string(end_excluding="10.0.19045.3803")
    assert build == "vers:generic/<10.0.19045.3803"
    assert contains(build, "10.0.19045.3570")
    assert not contains(build, "10.0.19045.3803")
    assert not contains(range_string(end_including="9.2.4"), "9.2.4.1")


def test_components_compare_as_numbers_not_as_text():
    assert contains(range_string(end_excluding="24.07"), "9.20")
    assert not contains(range_string(end_excluding="9.20"), "24.07")
    assert contains(range_string(start_including="7.0.9", end_excluding="7.0.14"), "7.0.10")


def test_vendor_schemes_with_letters_are_compared_as_versions_not_text():
    openssh = "vers:generic/>=8.5p1|<9.8p1"
    assert contains(openssh, "9.6p1")
    assert not contains(openssh, "9.8p1")
    assert not contains(openssh, "8.4p1")
    assert contains(range_string(end_excluding="7.0.14"), "7.0.12-b11")


def test_a_cpe_wildcard_version_matches_every_version_and_a_fixed_one_only_itself():
    assert range_string(exact="*") == EVERY
    assert contains(EVERY, "anything")
    assert contains(range_string(exact="7.0.12"), "7.0.12")
    assert not contains(range_string(exact="7.0.12"), "7.0.13")


def test_a_version_the_scheme_cannot_read_matches_nothing():
    assert not contains(range_string(end_excluding="7.0.14"), "latest")
    assert not contains(range_string(end_excluding="7.0.14"), "")


def test_cpe_names_give_the_vendor_and_product_key_with_escapes_undone():
    parts = keys.cpe_parts(r"cpe:2.3:a:7-zip:7-zip:23.01:*:*:*:*:*:*:*")
    assert keys.cpe_key(parts[3], parts[4]) == "cpe:7-zip:7-zip"
    assert keys.software_keys(vendor="Fortinet", product="Forti OS") == (
        "cpe:fortinet:forti_os",
        "",
    )
    with pytest.raises(InvalidInput):
        keys.cpe_parts("cpe:/o:fortinet:fortios")


def test_package_urls_give_their_type_namespace_and_name():
    assert keys.purl_parts("pkg:npm/%40angular/core@16.0.0?x=1") == (
        "purl:npm/%40angular/core",
        "16.0.0",
    )
    with pytest.raises(InvalidInput):
        keys.purl_parts("npm:left-pad")
