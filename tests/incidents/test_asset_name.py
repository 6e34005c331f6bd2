"""An asset's name as people read it: its tag, and its host name only when that says more."""

import pytest

from incidents.services import assets

pytestmark = pytest.mark.django_db


def _asset(organisation, tag: str, hostname: str):
    return assets.asset_upsert(organisation_id=organisation.pk, asset_tag=tag, hostname=hostname)


def test_an_asset_named_after_its_tag_shows_the_tag_once(organisation):
    assert str(_asset(organisation, "PC-12", "PC-12")) == "PC-12"
    assert str(_asset(organisation, "PC-13", "pc-13")) == "PC-13"


def test_an_asset_with_a_host_name_of_its_own_shows_both(organisation):
    assert str(_asset(organisation, "PC-14", "keiri-01")) == "PC-14 (keiri-01)"


def test_an_asset_without_a_host_name_shows_its_tag(organisation):
    assert str(_asset(organisation, "PC-15", "")) == "PC-15"
