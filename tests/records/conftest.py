"""An incident as the demo grows it, taken to level 3 with the full cyber BCP, executed and
restored; PDF helpers (pypdf for the text, poppler's pdftoppm/pdffonts for pages and fonts)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from bcp.models import BcpAction, Decision
from bcp.services import activation, decisions
from incidents.models import Asset, Incident
from incidents.services import findings, indicators
from tests.incidents.conftest import PHISH, file_report, incident  # noqa: F401


@pytest.fixture
def as_user(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


def _asset(on, tag, kind="PC"):
    return Asset.objects.create(
        organisation_id=on.organisation_id, asset_tag=tag, hostname=tag, kind=kind
    )


@pytest.fixture
def level3(incident, handler, csirt_lead, decision_maker):  # noqa: F811
    """Two infected PCs, a suspected leak from the file server (level 3 recommended and
    approved), a C2 address blocked, all external communication cut and later restored."""
    for tag in ("PC-2", "PC-4"):
        findings.asset_infection_set(
            incident=incident, actor=handler, asset=_asset(incident, tag), state="SUSPECTED"
        )
    findings.leak_record(
        incident=incident,
        actor=handler,
        status="SUSPECTED",
        asset=_asset(incident, "FS-01", kind="FILE_SERVER"),
    )
    indicators.c2_indicator_for(incident=incident, actor=handler, value="cdn-update.example")
    escalation = Decision.objects.get(incident=incident, type="ESCALATE_LEVEL", status="OPEN")
    decisions.decision_decide(
        decision=escalation,
        actor=csirt_lead,
        outcome="APPROVED",
        rationale="ファイルサーバから漏えいの疑い",
    )
    cut = decisions.decision_open(incident=incident, decision_type="CUT_ALL_EXTERNAL_NETWORK")
    decisions.decision_decide(
        decision=cut, actor=decision_maker, outcome="APPROVED", rationale="C2通信を遮断する"
    )
    for action in BcpAction.objects.filter(activation__incident=incident):
        activation.bcp_action_record(action=action, actor=handler, step="execute")
        activation.bcp_action_record(action=action, actor=handler, step="restore")
    return Incident.objects.get(pk=incident.pk)


def pdf_text(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} (Debian poppler-utils) is needed; .ci/run installs it")
    return path


def pdf_fonts(path: Path) -> str:
    return subprocess.run(
        [poppler("pdffonts"), str(path)], check=True, capture_output=True, text=True
    ).stdout
