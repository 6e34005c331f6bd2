"""Webhook targets: link-local and metadata addresses never, private ones only when allowed."""

from __future__ import annotations

import pytest

from notifications import netguard


@pytest.fixture(autouse=True)
def _strict(settings):
    settings.ALERT_WEBHOOK_ALLOW_PRIVATE = False


@pytest.mark.parametrize(
    "address",
    ["169.254.169.254", "fe80::1", "100.100.100.200", "fd00:ec2::254", "::ffff:169.254.169.254"],
)
def test_link_local_and_metadata_addresses_are_refused_even_when_private_is_allowed(
    address, settings
):
    settings.ALERT_WEBHOOK_ALLOW_PRIVATE = True
    with pytest.raises(netguard.UnsafeUrl):
        netguard.check_address(address)


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "192.168.0.10", "172.16.5.4", "::1"])
def test_private_and_loopback_addresses_need_the_setting(address, settings):
    with pytest.raises(netguard.UnsafeUrl):
        netguard.check_address(address)
    settings.ALERT_WEBHOOK_ALLOW_PRIVATE = True
    netguard.check_address(address)


@pytest.mark.parametrize("address", ["0.0.0.0", "224.0.0.1", "240.0.0.1"])  # noqa: S104
def test_unspecified_multicast_and_reserved_addresses_are_refused(address):
    with pytest.raises(netguard.UnsafeUrl):
        netguard.check_address(address)


def test_a_public_address_is_allowed():
    netguard.check_address("8.8.8.8")


@pytest.mark.parametrize(
    "url",
    [
        "ftp://hooks.example.com/x",
        "http://hooks.example.com/x",  # plain http only to private targets
        "https://user:pw@hooks.example.com/x",
        "https:///nohost",
        "https://hooks.example.com:99999/x",
    ],
)
def test_malformed_or_plain_urls_are_refused(url):
    with pytest.raises(netguard.UnsafeUrl):
        netguard.parse(url)


def test_a_name_resolving_to_loopback_is_refused():
    with pytest.raises(netguard.UnsafeUrl):
        netguard.resolve("https://localhost/hook")


def test_the_hint_shows_host_and_the_last_characters_only():
    url = "https://hooks.slack.com/services/T000/B000/abcdsecretYYYY"
    assert netguard.hint(url) == "https://hooks.slack.com/…YYYY"
    assert "secret" not in netguard.hint(url)
