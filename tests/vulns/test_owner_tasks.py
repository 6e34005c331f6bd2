"""Tasks to asset owners (issue 23): an open finding on an owned asset gives the owner a task,
alerted 24 hours before its due date and at it through the notifications outbox — exactly once
per step, however often the beat sweep runs."""

from datetime import timedelta

import pytest
import time_machine

from notifications.models import Alert, Notification
from notifications.services.defaults import subscriptions_seed
from tests.factories import UserFactory
from vulns.models import AssetOwner, Finding, FindingTask
from vulns.services import findings, owner_tasks
from vulns.services.imports import feed_import

from .conftest import sample


@pytest.fixture
def owner(organisation):
    """A member of staff who looks after the PC: no role of the CSIRT."""
    return UserFactory(organisation=organisation, username="pc-owner")


@pytest.fixture
def finding(organisation, pc, it_admin, owner):
    subscriptions_seed(organisation=organisation)
    owner_tasks.owner_set(asset=pc, actor=it_admin, owner=owner)
    feed_import(kind="nvd", data=sample("nvd-cve-2.0.json"), actor=None)
    return Finding.objects.get(asset=pc)


def _alerts(which):
    return Alert.objects.filter(event="vulnerability.due", payload__which=which)


def test_an_open_finding_on_an_owned_asset_gives_the_owner_one_task(finding, owner):
    owner_tasks.finding_tasks_sweep()
    owner_tasks.finding_tasks_sweep()
    task = FindingTask.objects.get()
    assert (task.finding, task.owner, task.due_at) == (finding, owner, finding.due_at)


def test_the_owner_is_alerted_once_before_the_due_date_and_once_at_it(finding, owner):
    with time_machine.travel(finding.due_at - timedelta(hours=30), tick=False):
        owner_tasks.finding_tasks_sweep()
        assert not Alert.objects.filter(event="vulnerability.due").exists()
    with time_machine.travel(finding.due_at - timedelta(hours=23), tick=False):
        first = owner_tasks.finding_tasks_sweep()
        second = owner_tasks.finding_tasks_sweep()
    assert (first.before, second.before) == (1, 0)
    alert = _alerts("before").get()
    assert Notification.objects.filter(alert=alert, recipient=owner).exists()
    with time_machine.travel(finding.due_at + timedelta(minutes=1), tick=False):
        first = owner_tasks.finding_tasks_sweep()
        second = owner_tasks.finding_tasks_sweep()
    assert (first.due, second.due) == (1, 0)
    assert _alerts("due").count() == 1
    assert _alerts("before").count() == 1


def test_a_missed_reminder_is_not_sent_after_the_due_alert(finding):
    with time_machine.travel(finding.due_at + timedelta(hours=1), tick=False):
        owner_tasks.finding_tasks_sweep()
        owner_tasks.finding_tasks_sweep()
    assert _alerts("due").count() == 1
    assert _alerts("before").count() == 0


def test_a_fixed_finding_closes_its_task_and_alerts_no_more(finding, it_admin):
    owner_tasks.finding_tasks_sweep()
    findings.finding_set_status(finding=finding, actor=it_admin, status="FIXED")
    with time_machine.travel(finding.due_at + timedelta(minutes=1), tick=False):
        result = owner_tasks.finding_tasks_sweep()
    assert result.closed == 1 and result.due == 0
    assert FindingTask.objects.get().done_at is not None
    assert not Alert.objects.filter(event="vulnerability.due").exists()


def test_the_owner_reads_the_finding_of_their_task_and_nothing_else(
    client, finding, owner, organisation, vpn
):
    owner_tasks.finding_tasks_sweep()
    client.force_login(owner)
    page = client.get(f"/vulnerabilities/findings/{finding.pk}/")
    assert page.status_code == 200
    assert "CVE-2024-11477" in page.content.decode()
    other = Finding.objects.get(asset=vpn)
    assert client.get(f"/vulnerabilities/findings/{other.pk}/").status_code == 403
    assert (
        client.post(f"/vulnerabilities/findings/{finding.pk}/", {"status": "FIXED"}).status_code
        == 403
    )
    tasks = client.get("/vulnerabilities/tasks/").content.decode()
    assert "CVE-2024-11477" in tasks


def test_only_an_it_administrator_names_an_asset_owner(pc, owner):
    from vulns.access import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        owner_tasks.owner_set(asset=pc, actor=owner, owner=owner)


@pytest.mark.parametrize("which", ["before", "due"])
def test_two_sweeps_that_read_the_same_task_alert_once(finding, which):
    owner_tasks.finding_tasks_sweep()
    read_by_one = FindingTask.objects.select_related("finding__advisory", "finding__asset").get()
    read_by_other = FindingTask.objects.select_related("finding__advisory", "finding__asset").get()
    assert owner_tasks.task_alert(read_by_one, which) == 1
    assert owner_tasks.task_alert(read_by_other, which) == 0


def test_the_it_administrator_names_the_owner_on_the_asset_page(
    client, pc, it_admin, owner, outsider
):
    client.force_login(it_admin)
    url = f"/vulnerabilities/assets/{pc.pk}/"
    assert client.post(url, {"action": "owner", "owner": str(outsider.pk)}).status_code == 400
    assert not AssetOwner.objects.exists()
    response = client.post(url, {"action": "owner", "owner": str(owner.pk)})
    assert response.status_code in (200, 302)
    assert AssetOwner.objects.get(asset=pc).owner == owner
    assert "資産の管理責任者" in client.get(url).content.decode()
