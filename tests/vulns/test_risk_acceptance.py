"""A finding's risk acceptance is a decision for the decision maker, with the usual deputies and
deadline; the finding is "risk accepted" only once the decision is approved (issue 23)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Absence
from bcp.models import Decision
from bcp.services import decisions
from bcp.services.manual import openable_types
from common.errors import Conflict, InvalidInput
from incidents.models.enums import Category
from vulns.models import Finding
from vulns.services import findings, risk
from vulns.services.imports import feed_import

from .conftest import sample


@pytest.fixture
def finding(organisation, vpn, it_admin):
    feed_import(kind="nvd", data=sample("nvd-cve-2.0.json"), actor=None)
    return Finding.objects.get(asset=vpn)


def _away(user):
    now = timezone.now()
    Absence.objects.create(
        user=user,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=8),
        reason="出張",
    )


def test_asking_opens_a_decision_for_the_decision_maker_and_leaves_the_finding_unchanged(
    finding, it_admin, decision_maker, deputy
):
    decision = risk.risk_acceptance_request(finding=finding, actor=it_admin, reason="更新は来月")
    finding.refresh_from_db()
    assert finding.status == "NEW"
    assert finding.risk_decision == decision
    assert decision.type == "RISK_ACCEPTANCE"
    assert decision.required_role == "DECISION_MAKER"
    assert decision.assignee == decision_maker
    assert decision.due_at - decision.opened_at == timedelta(days=3)
    assert decision.incident == finding.incident
    assert finding.incident.category == Category.VULNERABILITY
    assert finding.events.filter(kind="finding.risk_requested").exists()


def test_a_deputy_approving_while_the_decision_maker_is_away_accepts_the_risk(
    finding, it_admin, decision_maker, deputy
):
    _away(decision_maker)
    decision = risk.risk_acceptance_request(finding=finding, actor=it_admin, reason="更新は来月")
    assert decision.assignee == deputy
    decided = decisions.decision_decide(
        decision=decision, actor=deputy, outcome="APPROVED", rationale="来月の保守で更新する"
    )
    finding.refresh_from_db()
    assert finding.status == "RISK_ACCEPTED"
    assert decided.requires_ratification  # D-4: a deputy's decision is ratified later
    event = finding.events.get(kind="finding.risk_accepted")
    assert (event.actor, event.from_status, event.to_status) == (deputy, "NEW", "RISK_ACCEPTED")


def test_a_declined_risk_acceptance_leaves_the_finding_as_it_was(finding, it_admin, decision_maker):
    findings.finding_set_status(finding=finding, actor=it_admin, status="AFFECTED")
    decision = risk.risk_acceptance_request(finding=finding, actor=it_admin, reason="理由")
    decisions.decision_decide(
        decision=decision, actor=decision_maker, outcome="DECLINED", rationale="すぐ更新する"
    )
    finding.refresh_from_db()
    assert finding.status == "AFFECTED"
    assert finding.events.filter(kind="finding.risk_declined").exists()


def test_the_status_form_cannot_accept_a_risk_without_a_decision(finding, it_admin):
    with pytest.raises(Conflict) as refused:
        findings.finding_set_status(finding=finding, actor=it_admin, status="RISK_ACCEPTED")
    assert refused.value.code == "decision_required"
    finding.refresh_from_db()
    assert finding.status == "NEW"
    assert not Decision.objects.exists()


def test_asking_needs_a_reason_and_only_one_open_request(finding, it_admin, decision_maker):
    with pytest.raises(InvalidInput):
        risk.risk_acceptance_request(finding=finding, actor=it_admin, reason="  ")
    assert not Decision.objects.exists()
    risk.risk_acceptance_request(finding=finding, actor=it_admin, reason="理由")
    with pytest.raises(Conflict) as pending:
        risk.risk_acceptance_request(finding=finding, actor=it_admin, reason="もう一度")
    assert pending.value.code == "risk_acceptance_pending"
    assert Decision.objects.count() == 1


def test_a_risk_acceptance_is_never_opened_by_hand_on_an_incident(organisation, isms_office):
    assert "RISK_ACCEPTANCE" not in openable_types(isms_office, organisation)


def test_the_finding_page_asks_for_the_decision_and_shows_it_waiting(
    client, finding, it_admin, decision_maker
):
    client.force_login(it_admin)
    url = f"/vulnerabilities/findings/{finding.pk}/"
    response = client.post(url, {"status": "RISK_ACCEPTED", "note": "更新は来月"})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.status == "NEW"
    page = client.get(url).content.decode()
    assert "リスク受容は意思決定者の判断待ちです。" in page
    assert f"/decisions/{finding.risk_decision_id}/" in page
