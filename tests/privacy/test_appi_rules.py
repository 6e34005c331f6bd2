"""Rules A-0 … A-6, T-1, L3-a/L3-b and the worked deadline table of DOMAIN-MODEL §3.6."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bcp.models import Decision
from bcp.services import decisions
from common.errors import Conflict
from incidents.models import TimelineEntry
from incidents.services import assets, findings, records
from privacy import clocks
from privacy.models import AppiAssessment, Obligation
from privacy.services import appi, leaks
from risklevels.models import FiredRule
from tests.privacy.conftest import data_set, jst

# --- The worked deadline table (§3.6), to the second in +09:00 -------------------------------

WORKED = [
    (jst(2025, 9, 1, 11, 20), {3, 4}, jst(2025, 9, 4, 11, 20), jst(2025, 9, 6, 11, 20),
     jst(2025, 10, 30, 23, 59, 59)),
    (jst(2025, 11, 21, 21, 35), {1, 3}, jst(2025, 11, 24, 21, 35), jst(2025, 11, 26, 21, 35),
     jst(2026, 1, 19, 23, 59, 59)),
    (jst(2025, 11, 25, 10, 50), {1}, jst(2025, 11, 28, 10, 50), jst(2025, 11, 30, 10, 50),
     jst(2025, 12, 24, 23, 59, 59)),
]  # fmt: skip


@pytest.mark.parametrize(("aware", "categories", "soft", "due", "kakuho"), WORKED)
def test_a4_the_worked_deadlines_of_the_domain_model_hold_to_the_second(
    aware, categories, soft, due, kakuho
):
    assert clocks.sokuho(aware) == (soft, due)
    assert clocks.kakuho(aware, categories, "Asia/Tokyo") == kakuho
    assert kakuho.isoformat().endswith("23:59:59+09:00")


@pytest.mark.parametrize(("aware", "categories", "soft", "due", "kakuho"), WORKED)
def test_a4_a_leak_observed_at_the_worked_moment_creates_the_obligations_with_those_dates(
    case, customers, isms_office, aware, categories, soft, due, kakuho
):
    customers.sensitive_personal_data = 1 in categories
    customers.individuals_count = 2300 if 4 in categories else 200
    customers.save()
    kind = "EXFIL_SUSPECTED" if 3 in categories else "MAIL_MISDIRECTED"
    leaks.data_leak_record(
        incident=case, actor=isms_office, data_set=customers, kind=kind, observed_at=aware
    )

    assessment = AppiAssessment.objects.get(incident=case)
    assert assessment.aware_at == aware
    assert set(assessment.categories) == categories
    sokuho = Obligation.objects.get(incident=case, kind="PPC_SOKUHO")
    assert (sokuho.soft_due_at, sokuho.due_at) == (soft, due)
    assert Obligation.objects.get(incident=case, kind="PPC_KAKUHO").due_at == kakuho
    notice = Obligation.objects.get(incident=case, kind="INDIVIDUAL_NOTICE")
    assert notice.due_at is None and notice.soft_due_at == soft
    police = set(
        Obligation.objects.filter(incident=case, recommended=True).values_list("kind", flat=True)
    )
    assert police == ({"POLICE_CONSULT", "IPA_NOTIFICATION"} if 3 in categories else set())


# --- A-0 ----------------------------------------------------------------------------------------


def test_a0_an_asset_that_can_only_reach_a_personal_data_set_requires_screening(
    case, customers, pc, isms_office, legal
):
    assets.affected_asset_add(incident=case, actor=isms_office, asset=pc)

    assessment = AppiAssessment.objects.get(incident=case)
    assert assessment.screening == "REQUIRED"
    assert list(assessment.data_sets.all()) == [customers]
    decision = Decision.objects.get(incident=case, type="APPI_REPORTABILITY")
    assert decision.assignee == legal
    assert decision.due_at == decision.opened_at + timedelta(hours=24)
    assert decision.opened_by_rule == "A-0"


def test_a0_an_asset_without_personal_data_is_not_applicable_with_the_reason(
    case, organisation, isms_office
):
    from incidents.models import Asset

    other = Asset.objects.create(organisation=organisation, asset_tag="PC-99")
    assets.affected_asset_add(incident=case, actor=isms_office, asset=other)

    assessment = AppiAssessment.objects.get(incident=case)
    assert assessment.screening == "NOT_APPLICABLE"
    assert "A-0" in assessment.screening_reason
    assert not Decision.objects.filter(incident=case, type="APPI_REPORTABILITY").exists()


def test_the_a0_screening_reads_the_affected_assets_as_a_sub_query_not_a_list_of_ids(
    case, customers, pc, organisation, isms_office
):
    """At 10 000 affected assets an ``IN (id, id, …)`` list cost half a second per
    re-evaluation (bench/README, session 7); the statements must not grow with the assets."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from incidents.models import AffectedAsset, Asset

    many = Asset.objects.bulk_create(
        Asset(organisation=organisation, asset_tag=f"PC-{n:03}") for n in range(60)
    )
    AffectedAsset.objects.bulk_create(AffectedAsset(incident=case, asset=a) for a in many)
    with CaptureQueriesContext(connection) as queries:
        assets.affected_asset_add(incident=case, actor=isms_office, asset=pc)

    longest = max(
        (
            group.count(",") + 1
            for q in queries
            for group in re.findall(r"IN \(([^()]*)\)", q["sql"])
        ),
        default=0,
    )
    assert longest < 60
    assert AppiAssessment.objects.get(incident=case).screening == "REQUIRED"


