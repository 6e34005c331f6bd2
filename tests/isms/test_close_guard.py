"""C-1 exactly: REVIEWING → CLOSED refused with CLOSE_GUARD_FAILED listing every failing
condition; open tasks waived at close with the closer's reason; M-1 at close; reopening."""

import pytest

from bcp.services import decisions, manual
from common.errors import DomainError, InvalidInput
from incidents.models import AffectedAsset, Incident, Task, TimelineEntry
from incidents.services import transitions
from isms.models import PostIncidentReview
from isms.services import actions
from tests.isms.conftest import add_action, set_status, write_review

ALL_CODES = [
    "C1-OBLIGATIONS",
    "C1-NO-OPEN-DECISION",
    "C1-RATIFIED",
    "C1-BCP-SETTLED",
    "C1-REVIEW",
    "C1-ASSETS-RESTORED",
    "M1-CORRECTIVE-ACTION",
]


def _close(incident, actor, waive_reason="チェックリストは本件で不要"):
    return transitions.incident_transition(
        incident=incident, target="CLOSED", actor=actor, waive_reason=waive_reason
    )


def _refused(incident, actor) -> list[str]:
    with pytest.raises(DomainError) as err:
        _close(incident, actor)
    assert (err.value.status_code, err.value.code) == (409, "CLOSE_GUARD_FAILED")
    failed = err.value.details["failed"]
    assert all(row["message"] for row in failed)
    assert Incident.objects.get(pk=incident.pk).status == "REVIEWING"
    return [row["code"] for row in failed]


def _obligation(incident, actor, *, obligations, **_):
    obligations["open"] = 1


def _open_decision(incident, actor, **_):
    decisions.decision_open(incident=incident, decision_type="PUBLIC_ANNOUNCEMENT")


def _unratified(incident, actor, *, deputy, **_):
    decision = decisions.decision_open(incident=incident, decision_type="PUBLIC_ANNOUNCEMENT")
    decisions.decision_decide(decision=decision, actor=deputy, outcome="DECLINED", rationale="r")


def _bcp_active(incident, actor, *, decision_maker, **_):
    cut = decisions.decision_open(incident=incident, decision_type="CUT_ALL_EXTERNAL_NETWORK")
    decisions.decision_decide(decision=cut, actor=decision_maker, outcome="APPROVED", rationale="r")


def _no_root_cause(incident, actor, **_):
    write_review(incident, actor, root_cause="")


def _no_lessons(incident, actor, **_):
    write_review(incident, actor, lessons=[], no_lessons="")


def _asset_not_restored(incident, actor, **_):
    AffectedAsset.objects.filter(incident=incident).update(remediation_state="CLEANED")


def _level_two_without_action(incident, actor, **_):
    Incident.objects.filter(pk=incident.pk).update(peak_level=2)


BREAKERS = {
    "C1-OBLIGATIONS": _obligation,
    "C1-NO-OPEN-DECISION": _open_decision,
    "C1-RATIFIED": _unratified,
    "C1-BCP-SETTLED": _bcp_active,
    "C1-REVIEW": _no_root_cause,
    "C1-ASSETS-RESTORED": _asset_not_restored,
    "M1-CORRECTIVE-ACTION": _level_two_without_action,
}


@pytest.fixture
def cast(obligations, decision_maker, deputy):
    return {"obligations": obligations, "decision_maker": decision_maker, "deputy": deputy}


@pytest.mark.parametrize("code", ALL_CODES)
def test_each_condition_alone_blocks_closing_and_is_the_only_one_listed(
    ready, isms_office, cast, code
):
    BREAKERS[code](ready, isms_office, **cast)
    ready.refresh_from_db()
    assert _refused(ready, isms_office) == [code]


def test_a_review_without_lessons_or_a_no_lessons_statement_blocks(ready, isms_office):
    _no_lessons(ready, isms_office)
    assert _refused(ready, isms_office) == ["C1-REVIEW"]
    write_review(ready, isms_office, lessons=[], no_lessons="既存の手順どおりに対応できた")
    assert _close(ready, isms_office).status == "CLOSED"


def test_no_review_at_all_blocks(incident, isms_office):
    AffectedAsset.objects.filter(incident=incident).update(remediation_state="RETIRED")
    set_status(incident, "REVIEWING")
    assert _refused(incident, isms_office) == ["C1-REVIEW"]


def test_every_failing_condition_is_listed_at_once(ready, isms_office, cast):
    for breaker in BREAKERS.values():
        breaker(ready, isms_office, **cast)
    ready.refresh_from_db()
    assert _refused(ready, isms_office) == ALL_CODES


