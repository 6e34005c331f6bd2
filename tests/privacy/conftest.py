"""A leak of a customer data set, the people who handle it, and the clock at a fixed moment."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.roles import Role
from incidents.models import Asset
from incidents.services import records
from privacy.models import DataSet
from tests.conftest import _holder

JST = ZoneInfo("Asia/Tokyo")


def jst(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=JST)


@pytest.fixture
def legal(organisation):
    return _holder(organisation, Role.LEGAL_PRIVACY, "legal")


@pytest.fixture
def pr(organisation):
    return _holder(organisation, Role.PR, "pr")


@pytest.fixture
def at_noon():
    """Now is 2025-12-01 12:00 JST (after every worked example of §3.6)."""
    with time_machine.travel(jst(2025, 12, 1, 12, 0), tick=False) as traveller:
        yield traveller


@pytest.fixture
def file_server(organisation):
    return Asset.objects.create(organisation=organisation, asset_tag="FS-01", kind="FILE_SERVER")


@pytest.fixture
def pc(organisation):
    return Asset.objects.create(organisation=organisation, asset_tag="PC-07", kind="PC")


def data_set(organisation, name="顧客台帳", **values):
    defaults = {
        "contains_personal_data": True,
        "individuals_count": 2300,
        "data_items": "氏名、住所、電話番号、メールアドレス",
    }
    return DataSet.objects.create(organisation=organisation, name=name, **{**defaults, **values})


@pytest.fixture
def customers(organisation, file_server, pc):
    found = data_set(organisation)
    found.hosted_on.add(file_server)
    found.accessible_from.add(pc)
    return found


@pytest.fixture
def case(organisation, isms_office, legal, decision_maker, csirt_lead, at_noon):
    return records.incident_declare(
        organisation=organisation,
        actor=isms_office,
        title="ファイルサーバからの情報流出",
        category="DATA_LEAK",
    )
