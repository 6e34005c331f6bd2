"""Every inject kind round-trips through the exercise API and lands as the same record the
normal screens make: the inject is posted to ``/api/v1/exercises/{id}/inject/``, the same
action is taken through the normal service at the same exercise time, and the two records
are compared field by field (issue 18)."""

from datetime import UTC, datetime, timedelta

import pytest
from rest_framework.test import APIClient

from bcp.models import Decision
from bcp.services import decisions, manual
from common import clock
from common.errors import Forbidden
from comms.models import Communication
from comms.services import communications
from incidents.models import (
    AffectedAsset,
    Fact,
    Incident,
    IncidentRelation,
    Indicator,
    MailDelivery,
    Task,
)
from incidents.services import indicators, mail, tasks, transitions
from privacy.models import Obligation
from privacy.services import obligations
from risklevels.services import facts
from training.models import Exercise
from training.services import exercises, inject_players

START = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)
SCENARIO = {
    "title": "往復の確認",
    "assets": [{"tag": "PC-1"}, {"tag": "PC-2"}, {"tag": "PC-3"}],
    "injects": [
        {"at": 0, "kind": "report", "incident": "main", "reporter": "A", "asset": "PC-1"},
        {
            "at": 5,
            "kind": "report",
            "incident": "second",
            "caused_by": "main",
            "reporter": "B",
            "what_happened": "RECEIVED_ONLY",
        },
    ],
}


