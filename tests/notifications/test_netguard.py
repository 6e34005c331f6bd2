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


# --- Issue 12, item 5: only globally routable addresses, unwrapped ----------------------------

# 169.254.169.254 (the cloud metadata service) and 100.100.100.200 inside every wrapping an
# IPv6 address can carry an IPv4 address in.
WRAPPED_METADATA = [
    "2002:a9fe:a9fe::1",  # 6to4
    "2002:6464:64c8::1",  # 6to4 around 100.100.100.200
    "::a9fe:a9fe",  # IPv4-compatible
    "::ffff:a9fe:a9fe",  # IPv4-mapped
    "64:ff9b::a9fe:a9fe",  # NAT64, well-known prefix
    "64:ff9b:1::a9fe:a9fe",  # NAT64, local-use prefix
    "2001:0:4136:e378:8000:63bf:5601:5601",  # Teredo, client 169.254.169.254
    "2001:0:a9fe:a9fe:8000:63bf:3fff:fdd2",  # Teredo, server 169.254.169.254
]


@pytest.mark.parametrize("address", WRAPPED_METADATA)
@pytest.mark.parametrize("allow_private", [False, True])
def test_metadata_in_any_wrapping_is_refused(address, allow_private, settings):
    settings.ALERT_WEBHOOK_ALLOW_PRIVATE = allow_private
    with pytest.raises(netguard.UnsafeUrl, match="link-local or metadata"):
        netguard.check_address(address)


NOT_ROUTABLE = [
    "100.64.0.1",  # shared address space (carrier-grade NAT)
    "192.0.0.8",  # IETF protocol assignments
    "192.0.2.1",  # documentation
    "198.18.0.1",  # benchmarking
    "255.255.255.255",
    "fec0::1",  # site-local (deprecated)
    "2001:db8::1",  # documentation
    "100::1",  # discard
    "ff02::1",  # multicast
    "::",
    "2002:a00:1::1",  # 6to4 around 10.0.0.1: a wrapped address must itself be global
    "64:ff9b::a00:1",  # NAT64 around 10.0.0.1
    "::ffff:127.0.0.1",  # IPv4-mapped loopback
    "not an address",
]


@pytest.mark.parametrize("address", NOT_ROUTABLE)
@pytest.mark.parametrize("allow_private", [False, True])
def test_special_purpose_addresses_are_refused_whatever_the_setting(
    address, allow_private, settings
):
    settings.ALERT_WEBHOOK_ALLOW_PRIVATE = allow_private
    if address == "::ffff:127.0.0.1" and allow_private:
        netguard.check_address(address)  # the mapped form of a private address is that address
        return
    with pytest.raises(netguard.UnsafeUrl):
        netguard.check_address(address)


@pytest.mark.parametrize("address", ["fd12:3456::1", "::ffff:10.1.2.3"])
def test_unique_local_and_mapped_private_addresses_need_the_setting(address, settings):
    with pytest.raises(netguard.UnsafeUrl):
        netguard.check_address(address)
    settings.ALERT_WEBHOOK_ALLOW_PRIVATE = True
    netguard.check_address(address)


@pytest.mark.parametrize(
    "address", ["2001:4860:4860::8888", "2002:808:808::1", "64:ff9b::808:808", "::ffff:8.8.8.8"]
)
def test_globally_routable_addresses_are_allowed_also_when_wrapped(address):
    netguard.check_address(address)


def test_a_name_resolving_to_a_wrapped_metadata_address_is_refused(monkeypatch):
    def fake_getaddrinfo(host, port, type=0):
        return [(10, 1, 6, "", ("2002:a9fe:a9fe::1", port, 0, 0))]

    monkeypatch.setattr(netguard.socket, "getaddrinfo", fake_getaddrinfo)
    with pytest.raises(netguard.UnsafeUrl):
        netguard.resolve("https://hooks.example.com/x")
