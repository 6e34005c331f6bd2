"""An incident in review that meets every closing condition, and ways to break each one."""

import pytest

from incidents import extensions
from incidents.models import AffectedAsset, Incident
from isms.services import actions, reviews
from tests.bcp.conftest import absent, third  # noqa: F401
from tests.incidents.conftest import PHISH, file_report, incident  # noqa: F401


def set_status(record, status, **fields):
    Incident.objects.filter(pk=record.pk).update(status=status, **fields)
    record.refresh_from_db()
    return record


def write_review(record, actor, **overrides):
    values = {
        "root_cause": "添付ファイルの実行（マクロ有効化）",
        "what_worked": "LANケーブルを即時に抜いた",
        "what_did_not": "プロキシでのブロックが遅れた",
        "lessons": ["マクロを既定で無効にする"],
        "controls": ["8.7"],
        **overrides,
    }
    return reviews.review_save(incident=record, actor=actor, **values)


def add_action(record, actor, **overrides):
    from datetime import date

    values = {
        "title": "Officeマクロの既定無効化",
        "due_on": date(2031, 3, 31),
        "controls": ["8.7", "8.23"],
        "risk_reference": "R-012 標的型メールによるマルウェア感染",
        "owner": actor,
        **overrides,
    }
    return actions.corrective_action_create(incident=record, actor=actor, **values)


@pytest.fixture
def ready(incident, isms_office):  # noqa: F811 - the imported fixture
    """In review; its asset restored; a complete review; no decision, no BCP; level 1."""
    AffectedAsset.objects.filter(incident=incident).update(remediation_state="RESTORED")
    write_review(incident, isms_office)
    return set_status(incident, "REVIEWING")


@pytest.fixture
def obligations():
    """An open obligation through the fact-provider extension point (privacy brings them later)."""
    count = {"open": 0, "appi": 0}

    def provider(record):
        return {"open_obligations": count["open"], "appi_obligations": count["appi"]}

    extensions.register_fact_provider(provider)
    yield count
    extensions._fact_providers.remove(provider)
