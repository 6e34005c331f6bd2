"""The demo's data-set inventory (issue 16): a customer ledger of 2,300 people on the file
server, reachable from the sales PCs, so recording a leak on the demo incident starts the
APPI clocks (速報, 確報, individual notice, police and IPA)."""

from __future__ import annotations

from accounts.models import Organisation
from incidents.models import Asset
from incidents.services.assets import asset_upsert
from privacy.models import DataSet

DATA_SETS = [
    {
        "name": "顧客台帳",
        "system": "販売管理システム",
        "contains_personal_data": True,
        "individuals_count": 2300,
        "data_items": "氏名、住所、電話番号、メールアドレス、購入履歴",
        "confidentiality": "CONFIDENTIAL",
        "hosted_on": ["FS-01"],
        "accessible_from": ["PC-12", "PC-27"],
    },
    {
        "name": "従業員健康診断結果",
        "system": "人事システム",
        "contains_personal_data": True,
        "sensitive_personal_data": True,
        "individuals_count": 85,
        "data_items": "氏名、社員番号、健診結果",
        "confidentiality": "STRICTLY_CONFIDENTIAL",
        "hosted_on": ["SV-HR"],
        "accessible_from": [],
    },
    {
        "name": "製品設計図面",
        "system": "ファイルサーバ",
        "contains_personal_data": False,
        "individuals_count": 0,
        "confidentiality": "STRICTLY_CONFIDENTIAL",
        "hosted_on": ["FS-01"],
        "accessible_from": [],
    },
]
KINDS = {"FS-01": "FILE_SERVER", "SV-HR": "SERVER"}


def _asset(org: Organisation, tag: str) -> Asset:
    return asset_upsert(
        organisation_id=org.pk, asset_tag=tag, hostname=tag, kind=KINDS.get(tag, "PC")
    )


def demo_data_sets(org: Organisation) -> None:
    """Only what is missing; an existing data set is left as the user changed it."""
    for spec in DATA_SETS:
        values = dict(spec)
        hosted, reaching = values.pop("hosted_on"), values.pop("accessible_from")
        found, created = DataSet.objects.get_or_create(
            organisation=org, name=values.pop("name"), defaults=values
        )
        if created:
            found.hosted_on.set([_asset(org, tag) for tag in hosted])
            found.accessible_from.set([_asset(org, tag) for tag in reaching])
