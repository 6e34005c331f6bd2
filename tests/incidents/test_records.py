import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from common.errors import Conflict, InvalidInput
from incidents.models import TimelineEntry
from incidents.services import assets, indicators, tasks, transitions
from incidents.services.timeline import timeline_verify


def test_declare_to_containing_needs_isolation_or_a_block(incident, handler):
    incident.affected_assets.update(containment_state="NOT_CONTAINED", isolated_at=None)
    with pytest.raises(Conflict) as err:
        transitions.incident_transition(incident=incident, target="CONTAINING", actor=handler)
    assert err.value.code == "G-CONTAINMENT-STARTED"
    incident.refresh_from_db()
    assert incident.status == "DECLARED"


def test_transition_moves_status_and_writes_the_timeline(incident, handler):
    transitions.incident_transition(incident=incident, target="CONTAINING", actor=handler)
    incident.refresh_from_db()
    assert incident.status == "CONTAINING"
    assert incident.contained_at is not None
    last = incident.timeline.order_by("-seq").first()
    assert last.kind == "incident.status_changed"
    assert last.payload == {"from": "DECLARED", "to": "CONTAINING"}


def test_jumping_over_the_lifecycle_is_refused_with_the_allowed_targets(incident, handler):
    with pytest.raises(Conflict) as err:
        transitions.incident_transition(incident=incident, target="CLOSED", actor=handler)
    assert err.value.code == "transition_not_allowed"
    assert err.value.details["allowed"] == ["CONTAINING"]


def test_reporter_cannot_transition(incident, reporter):
    with pytest.raises(Exception) as err:
        transitions.incident_transition(incident=incident, target="CONTAINING", actor=reporter)
    assert err.value.code == "permission_denied"


def test_waiving_a_task_needs_a_reason(incident, handler):
    task = tasks.task_create(incident=incident, actor=handler, title="ログ確認")
    with pytest.raises(InvalidInput):
        tasks.task_finish(task=task, actor=handler, status="WAIVED", note=" ")
    tasks.task_finish(task=task, actor=handler, status="WAIVED", note="不要")
    task.refresh_from_db()
    assert task.status == "WAIVED"


def test_duplicate_indicator_is_a_conflict(incident, handler):
    indicators.indicator_add(incident=incident, actor=handler, kind="C2_DOMAIN", value="c2.example")
    with pytest.raises(Conflict):
        indicators.indicator_add(
            incident=incident, actor=handler, kind="C2_DOMAIN", value="C2.Example."
        )


def test_asset_update_isolating_records_the_time(incident, handler):
    affected = incident.affected_assets.get()
    affected = assets.affected_asset_update(
        affected=affected, actor=handler, changes={"containment_state": "NOT_CONTAINED"}
    )
    assert affected.isolated_at is None
    affected = assets.affected_asset_update(
        affected=affected,
        actor=handler,
        changes={"containment_state": "ISOLATED", "isolation_method": "EDR_CONTAIN"},
    )
    assert affected.isolated_at is not None


def test_timeline_chain_verifies(incident):
    status = timeline_verify(incident=incident)
    assert status.ok
    assert status.entries == incident.timeline.count() >= 2


def test_timeline_rejects_update_and_delete_on_postgresql(incident):
    entry = incident.timeline.first()
    for statement in (
        "UPDATE incidents_timelineentry SET kind='x' WHERE id=%s",
        "DELETE FROM incidents_timelineentry WHERE id=%s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
            c.execute(statement, [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        TimelineEntry.objects.filter(pk=entry.pk).update(kind="tampered")


def test_tampering_with_the_timeline_is_detected_at_the_first_broken_link(incident, handler):
    tasks.task_create(incident=incident, actor=handler, title="x")
    second = incident.timeline.get(seq=2)
    with connection.cursor() as c:
        # What a DBA with superuser rights could do: bypass the append-only trigger.
        c.execute("SET LOCAL session_replication_role = replica")
        c.execute(
            "UPDATE incidents_timelineentry SET payload='{\"forged\": true}' WHERE id=%s",
            [second.pk],
        )
        c.execute("SET LOCAL session_replication_role = origin")
    status = timeline_verify(incident=incident)
    assert not status.ok
    assert status.first_broken_seq == 2