def test_a_fact_change_with_nothing_personal_to_read_costs_the_reassessment_one_statement(
    case, organisation, isms_office
):
    """Issue 20: every fact change re-runs A-0 … A-5. Once the incident is screened and nothing
    personal exists for it (no personal asset or set reached, no linked set, no leak, no open
    APPI decision), the lock's own read proves that nothing moves: one statement, whatever the
    number of assets, and nothing written."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from incidents.models import AffectedAsset, Asset

    many = Asset.objects.bulk_create(
        Asset(organisation=organisation, asset_tag=f"PC-{n:03}") for n in range(60)
    )
    AffectedAsset.objects.bulk_create(AffectedAsset(incident=case, asset=a) for a in many)
    appi.incident_reassess(incident=case, actor=isms_office, observed_at=timezone.now())
    written = AppiAssessment.objects.get(incident=case).updated_at

    with CaptureQueriesContext(connection) as queries:
        appi.incident_reassess(incident=case, actor=isms_office, observed_at=timezone.now())

    assessment = AppiAssessment.objects.get(incident=case)
    assert assessment.screening == "NOT_APPLICABLE"
    assert assessment.updated_at == written
    assert len(queries) == 1


def test_a_reassessment_that_moves_nothing_writes_nothing(case, customers, pc, isms_office):
    """Issue 20: with personal data involved every rule runs again, but an assessment that
    comes out the same is not written again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    assets.affected_asset_add(incident=case, actor=isms_office, asset=pc)
    written = AppiAssessment.objects.get(incident=case).updated_at

    with CaptureQueriesContext(connection) as queries:
        appi.incident_reassess(incident=case, actor=isms_office, observed_at=timezone.now())

    assessment = AppiAssessment.objects.get(incident=case)
    assert assessment.screening == "REQUIRED"
    assert assessment.updated_at == written
    assert not [q for q in queries if q["sql"].startswith('UPDATE "privacy_appiassessment"')]


def test_a_set_linked_after_the_screening_is_found_at_the_next_fact_change(
    case, organisation, isms_office
):
    """The proof that nothing moves reads the data sets as they are now: a personal set linked
    to an affected asset after the incident was screened NOT_APPLICABLE makes the next fact
    change, of any asset, screen it REQUIRED."""
    from incidents.models import Asset

    first = Asset.objects.create(organisation=organisation, asset_tag="PC-31")
    second = Asset.objects.create(organisation=organisation, asset_tag="PC-32")
    assets.affected_asset_add(incident=case, actor=isms_office, asset=first)
    assert AppiAssessment.objects.get(incident=case).screening == "NOT_APPLICABLE"
    data_set(organisation, name="会員名簿").accessible_from.add(first)

    assets.affected_asset_add(incident=case, actor=isms_office, asset=second)

    assert AppiAssessment.objects.get(incident=case).screening == "REQUIRED"


# --- A-1 / A-7 ----------------------------------------------------------------------------------


def test_a1_the_clock_starts_at_the_observed_time_of_the_first_qualifying_fact(
    case, customers, isms_office, at_noon
):
    first = jst(2025, 11, 30, 9, 15)
    leaks.data_leak_record(
        incident=case,
        actor=isms_office,
        data_set=customers,
        kind="EXFIL_SUSPECTED",
        occurred_at=first - timedelta(days=3),
        observed_at=first,
    )
    leaks.data_leak_record(
        incident=case, actor=isms_office, data_set=customers, kind="LEAK_CONFIRMED"
    )

    assessment = AppiAssessment.objects.get(incident=case)
    assert assessment.status == "LIKELY_REPORTABLE"
    assert assessment.aware_at == first


