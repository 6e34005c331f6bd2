"""A task carries its incident's organisation (issue 20): the dashboard counts the
organisation's overdue tasks from the task's own index, and that count is the one through
the incidents."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from dashboard.selectors import tiles
from incidents.models import Incident, Task
from incidents.services.tasks import task_create
from tests.conftest import _holder
from tests.factories import OrganisationFactory


def _incident(organisation, ref: str, **fields) -> Incident:
    return Incident.objects.create(
        organisation=organisation,
        ref=ref,
        year=2099,
        seq=int(ref[-5:]),
        title="作業",
        declared_at=timezone.now() - timedelta(days=1),
        **fields,
    )


def test_a_task_takes_its_incidents_organisation_however_it_is_created(incident, isms_office):
    made = [
        task_create(incident=incident, actor=isms_office, title="隔離の確認"),
        Task.objects.create(incident=incident, title="モデルから"),
        *Task.objects.bulk_create([Task(incident=incident, title="まとめて")]),
        # Only the incident's id: its organisation is read for the task.
        *Task.objects.bulk_create([Task(incident_id=incident.pk, title="番号だけ")]),
    ]
    by_id = Task(incident_id=incident.pk, title="保存で")
    by_id.save()
    made.append(by_id)
    stored = Task.objects.filter(pk__in=[t.pk for t in made]).values_list(
        "organisation_id", flat=True
    )
    assert list(stored) == [incident.organisation_id] * len(made)


def test_the_overdue_count_by_the_tasks_organisation_equals_the_count_through_its_incidents(
    organisation, isms_office
):
    vendor = _holder(organisation, "EXTERNAL_RESPONDER", "vendor")
    now = timezone.now()
    mine = _incident(organisation, "INC-2099-00001")
    handled = _incident(organisation, "INC-2099-00002")
    handled.handlers.add(vendor)
    drill = _incident(organisation, "INC-2099-00003", is_exercise=True)
    elsewhere = _incident(OrganisationFactory(), "INC-2099-00004")
    late, soon = now - timedelta(hours=1), now + timedelta(hours=1)
    for on in (mine, handled, drill, elsewhere):
        Task.objects.bulk_create(
            [
                Task(incident=on, title="遅れ", due_at=late),
                Task(incident=on, title="遅れ 2", due_at=late - timedelta(minutes=5)),
                Task(incident=on, title="済み", due_at=late, status="DONE"),
                Task(incident=on, title="これから", due_at=soon),
            ]
        )
    through_incidents = Task.objects.overdue(now).filter(
        incident__organisation=organisation, incident__is_exercise=False
    )
    assert tiles.overdue_tasks(isms_office, now).count == through_incidents.count() == 4
    # Someone who sees only their incidents counts only theirs (through the incidents).
    assert tiles.overdue_tasks(vendor, now).count == 2