def test_a_withdrawn_decision_does_not_block_closing(ready, isms_office, decision_maker):
    decision = decisions.decision_open(incident=ready, decision_type="PUBLIC_ANNOUNCEMENT")
    manual.decision_withdraw(decision=decision, actor=isms_office, reason="公表は不要")
    assert _close(ready, isms_office).status == "CLOSED"


@pytest.mark.parametrize(
    ("fix", "expected"),
    [("action", True), ("reason", True), ("cancelled", False)],
)
def test_m1_is_met_by_a_corrective_action_or_a_documented_reason(ready, isms_office, fix, expected):
    Incident.objects.filter(pk=ready.pk).update(peak_level=2)
    if fix == "action":
        add_action(ready, isms_office)
    elif fix == "reason":
        write_review(ready, isms_office, no_action_reason="既存の是正処置（CA-2025-03）で対処済み")
    else:
        action = add_action(ready, isms_office)
        actions.corrective_action_set_status(
            action=action, actor=isms_office, status="CANCELLED", reason="重複"
        )
    ready.refresh_from_db()
    if expected:
        assert _close(ready, isms_office).status == "CLOSED"
    else:
        assert _refused(ready, isms_office) == ["M1-CORRECTIVE-ACTION"]


def test_closing_a_level_two_incident_marks_it_for_the_management_review(ready, isms_office):
    Incident.objects.filter(pk=ready.pk).update(peak_level=2)
    add_action(ready, isms_office)
    ready.refresh_from_db()
    closed = _close(ready, isms_office)
    assert closed.status == "CLOSED" and closed.closed_at is not None
    assert PostIncidentReview.objects.get(incident=ready).management_review_input is True


def test_an_appi_obligation_also_sends_the_incident_to_the_management_review(
    ready, isms_office, obligations
):
    obligations["appi"] = 1
    assert _refused(ready, isms_office) == ["M1-CORRECTIVE-ACTION"]
    add_action(ready, isms_office)
    _close(ready, isms_office)
    assert PostIncidentReview.objects.get(incident=ready).management_review_input is True


def test_a_level_one_incident_closes_without_going_to_the_management_review(ready, isms_office):
    _close(ready, isms_office)
    assert PostIncidentReview.objects.get(incident=ready).management_review_input is False


def test_open_tasks_are_waived_at_close_each_with_the_reason(ready, isms_office):
    open_before = list(
        Task.objects.filter(incident=ready, status="OPEN").values_list("pk", flat=True)
    )
    assert open_before, "the level-1 checklist leaves tasks open"
    _close(ready, isms_office, waive_reason="訓練ではないため連絡不要")
    for task in Task.objects.filter(pk__in=open_before):
        assert (task.status, task.completion_note) == ("WAIVED", "訓練ではないため連絡不要")
        assert task.completed_by == isms_office
    entry = TimelineEntry.objects.filter(incident=ready, kind="incident.status_changed").last()
    assert entry.payload["waived_tasks"] == len(open_before)


def test_open_tasks_without_a_reason_are_listed_and_nothing_closes(ready, isms_office):
    with pytest.raises(InvalidInput) as err:
        _close(ready, isms_office, waive_reason=" ")
    assert err.value.code == "WAIVE_REASON_REQUIRED"
    open_tasks = Task.objects.filter(incident=ready, status="OPEN")
    assert [t["id"] for t in err.value.details["open_tasks"]] == sorted(
        open_tasks.values_list("pk", flat=True)
    )
    assert Incident.objects.get(pk=ready.pk).status == "REVIEWING"


def test_the_csirt_lead_reopens_a_closed_incident_with_a_reason_and_it_must_close_again(
    ready, isms_office, csirt_lead, handler
):
    first = _close(ready, isms_office)
    first_closed_at = first.closed_at
    with pytest.raises(DomainError) as err:
        transitions.incident_transition(
            incident=ready, target="CONTAINING", actor=handler, reason="再感染"
        )
    assert err.value.status_code == 403
    with pytest.raises(InvalidInput) as err:
        transitions.incident_transition(incident=ready, target="CONTAINING", actor=csirt_lead)
    assert err.value.code == "REASON_REQUIRED"
    reopened = transitions.incident_transition(
        incident=ready, target="CONTAINING", actor=csirt_lead, reason="別のPCで感染を確認"
    )
    assert reopened.status == "CONTAINING"
    entry = TimelineEntry.objects.filter(incident=ready).last()
    assert entry.payload == {"from": "CLOSED", "to": "CONTAINING", "reason": "別のPCで感染を確認"}
    assert PostIncidentReview.objects.filter(incident=ready).exists()  # nothing cleared
    set_status(reopened, "REVIEWING")
    again = _close(reopened, isms_office)
    assert again.closed_at > first_closed_at