def test_a7_a_fact_learned_earlier_but_recorded_later_moves_the_clock_back(
    case, customers, isms_office
):
    leaks.data_leak_record(
        incident=case, actor=isms_office, data_set=customers, kind="EXFIL_SUSPECTED"
    )
    earlier = jst(2025, 11, 29, 8, 0)
    leaks.data_leak_record(
        incident=case,
        actor=isms_office,
        data_set=customers,
        kind="EXTERNAL_NOTIFICATION",
        observed_at=earlier,
    )

    assert AppiAssessment.objects.get(incident=case).aware_at == earlier
    sokuho = Obligation.objects.get(incident=case, kind="PPC_SOKUHO")
    assert sokuho.due_at == earlier + timedelta(hours=120)


def test_a1c_traffic_blocked_from_the_first_attempt_does_not_start_the_clock(
    case, customers, pc, isms_office
):
    assets.affected_asset_add(incident=case, actor=isms_office, asset=pc)
    c2 = findings.external_comm_record  # noqa: F841 - the service under test
    from incidents.services import indicators

    indicator = indicators.c2_indicator_for(incident=case, actor=isms_office, value="evil.example")
    findings.external_comm_record(
        incident=case, actor=isms_office, status="CONFIRMED", asset=pc, c2=indicator, blocked=True
    )
    assert AppiAssessment.objects.get(incident=case).aware_at is None

    findings.external_comm_record(
        incident=case, actor=isms_office, status="CONFIRMED", asset=pc, c2=indicator
    )
    assessment = AppiAssessment.objects.get(incident=case)
    assert assessment.aware_at is not None
    assert assessment.aware_trigger == "A-1c"


def test_a1b_an_information_stealer_confirmed_on_an_asset_with_access_starts_the_clock(
    case, customers, pc, isms_office
):
    affected = assets.affected_asset_add(incident=case, actor=isms_office, asset=pc)
    assets.affected_asset_update(
        affected=affected,
        actor=isms_office,
        changes={"malware_capability": "INFO_STEALER", "infection_state": "CONFIRMED"},
    )
    assessment = AppiAssessment.objects.get(incident=case)
    assert assessment.aware_trigger == "A-1b"
    assert assessment.cause == "CYBER_ATTACK"


def test_a1d_an_outside_notification_that_is_not_credible_does_not_start_the_clock(
    case, customers, isms_office
):
    leaks.data_leak_record(
        incident=case,
        actor=isms_office,
        data_set=customers,
        kind="EXTERNAL_NOTIFICATION",
        credible=False,
    )
    assert AppiAssessment.objects.get(incident=case).aware_at is None


# --- A-2 / A-5 ----------------------------------------------------------------------------------


def test_a2_a_misdirected_mail_is_human_error_and_only_the_sensitive_category(
    case, organisation, isms_office
):
    health = data_set(
        organisation, "健康診断結果", sensitive_personal_data=True, individuals_count=3
    )
    leaks.data_leak_record(
        incident=case, actor=isms_office, data_set=health, kind="MAIL_MISDIRECTED"
    )
    assessment = AppiAssessment.objects.get(incident=case)
    assert assessment.cause == "HUMAN_ERROR"
    assert assessment.categories == [1]
    assert not Obligation.objects.filter(incident=case, kind="POLICE_CONSULT").exists()


def test_a2_no_category_no_obligation(case, organisation, isms_office):
    few = data_set(organisation, "名刺", individuals_count=20)
    leaks.data_leak_record(incident=case, actor=isms_office, data_set=few, kind="MEDIA_LOST")
    assessment = AppiAssessment.objects.get(incident=case)
    assert assessment.categories == []
    assert not Obligation.objects.filter(incident=case).exists()


def test_a5_adding_category_3_extends_the_final_report_to_60_days_and_removing_it_shortens_it(
    case, organisation, legal, isms_office
):
    aware = jst(2025, 11, 25, 10, 50)
    health = data_set(
        organisation, "健康診断結果", sensitive_personal_data=True, individuals_count=3
    )
    leaks.data_leak_record(
        incident=case,
        actor=isms_office,
        data_set=health,
        kind="MAIL_MISDIRECTED",
        observed_at=aware,
    )
    kakuho = Obligation.objects.get(incident=case, kind="PPC_KAKUHO")
    assert kakuho.due_at == jst(2025, 12, 24, 23, 59, 59)

    appi.assessment_update(incident=case, actor=legal, cause="CYBER_ATTACK")
    kakuho.refresh_from_db()
    assert kakuho.due_at == jst(2026, 1, 23, 23, 59, 59)  # day 60, the same aware_at
    assert AppiAssessment.objects.get(incident=case).warning == ""

    appi.assessment_update(incident=case, actor=legal, cause="HUMAN_ERROR")
    kakuho.refresh_from_db()
    assert kakuho.due_at == jst(2025, 12, 24, 23, 59, 59)
    assert AppiAssessment.objects.get(incident=case).warning == ""  # still ahead on 12/01


