"""The management review pack shows the vulnerability figures (issue 23): open by severity,
known exploited, past due, mean time to fix, risk accepted — added by vulns through the
extension registry, since training never imports vulns."""

from datetime import UTC, date, datetime, timedelta

import time_machine
from django.urls import reverse
from django.utils import translation

from bcp.services import decisions
from notifications.services.defaults import subscriptions_seed
from training.selectors.review import review_pack
from vulns.models import Finding
from vulns.services import findings, risk
from vulns.services.imports import feed_import

from .conftest import sample

T0 = datetime(2026, 6, 1, 0, 0, tzinfo=UTC)


def _figures(pack):
    (section,) = [s for s in pack.more if s.title == "脆弱性への対応"]
    return dict(section.rows)


def test_the_review_pack_counts_open_kev_past_due_fixes_and_accepted_risks(
    organisation, vpn, pc, it_admin, isms_office, csirt_lead, decision_maker
):
    subscriptions_seed(organisation=organisation)
    with time_machine.travel(T0, tick=False) as clock:
        for name, kind in (("nvd-cve-2.0.json", "nvd"), ("cisa-kev.json", "kev")):
            feed_import(kind=kind, data=sample(name), actor=None)
        on_vpn, on_pc = Finding.objects.get(asset=vpn), Finding.objects.get(asset=pc)
        clock.move_to(T0 + timedelta(days=4))  # the VPN's 72 hours have passed
        findings.finding_set_status(finding=on_pc, actor=it_admin, status="FIXED")
        with translation.override("ja"):
            pack = review_pack(user=isms_office, start=date(2026, 5, 1), end=date(2026, 6, 30))
        figures = _figures(pack)
        assert figures["対応中の検出結果（深刻度：緊急）"] == "1"
        assert figures["対応中の検出結果のうち悪用が確認済み（KEV）"] == "1"
        assert figures["期限を過ぎた対応中の検出結果"] == "1"
        assert figures["期間中に修正済みになった検出結果"] == "1"
        assert figures["修正までの平均日数"] == "4.0日"
        assert figures["リスク受容中の検出結果"] == "0"

        decision = risk.risk_acceptance_request(finding=on_vpn, actor=it_admin, reason="代替策")
        decisions.decision_decide(
            decision=decision, actor=decision_maker, outcome="APPROVED", rationale="来週更新"
        )
        with translation.override("ja"):
            pack = review_pack(user=isms_office, start=date(2026, 5, 1), end=date(2026, 6, 30))
        figures = _figures(pack)
        assert figures["期間中にリスク受容した検出結果"] == "1"
        assert figures["リスク受容中の検出結果"] == "1"
        assert figures["対応中の検出結果（深刻度：緊急）"] == "0"


def test_the_review_page_shows_the_vulnerability_section(client, organisation, isms_office):
    client.force_login(isms_office)
    page = client.get(reverse("training:review")).content.decode()
    assert "8. 脆弱性への対応" in page
    assert "修正までの平均日数" in page
