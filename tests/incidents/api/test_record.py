"""/api/v1/incidents/{ref}/…: assets, mail deliveries, indicators, tasks and the timeline."""

import pytest
from django.db import connection

from incidents.facts import infection_counts
from incidents.models import AffectedAsset, Asset, Indicator, MailDelivery, Task
from incidents.services import records, tasks
from incidents.services.checkpoints import timeline_checkpoint
from tests.incidents import tamper
from tests.incidents.api.conftest import API


@pytest.fixture
def office(client_for):
    return client_for("isms_office")


@pytest.fixture
def base(incident):
    return f"{API}/incidents/{incident.ref}"


def test_an_affected_terminal_is_recorded_by_asset_tag(office, base, organisation):
    response = office.post(
        f"{base}/affected-assets/",
        {"asset_tag": "PC-77", "hostname": "sales-77", "infection_state": "CONFIRMED"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["asset"]["asset_tag"] == "PC-77"
    assert Asset.objects.filter(organisation=organisation, asset_tag="PC-77").exists()


def test_the_same_terminal_twice_is_a_conflict_and_adds_nothing(office, base, incident):
    count = AffectedAsset.objects.count()
    response = office.post(f"{base}/affected-assets/", {"asset_tag": "PC-12"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "asset_already_affected"
    assert AffectedAsset.objects.count() == count


def test_an_unknown_infection_state_adds_no_asset_to_the_inventory(office, base):
    response = office.post(
        f"{base}/affected-assets/",
        {"asset_tag": "PC-88", "infection_state": "ZOMBIE"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["details"]["field"] == "infection_state"
    assert not Asset.objects.filter(asset_tag="PC-88").exists()


def test_isolating_a_terminal_stamps_the_time(office, base, incident):
    affected = AffectedAsset.objects.create(
        incident=incident,
        asset=Asset.objects.create(organisation=incident.organisation, asset_tag="PC-5"),
    )
    response = office.patch(
        f"{base}/affected-assets/{affected.pk}/",
        {"containment_state": "ISOLATED", "isolation_method": "EDR_CONTAIN"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["isolated_at"] is not None


def test_an_affected_asset_cannot_be_moved_to_another_asset(office, base, incident):
    affected = incident.affected_assets.get()
    response = office.patch(
        f"{base}/affected-assets/{affected.pk}/", {"asset": 1, "incident": 1}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "field_not_editable"


def test_a_delivery_records_who_received_the_mail(office, base):
    response = office.post(
        f"{base}/mail-deliveries/",
        {"recipient_email": "sato@example.com", "delivered_at": "2026-01-05T08:00:00+09:00"},
        format="json",
    )
    assert response.status_code == 201
    assert MailDelivery.objects.filter(recipient_email="sato@example.com").exists()


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("recipient_email", "sato@", "invalid"),
        ("delivered_at", "1990-06-30T12:00:00Z", "invalid_timestamp"),
        ("link_clicked_at", "2999-01-01T00:00:00Z", "invalid_timestamp"),
        ("executed", "perhaps", "invalid"),
    ],
)
def test_a_delivery_with_bad_input_is_refused(office, base, field, value, code):
    count = MailDelivery.objects.count()
    response = office.post(f"{base}/mail-deliveries/", {field: value}, format="json")
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["details"]["field"]) == (code, field)
    assert MailDelivery.objects.count() == count


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("URL", "not a url"),
        ("URL", "javascript:alert(1)"),
        ("SENDER_ADDRESS", "nobody"),
        ("IP", "999.1.1.1"),
        ("C2_IP", "10.0.0"),
        ("FILE_SHA256", "xyz"),
    ],
)
def test_a_malformed_indicator_is_refused(office, base, kind, value):
    count = Indicator.objects.count()
    response = office.post(f"{base}/indicators/", {"kind": kind, "value": value}, format="json")
    assert response.status_code == 400
    assert response.json()["details"]["field"] in ("value", None)
    assert response.json()["code"] in ("invalid_indicator", "invalid")
    assert Indicator.objects.count() == count


def test_an_indicator_is_normalised_and_blocked(office, base):
    created = office.post(
        f"{base}/indicators/", {"kind": "URL", "value": "HTTPS://C2.Example:443/x"}, format="json"
    )
    assert created.status_code == 201
    assert created.json()["normalized"] == "https://c2.example/x"
    blocked = office.post(
        f"{base}/indicators/{created.json()['id']}/block/", {"blocked_by": "PROXY"}, format="json"
    )
    assert blocked.status_code == 200
    assert blocked.json()["blocked_at"] is not None


def test_an_unknown_blocking_point_is_refused(office, base, incident):
    indicator = incident.indicators.first()
    response = office.post(
        f"{base}/indicators/{indicator.pk}/block/", {"blocked_by": "PRAYER"}, format="json"
    )
    assert response.status_code == 400
    indicator.refresh_from_db()
    assert indicator.blocked_at is None


def test_a_task_is_created_and_waived_with_a_reason(office, base):
    created = office.post(
        f"{base}/tasks/", {"title": "USB を回収", "owner_role": "IT_ADMIN"}, format="json"
    )
    assert created.status_code == 201
    url = f"{base}/tasks/{created.json()['id']}/finish/"
    refused = office.post(url, {"status": "WAIVED"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "reason_required"
    waived = office.post(url, {"status": "WAIVED", "note": "該当なし"}, format="json")
    assert waived.status_code == 200
    assert waived.json()["status"] == "WAIVED"
    again = office.post(url, {"status": "DONE"}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "task_not_open"


def test_a_task_owner_without_an_editing_role_may_finish_their_task(
    client_for, base, incident, isms_office, reporter
):
    records.incident_assign(incident=incident, actor=isms_office, handlers=[reporter])
    task = tasks.task_create(
        incident=incident, actor=isms_office, title="PC を提出", owner=reporter
    )
    response = client_for("reporter").post(
        f"{base}/tasks/{task.pk}/finish/", {"status": "DONE"}, format="json"
    )
    assert response.status_code == 200
    assert Task.objects.get(pk=task.pk).completed_by == reporter


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "x", "due_at": "2099-01-01T00:00:00Z"}, "due_at"),
        ({"title": "x", "level": 4}, "level"),
        ({"title": "x", "owner_role": "EMPEROR"}, "owner_role"),
        ({"title": ""}, "title"),
        ({}, "title"),
    ],
)
def test_a_task_with_bad_input_is_refused(office, base, body, field):
    count = Task.objects.count()
    response = office.post(f"{base}/tasks/", body, format="json")
    assert response.status_code == 400
    assert response.json()["details"]["field"] == field
    assert Task.objects.count() == count


def test_the_timeline_lists_every_change_in_order(office, base, incident):
    office.patch(f"{base}/", {"title": "更新"}, format="json")
    entries = office.get(f"{base}/timeline/").json()["results"]
    assert [e["seq"] for e in entries] == list(range(1, len(entries) + 1))
    assert entries[-1]["kind"] == "incident.updated"
    assert entries[1]["prev_hash"] == entries[0]["hash"]


def test_timeline_verify_reports_an_intact_chain(office, base, incident):
    body = office.get(f"{base}/timeline/verify/").json()
    assert body == {
        "ok": True,
        "entries": incident.timeline.count(),
        "first_broken_seq": None,
        "check": "",
        "reason": "",
        "anchored_seq": None,
        "anchored_at": None,
    }


def test_timeline_verify_reports_a_deleted_last_entry_against_the_checkpoint(
    office, base, incident
):
    checkpoint = timeline_checkpoint(organisation=incident.organisation)
    last = tamper.delete_last(incident)
    body = office.get(f"{base}/timeline/verify/").json()
    assert body["ok"] is False
    assert (body["check"], body["first_broken_seq"], body["anchored_seq"]) == (
        "tail_missing",
        last,
        last,
    )
    assert body["anchored_at"] is not None
    assert checkpoint.heads[incident.pk].seq == last


def test_timeline_verify_names_the_first_broken_link(office, base, incident):
    second = incident.timeline.get(seq=2)
    with connection.cursor() as cursor:
        # What a DBA with superuser rights could do: bypass the append-only trigger.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE incidents_timelineentry SET payload='{\"forged\": true}' WHERE id=%s",
            [second.pk],
        )
        cursor.execute("SET LOCAL session_replication_role = origin")
    body = office.get(f"{base}/timeline/verify/").json()
    assert body["ok"] is False
    assert body["first_broken_seq"] == 2
    assert body["check"] == "hmac_mismatch"


def _recovering(incident):
    """The reporter's PC-12 (suspected, isolated) cleaned and the incident in RECOVERING."""
    affected = incident.affected_assets.get()
    AffectedAsset.objects.filter(pk=affected.pk).update(remediation_state="REIMAGED")
    type(incident).objects.filter(pk=incident.pk).update(status="RECOVERING")
    return affected


def test_restoring_an_infected_pc_records_only_the_remediation(office, base, incident):
    affected = _recovering(incident)
    facts_before = list(incident.facts.order_by("id").values_list("kind", "data"))
    response = office.patch(
        f"{base}/affected-assets/{affected.pk}/", {"remediation_state": "RESTORED"}, format="json"
    )
    assert response.status_code == 200
    incident.refresh_from_db()
    assert incident.status == "RECOVERING"
    new = list(incident.facts.order_by("id").values_list("kind", "data"))[len(facts_before) :]
    assert [(kind, data["from"], data["to"]) for kind, data in new] == [
        ("ASSET_REMEDIATION", "REIMAGED", "RESTORED")
    ]
    assert infection_counts(incident)["infected_effective_count"] == 1
    assert not incident.timeline.filter(kind="incident.status_changed").exists()