def test_a5_shortening_to_a_date_already_past_warns(
    case, organisation, legal, isms_office, at_noon
):
    aware = jst(2025, 10, 20, 9, 0)  # day 30 = 11/18, past on 12/01; day 60 = 12/18
    health = data_set(
        organisation, "健康診断結果", sensitive_personal_data=True, individuals_count=3
    )
    leaks.data_leak_record(
        incident=case, actor=isms_office, data_set=health, kind="EXFIL_SUSPECTED", observed_at=aware
    )
    assert Obligation.objects.get(incident=case, kind="PPC_KAKUHO").due_at == jst(
        2025, 12, 18, 23, 59, 59
    )
    appi.assessment_update(incident=case, actor=legal, cause="HUMAN_ERROR")

    assert Obligation.objects.get(incident=case, kind="PPC_KAKUHO").due_at == jst(
        2025, 11, 18, 23, 59, 59
    )
    assert AppiAssessment.objects.get(incident=case).warning != ""


# --- A-3 ----------------------------------------------------------------------------------------


def test_a3_every_data_set_encrypted_suggests_not_reportable_and_creates_no_ppc_obligation(
    case, organisation, isms_office
):
    vault = data_set(organisation, "暗号化済み顧客台帳", high_grade_encrypted=True)
    leaks.data_leak_record(incident=case, actor=isms_office, data_set=vault, kind="LEAK_CONFIRMED")

    assessment = AppiAssessment.objects.get(incident=case)
    assert assessment.exemption == "HIGH_GRADE_ENCRYPTION"
    assert (
        Decision.objects.get(incident=case, type="APPI_REPORTABILITY").recommendation == "DECLINE"
    )
    assert not Obligation.objects.filter(incident=case).exists()


def test_a3_an_entrusted_data_set_notifies_the_entrusting_party_instead_of_the_ppc(
    case, organisation, isms_office
):
    entrusted = data_set(
        organisation, "受託データ", processing_role="ENTRUSTED", entrusting_party="A社"
    )
    leaks.data_leak_record(
        incident=case, actor=isms_office, data_set=entrusted, kind="EXFIL_SUSPECTED"
    )
    kinds = set(Obligation.objects.filter(incident=case).values_list("kind", flat=True))
    assert kinds == {"NOTIFY_ENTRUSTING_PARTY"}


# --- A-6 ----------------------------------------------------------------------------------------


def test_a6_approving_makes_the_incident_reportable(case, customers, isms_office, legal):
    leaks.data_leak_record(
        incident=case, actor=isms_office, data_set=customers, kind="EXFIL_SUSPECTED"
    )
    decision = Decision.objects.get(incident=case, type="APPI_REPORTABILITY")
    decisions.decision_decide(
        decision=decision, actor=legal, outcome="APPROVED", rationale="報告する"
    )
    assert AppiAssessment.objects.get(incident=case).status == "REPORTABLE"
    entry = TimelineEntry.objects.get(incident=case, kind="appi.status")
    assert entry.payload["to"] == "REPORTABLE" and entry.actor == legal


def test_a_change_of_the_report_form_is_on_the_timeline_once(case, customers, isms_office, legal):
    leaks.data_leak_record(
        incident=case, actor=isms_office, data_set=customers, kind="EXFIL_SUSPECTED"
    )
    appi.assessment_update(incident=case, actor=legal, report_form="RANSOMWARE_COMMON_FORM")
    appi.assessment_update(incident=case, actor=legal, report_form="RANSOMWARE_COMMON_FORM")
    (entry,) = TimelineEntry.objects.filter(incident=case, kind="appi.report_form")
    assert entry.payload["to"] == "RANSOMWARE_COMMON_FORM"


