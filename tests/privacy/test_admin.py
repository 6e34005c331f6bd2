"""The admin shows the privacy records and never changes them (the services write them)."""

import pytest

from privacy.services import obligations
from tests.factories import UserFactory
from tests.privacy.conftest import data_set


@pytest.fixture
def admin_client(client, organisation):
    client.force_login(UserFactory(organisation=organisation, is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", ["dataset", "obligation"])
def test_the_admin_shows_privacy_records_read_only(admin_client, organisation, case, model):
    records = {
        "dataset": data_set(organisation),
        "obligation": obligations.obligation_ensure(incident=case, kind="INSURER", actor=None)[0],
    }
    obj = records[model]
    assert admin_client.get(f"/admin/privacy/{model}/{obj.pk}/change/").status_code == 200
    admin_client.post(f"/admin/privacy/{model}/{obj.pk}/delete/", {"post": "yes"})
    assert type(obj).objects.filter(pk=obj.pk).exists()
