"""The vulnerability cast: a VPN appliance facing the internet, a mail server, two PCs."""

from __future__ import annotations

from pathlib import Path

import pytest

from accounts.roles import Role
from incidents.models import Asset
from tests.conftest import _holder
from vulns.services import inventory

SAMPLES = Path(__file__).resolve().parents[2] / "vulns" / "samples"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


@pytest.fixture
def it_admin(organisation):
    return _holder(organisation, Role.IT_ADMIN, "itadmin")


@pytest.fixture
def vpn(organisation):
    asset = Asset.objects.create(
        organisation=organisation, asset_tag="VPN-01", kind="NETWORK_DEVICE"
    )
    inventory.exposure_set(asset=asset, actor=None, internet_facing=True, role="VPN")
    inventory.software_add(
        asset=asset,
        actor=None,
        vendor="Fortinet",
        product="FortiOS",
        version="7.0.12",
        cpe="cpe:2.3:o:fortinet:fortios:7.0.12:*:*:*:*:*:*:*",
    )
    return asset


@pytest.fixture
def pc(organisation):
    asset = Asset.objects.create(organisation=organisation, asset_tag="PC-001")
    inventory.software_add(
        asset=asset, actor=None, vendor="7-Zip", product="7-Zip", version="23.01"
    )
    return asset