def test_a6_declining_waives_the_appi_obligations_and_needs_the_decision_maker_to_ratify(
    case, customers, isms_office, legal, decision_maker
):
    leaks.data_leak_record(
        incident=case, actor=isms_office, data_set=customers, kind="EXFIL_SUSPECTED"
    )
    decision = Decision.objects.get(incident=case, type="APPI_REPORTABILITY")
    decisions.decision_decide(
        decision=decision, actor=legal, outcome="DECLINED", rationale="暗号化鍵は漏えいしていない"
    )

    assert AppiAssessment.objects.get(incident=case).status == "NOT_REPORTABLE"
    rows = Obligation.objects.filter(incident=case)
    assert rows.exists()
    assert set(rows.values_list("status", flat=True)) == {"WAIVED"}
    assert set(rows.values_list("waived_reason", flat=True)) == {"暗号化鍵は漏えいしていない"}
    decision.refresh_from_db()
    assert decision.requires_ratification and decision.ratified_at is None
    with pytest.raises(Exception):  # noqa: B017 - legal cannot ratify their own refusal
        decisions.decision_ratify(decision=decision, actor=legal)
    decisions.decision_ratify(decision=decision, actor=decision_maker)
    decision.refresh_from_db()
    assert decision.ratified_by == decision_maker


# --- T-1 ----------------------------------------------------------------------------------------


def test_t1_an_incident_linked_to_personal_data_is_red_and_cannot_be_lowered(
    case, customers, isms_office
):
    leaks.data_leak_record(
        incident=case, actor=isms_office, data_set=customers, kind="EXFIL_SUSPECTED"
    )
    case.refresh_from_db()
    assert case.tlp == "RED"
    with pytest.raises(Conflict) as refused:
        records.incident_update(incident=case, actor=isms_office, changes={"tlp": "AMBER"})
    assert refused.value.code == "TLP_LOCKED"
    case.refresh_from_db()
    assert case.tlp == "RED"


def test_t1_an_incident_without_personal_data_may_lower_its_tlp(case, isms_office):
    records.incident_update(incident=case, actor=isms_office, changes={"tlp": "AMBER"})
    case.refresh_from_db()
    assert case.tlp == "AMBER"


# --- L3-a / L3-b --------------------------------------------------------------------------------


def test_l3a_a_suspected_leak_of_a_confidential_data_set_recommends_level_3(
    case, organisation, isms_office
):
    designs = data_set(organisation, "設計図面", contains_personal_data=False, individuals_count=0)
    leaks.data_leak_record(
        incident=case, actor=isms_office, data_set=designs, kind="EXFIL_SUSPECTED"
    )
    case.refresh_from_db()
    assert case.recommended_level == 3
    assert FiredRule.objects.filter(incident=case, rule_id="L3-a").exists()
    assert not AppiAssessment.objects.filter(incident=case, aware_at__isnull=False).exists()


def test_l3a_a_suspected_leak_of_a_public_non_personal_data_set_is_not_level_3(
    case, organisation, isms_office
):
    brochure = data_set(
        organisation, "パンフレット", contains_personal_data=False, confidentiality="PUBLIC"
    )
    pc_leak = leaks.data_leak_record  # a public data set on no server: one PC's data at most
    from incidents.models import Asset

    laptop = Asset.objects.create(organisation=organisation, asset_tag="PC-50")
    findings.leak_record(incident=case, actor=isms_office, status="SUSPECTED", asset=laptop)
    pc_leak(incident=case, actor=isms_office, data_set=brochure, kind="EXFIL_SUSPECTED")
    assert not FiredRule.objects.filter(incident=case, rule_id="L3-a").exists()


def test_l3b_a_compromised_server_hosting_a_personal_data_set_recommends_level_3(
    case, customers, file_server, isms_office
):
    assert not file_server.holds_personal_data  # only the data set says so
    affected = assets.affected_asset_add(incident=case, actor=isms_office, asset=file_server)
    assets.affected_asset_update(
        affected=affected, actor=isms_office, changes={"infection_state": "COMPROMISED"}
    )
    assert FiredRule.objects.filter(incident=case, rule_id="L3-b").exists()


def test_a2_each_category_comes_with_its_reason(case, organisation, customers, isms_office):
    from privacy import selectors

    health = data_set(
        organisation, "健康診断結果", sensitive_personal_data=True, individuals_count=5
    )
    leaks.data_leak_record(
        incident=case, actor=isms_office, data_set=health, kind="EXFIL_SUSPECTED"
    )
    leaks.data_leak_record(
        incident=case, actor=isms_office, data_set=customers, kind="EXFIL_SUSPECTED"
    )
    reasons = dict(selectors.category_reasons(AppiAssessment.objects.get(incident=case)))
    assert set(reasons) == {1, 3, 4}
    assert reasons[1] == "健康診断結果"
    assert "2,305" in reasons[4]