def iso(minutes):
    return (START + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


@pytest.fixture
def api(isms_office, csirt_lead, decision_maker, deputy, handler):
    client = APIClient()
    client.force_authenticate(isms_office)
    return client


@pytest.fixture
def exercise(api):
    started = api.post(
        "/api/v1/exercises/",
        {"scenario": SCENARIO, "mode": "STEPPED", "starts_at": iso(0)},
        format="json",
    )
    assert started.status_code == 201, started.json()
    pk = started.json()["id"]
    moved = api.post(f"/api/v1/exercises/{pk}/advance/", {"to": iso(60)}, format="json")
    assert moved.status_code == 200, moved.json()
    return Exercise.objects.get(pk=pk)


def _incidents(exercise):
    main, second = Incident.objects.filter(exercise_link__exercise=exercise).order_by("id")
    return main, second


def _post(api, exercise, **inject):
    response = api.post(f"/api/v1/exercises/{exercise.pk}/inject/", inject, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def _now(exercise):
    exercise.refresh_from_db()
    return clock.frozen_at(exercise.processed_to)


def _at(minutes):
    return START + timedelta(minutes=minutes)


def _tag(exercise, name):
    return inject_players.tag(exercise, name)


def _fact_rows(incident, tag):
    return [
        (
            f.kind,
            {k: v for k, v in f.data.items() if k != "delivery"},
            f.occurred_at,
            f.observed_at,
            f.recorded_by_id,
        )
        for f in Fact.objects.filter(incident=incident, asset__asset_tag=tag).order_by("id")
    ]


def _affected(incident, tag):
    row = AffectedAsset.objects.get(incident=incident, asset__asset_tag=tag)
    return {
        name: getattr(row, name)
        for name in (
            "infection_state",
            "infection_via",
            "malware_capability",
            "first_infected_at",
            "infection_observed_at",
            "containment_state",
            "isolation_method",
            "isolated_at",
        )
    }


def test_a_late_infection_inject_is_the_fact_form_s_record(api, exercise, isms_office):
    main, _second = _incidents(exercise)
    _post(
        api,
        exercise,
        kind="infection",
        asset="PC-2",
        state="CONFIRMED",
        via="LATERAL",
        capability="RAT",
        occurred="+0:10",
        observed="+0:30",
    )
    with _now(exercise):
        facts.fact_record(
            incident=main,
            actor=isms_office,
            kind="infection",
            asset_tag=_tag(exercise, "PC-3"),
            state="CONFIRMED",
            via="LATERAL",
            capability="RAT",
            occurred_at=_at(10),
            observed_at=_at(30),
        )
    played, normal = (
        _fact_rows(main, _tag(exercise, "PC-2")),
        _fact_rows(main, _tag(exercise, "PC-3")),
    )
    assert played == normal and played[0][2:4] == (_at(10), _at(30))
    assert _affected(main, _tag(exercise, "PC-2")) == _affected(main, _tag(exercise, "PC-3"))
    assert _affected(main, _tag(exercise, "PC-2"))["malware_capability"] == "RAT"


def test_an_isolation_inject_keeps_its_method_like_the_affected_asset_form(
    api, exercise, isms_office
):
    from incidents.services import assets

    main, _second = _incidents(exercise)
    _post(api, exercise, kind="isolation", asset="PC-2", method="EDR_CONTAIN", observed="+0:50")
    with _now(exercise):
        asset = assets.asset_upsert(
            organisation_id=exercise.organisation_id, asset_tag=_tag(exercise, "PC-3"), kind="PC"
        )
        assets.affected_asset_add(
            incident=main,
            actor=isms_office,
            asset=asset,
            observed_at=_at(50),
            containment_state="ISOLATED",
            isolation_method="EDR_CONTAIN",
        )
    played = _affected(main, _tag(exercise, "PC-2"))
    assert played == _affected(main, _tag(exercise, "PC-3"))
    assert played["isolation_method"] == "EDR_CONTAIN"
    assert _fact_rows(main, _tag(exercise, "PC-2")) == _fact_rows(main, _tag(exercise, "PC-3"))


def test_a_blocked_c2_connection_inject_keeps_indicator_times_bytes_and_blocked(
    api, exercise, isms_office
):
    main, _second = _incidents(exercise)
    _post(
        api,
        exercise,
        kind="external_comm",
        asset="PC-2",
        status="CONFIRMED",
        c2="update-check",
        occurred="+0:20",
        observed="+0:40",
        last="+0:35",
        bytes=52000,
        blocked=True,
    )
    with _now(exercise):
        facts.fact_record(
            incident=main,
            actor=isms_office,
            kind="external_comm",
            asset_tag=_tag(exercise, "PC-3"),
            status="CONFIRMED",
            c2=inject_players.drill_domain(exercise, "update-check"),
            blocked=True,
            last_seen_at=_at(35),
            bytes_sent=52000,
            occurred_at=_at(20),
            observed_at=_at(40),
        )
    played = _fact_rows(main, _tag(exercise, "PC-2"))
    normal = _fact_rows(main, _tag(exercise, "PC-3"))
    assert played == normal
    comm = next(row for row in played if row[0] == "EXTERNAL_COMM")
    assert comm[1]["blocked"] is True and comm[1]["bytes_sent"] == 52000
    assert comm[1]["c2"] == f"updatecheck.ex{exercise.pk}.drill.invalid"
    assert comm[1]["last_seen_at"] == _at(35).isoformat()


def test_a_last_connection_before_the_first_is_refused(api, exercise):
    refused = api.post(
        f"/api/v1/exercises/{exercise.pk}/inject/",
        {
            "kind": "external_comm",
            "status": "CONFIRMED",
            "c2": "x",
            "occurred": "+0:55",
            "last": "+0:50",
        },
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "last_seen_out_of_range"
    assert not Fact.objects.filter(kind="EXTERNAL_COMM").exists()


def test_a_leak_inject_is_the_fact_form_s_record(api, exercise, isms_office):
    main, _second = _incidents(exercise)
    _post(api, exercise, kind="leak", asset="PC-2", status="SUSPECTED", personal_data=True)
    with _now(exercise):
        facts.fact_record(
            incident=main,
            actor=isms_office,
            kind="leak",
            asset_tag=_tag(exercise, "PC-3"),
            status="SUSPECTED",
            personal_data=True,
        )
    played = _fact_rows(main, _tag(exercise, "PC-2"))
    assert played and played == _fact_rows(main, _tag(exercise, "PC-3"))


def _delivery(name):
    row = MailDelivery.objects.get(recipient_name=name)
    return (row.delivered_at, row.reported_at, row.deleted_at, row.blocked, row.executed)


def test_delivery_injects_add_then_update_one_recipient_s_copy_like_the_mail_form(
    api, exercise, isms_office
):
    main, _second = _incidents(exercise)
    _post(api, exercise, kind="delivery", recipient="C", delivered="+0:00", blocked=True)
    _post(api, exercise, kind="delivery", recipient="C", reported="+0:10", deleted="+0:12")
    with _now(exercise):
        added = mail.delivery_add(
            incident=main,
            actor=isms_office,
            recipient_name="D",
            delivered_at=_at(0),
            blocked=True,
        )
        mail.delivery_update(
            delivery=added,
            actor=isms_office,
            changes={"reported_at": _at(10), "deleted_at": _at(12)},
        )
    assert _delivery("C") == _delivery("D") == (_at(0), _at(10), _at(12), True, False)


def test_a_delivery_executed_on_a_terminal_is_the_x1_fact(api, exercise, isms_office):
    main, _second = _incidents(exercise)
    _post(api, exercise, kind="delivery", recipient="C", executed=True, asset="PC-2")
    with _now(exercise):
        added = mail.delivery_add(incident=main, actor=isms_office, recipient_name="D")
        facts.fact_record(
            incident=main,
            actor=isms_office,
            kind="delivery_executed",
            delivery=added.pk,
            asset_tag=_tag(exercise, "PC-3"),
        )
    assert _fact_rows(main, _tag(exercise, "PC-2")) == _fact_rows(main, _tag(exercise, "PC-3"))
    assert MailDelivery.objects.get(recipient_name="C").executed


def _indicator(value):
    row = Indicator.objects.get(value=value)
    return (row.kind, row.tlp, row.blocked_by, row.blocked_at, row.first_seen, row.created_by_id)


def test_indicator_and_block_injects_are_the_indicator_form_s_records(api, exercise, isms_office):
    main, _second = _incidents(exercise)
    _post(api, exercise, kind="indicator", ioc_kind="DOMAIN", value="bad-site")
    _post(api, exercise, kind="block", value="bad-site", blocked_by="PROXY")
    _post(api, exercise, kind="indicator", ioc_kind="IP", value="evil-ip", blocked_by="FIREWALL")
    with _now(exercise):
        domain = indicators.indicator_add(
            incident=main, actor=isms_office, kind="DOMAIN", value="other.example"
        )
        indicators.indicator_block(indicator=domain, actor=isms_office, blocked_by="PROXY")
        ip = indicators.indicator_add(
            incident=main, actor=isms_office, kind="IP", value="192.0.2.250"
        )
        indicators.indicator_block(indicator=ip, actor=isms_office, blocked_by="FIREWALL")
    played = inject_players.drill_domain(exercise, "bad-site")
    assert _indicator(played) == _indicator("other.example")
    played_ip = inject_players.drill_value(exercise, "IP", "evil-ip")
    assert played_ip.startswith("192.0.2.")  # TEST-NET-1: never a real address
    assert _indicator(played_ip) == _indicator("192.0.2.250")


def _decision(pk):
    d = Decision.objects.get(pk=pk)
    return {
        "status": d.status,
        "outcome": d.outcome,
        "assignee": d.assignee_id,
        "deadline": d.due_at - d.opened_at if d.due_at else None,
        "decided_by": d.decided_by_id,
        "decider_rank": d.decider_rank,
        "ratified_by": d.ratified_by_id,
        "withdrawn_by": d.withdrawn_by_id,
        "withdrawal_reason": d.withdrawal_reason,
        "requires_ratification": d.requires_ratification,
    }


def test_decision_injects_open_decide_and_withdraw_as_the_decision_screens_do(
    api, exercise, isms_office, decision_maker
):
    main, second = _incidents(exercise)
    opened = _post(api, exercise, kind="decision_open", type="PUBLIC_ANNOUNCEMENT", reason="報道")
    played = next(i for i in opened["injects"] if i["kind"] == "decision_open")["result"]
    _post(
        api,
        exercise,
        kind="decide",
        type="PUBLIC_ANNOUNCEMENT",
        outcome="APPROVED",
        rationale="公表する",
        scope="FULL",
        by="DECISION_MAKER",
    )
    with _now(exercise):
        normal = manual.decision_open_by_hand(
            incident=second, actor=isms_office, decision_type="PUBLIC_ANNOUNCEMENT", reason="報道"
        )
        decisions.decision_decide(
            decision=normal,
            actor=decision_maker,
            outcome="APPROVED",
            rationale="公表する",
            scope="FULL",
        )
    assert _decision(played["decision"]) == _decision(normal.pk)
    assert _decision(normal.pk)["outcome"] == "APPROVED"

    _post(api, exercise, kind="decision_open", type="ESTABLISH_IRT", reason="x")
    _post(api, exercise, kind="withdraw", type="ESTABLISH_IRT", reason="誤って開いた")
    with _now(exercise):
        normal = manual.decision_open_by_hand(
            incident=second, actor=isms_office, decision_type="ESTABLISH_IRT", reason="x"
        )
        manual.decision_withdraw(decision=normal, actor=isms_office, reason="誤って開いた")
    played = Decision.objects.get(incident=main, type="ESTABLISH_IRT")
    assert _decision(played.pk) == _decision(normal.pk)
    assert played.status == "WITHDRAWN"


def test_a_deputy_s_decision_is_ratified_by_inject_as_by_the_ratify_button(
    api, exercise, isms_office, decision_maker, deputy
):
    main, second = _incidents(exercise)
    _post(api, exercise, kind="decision_open", type="PUBLIC_ANNOUNCEMENT", reason="報道")
    _post(
        api,
        exercise,
        kind="decide",
        type="PUBLIC_ANNOUNCEMENT",
        outcome="DECLINED",
        rationale="まだ",
        by=deputy.username,
    )
    _post(api, exercise, kind="ratify", type="PUBLIC_ANNOUNCEMENT", by="DECISION_MAKER")
    with _now(exercise):
        normal = manual.decision_open_by_hand(
            incident=second, actor=isms_office, decision_type="PUBLIC_ANNOUNCEMENT", reason="報道"
        )
        decisions.decision_decide(
            decision=normal, actor=deputy, outcome="DECLINED", rationale="まだ"
        )
        decisions.decision_ratify(decision=normal, actor=decision_maker)
    played = Decision.objects.get(incident=main, type="PUBLIC_ANNOUNCEMENT")
    assert _decision(played.pk) == _decision(normal.pk)
    assert (played.decided_by, played.ratified_by) == (deputy, decision_maker)


def test_a_transition_inject_moves_the_incident_as_the_lifecycle_button(api, exercise, isms_office):
    main, second = _incidents(exercise)
    _post(api, exercise, kind="isolation", asset="PC-2")
    _post(api, exercise, kind="isolation", asset="PC-3", incident="second")
    _post(api, exercise, kind="transition", to="CONTAINING", reason="封じ込め開始")
    with _now(exercise):
        transitions.incident_transition(
            incident=second, target="CONTAINING", actor=isms_office, reason="封じ込め開始"
        )
    main.refresh_from_db()
    second.refresh_from_db()
    assert (main.status, main.contained_at) == (second.status, second.contained_at)
    assert main.status == "CONTAINING"


def test_a_task_inject_finishes_the_task_as_the_task_list_does(api, exercise, isms_office):
    main, second = _incidents(exercise)
    code = (
        Task.objects.filter(incident=main, status="OPEN")
        .exclude(code="")
        .values_list("code", flat=True)
        .filter(code__in=Task.objects.filter(incident=second, status="OPEN").values("code"))
        .first()
    )
    assert code, "both incidents have the level-1 tasks"
    _post(api, exercise, kind="task", code=code, status="WAIVED", note="訓練では省略")
    with _now(exercise):
        tasks.task_finish(
            task=Task.objects.get(incident=second, code=code),
            actor=isms_office,
            status="WAIVED",
            note="訓練では省略",
        )
    played, normal = (Task.objects.get(incident=i, code=code) for i in (main, second))
    assert (played.status, played.completed_at, played.completed_by, played.completion_note) == (
        normal.status,
        normal.completed_at,
        normal.completed_by,
        normal.completion_note,
    )


def _message(subject):
    m = Communication.objects.get(subject=subject)
    return (m.audience, m.channel, m.tlp, m.status, m.approved_by_id, m.approved_at, m.sent_at)


def test_a_communication_inject_drafts_approves_and_sends_as_the_comms_page(
    api, exercise, isms_office
):
    main, _second = _incidents(exercise)
    _post(
        api,
        exercise,
        kind="communication",
        audience="ALL_STAFF",
        subject="注意喚起（訓練A）",
        body="開かないでください。",
        status="SENT",
        reference="全社メール",
    )
    with _now(exercise):
        draft = communications.communication_draft(
            incident=main,
            actor=isms_office,
            audience="ALL_STAFF",
            subject="注意喚起（訓練B）",
            channel="EMAIL",
            body="開かないでください。",
        )
        communications.communication_move(
            communication=draft, actor=isms_office, status="APPROVED", reference="全社メール"
        )
        communications.communication_move(
            communication=draft, actor=isms_office, status="SENT", reference="全社メール"
        )
    assert _message("注意喚起（訓練A）") == _message("注意喚起（訓練B）")
    assert _message("注意喚起（訓練A）")[3] == "SENT"


def _obligation(incident):
    o = Obligation.objects.get(incident=incident, kind="POLICE_CONSULT")
    return (o.owner_role, o.clock_start, o.due_at, o.status, o.done_at, o.reference_no)


def test_obligation_injects_add_and_close_as_the_obligation_page(api, exercise, isms_office):
    main, second = _incidents(exercise)
    _post(api, exercise, kind="obligation", obligation_kind="POLICE_CONSULT", due="+24:00")
    _post(
        api,
        exercise,
        kind="obligation",
        obligation_kind="POLICE_CONSULT",
        action="done",
        reference_no="R-1",
    )
    with _now(exercise):
        added = obligations.obligation_add(
            incident=second, actor=isms_office, kind="POLICE_CONSULT", due_at=_at(24 * 60)
        )
        obligations.obligation_done(obligation=added, actor=isms_office, reference_no="R-1")
    assert _obligation(main) == _obligation(second)
    assert _obligation(main)[3] == "DONE"


def test_a_second_incident_is_caused_by_the_first_and_injects_reach_it_by_key(api, exercise):
    main, second = _incidents(exercise)
    relation = IncidentRelation.objects.get(incident=second)
    assert (relation.related, relation.kind) == (main, "CAUSED_BY")
    assert second.is_exercise
    _post(api, exercise, kind="leak", incident="second", status="SUSPECTED")
    second.refresh_from_db()
    main.refresh_from_db()
    assert (second.leak_status, main.leak_status) == ("SUSPECTED", "NONE")


def test_only_the_facilitator_may_act_for_another_participant(exercise, handler):
    with pytest.raises(Forbidden) as refused:
        exercises.exercise_inject(
            exercise=exercise,
            actor=handler,
            kind="transition",
            payload={"to": "CONTAINING", "by": "ISMS_OFFICE"},
        )
    assert refused.value.code == "only_facilitator_plays_others"
    assert not exercise.injects.filter(kind="transition").exists()


def test_a_refused_inject_answers_the_service_s_error_and_keeps_nothing(api, exercise):
    before = exercise.injects.count()
    refused = api.post(
        f"/api/v1/exercises/{exercise.pk}/inject/",
        {"kind": "block", "value": "never-recorded", "blocked_by": "DNS"},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "unknown_indicator"
    assert exercise.injects.count() == before


def test_an_inject_that_breaks_the_schema_is_refused_with_its_problems(api, exercise):
    refused = api.post(
        f"/api/v1/exercises/{exercise.pk}/inject/",
        {"kind": "infection", "asset": "PC-2", "state": "CONFIRMED", "observed": "+3:00"},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid_inject"
