"""The alerts API: own notifications and acknowledgement; channels and attempts for the office."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts import services as accounts
from notifications.models import Alert, Channel, Notification
from notifications.services import delivery

pytestmark = pytest.mark.django_db


def client_for(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def alerted(open_decision, decision_maker, deputy, isms_office):
    open_decision("ESTABLISH_IRT")
    return Alert.objects.get(event="decision.opened")


def test_a_person_lists_only_their_own_notifications(alerted, decision_maker, deputy):
    body = client_for(decision_maker).get("/api/v1/notifications/").json()
    assert {row["recipient"] for row in body["results"]} == {str(decision_maker)}
    assert client_for(deputy).get("/api/v1/notifications/").json()["results"] == []


def test_the_isms_office_sees_the_organisations_notifications(alerted, isms_office):
    body = client_for(isms_office).get("/api/v1/notifications/?needs_ack=true").json()
    assert {row["alert"]["event"] for row in body["results"]} == {"decision.opened"}


def test_acknowledging_through_the_api(alerted, decision_maker):
    row = Notification.objects.filter(alert=alerted, recipient=decision_maker).first()
    response = client_for(decision_maker).post(f"/api/v1/notifications/{row.pk}/acknowledge/")
    assert response.status_code == 200
    alert = response.json()["alert"]
    assert alert["acknowledged_by"] == str(decision_maker)
    assert alert["acknowledged_via"] == "API"


def test_the_office_may_see_but_not_acknowledge_for_someone_else(alerted, isms_office):
    row = Notification.objects.filter(alert=alerted).first()
    response = client_for(isms_office).post(f"/api/v1/notifications/{row.pk}/acknowledge/")
    assert response.status_code == 403
    assert response.json()["code"] == "NOT_A_RECIPIENT"


def test_another_organisations_notification_is_404(alerted, outsider):
    row = Notification.objects.filter(alert=alerted).first()
    assert client_for(outsider).get(f"/api/v1/notifications/{row.pk}/").status_code == 404


def test_the_office_creates_a_webhook_sees_the_secret_once_and_never_the_url(isms_office, receiver):
    api = client_for(isms_office)
    url = receiver.url("/hook-with-a-secret-token")
    created = api.post(
        "/api/v1/alert-channels/", {"kind": "WEBHOOK", "name": "SIEM", "url": url}, format="json"
    )
    assert created.status_code == 201
    assert len(created.json()["signing_secret"]) >= 32
    assert "secret-token" not in str(created.json())
    listed = api.get("/api/v1/alert-channels/").json()
    assert "secret-token" not in str(listed) and "signing_secret" not in str(listed)
    rotated = api.post(f"/api/v1/alert-channels/{created.json()['id']}/rotate-secret/")
    assert rotated.status_code == 200 and rotated.json()["signing_secret"]


def test_a_metadata_url_is_refused_with_400(isms_office):
    response = client_for(isms_office).post(
        "/api/v1/alert-channels/",
        {"kind": "SLACK", "name": "x", "url": "http://169.254.169.254/"},
        format="json",
    )
    assert response.status_code == 400 and response.json()["code"] == "UNSAFE_URL"


def test_disabling_a_channel(isms_office, channel, receiver):
    made = channel("SLACK", url=receiver.url())
    response = client_for(isms_office).patch(
        f"/api/v1/alert-channels/{made.pk}/", {"enabled": False}, format="json"
    )
    assert response.status_code == 200 and response.json()["enabled"] is False
    assert Channel.objects.get(pk=made.pk).enabled is False


@pytest.mark.parametrize("path", ["/api/v1/alert-channels/", "/api/v1/delivery-attempts/"])
def test_only_the_office_administers(path, decision_maker, handler):
    assert client_for(decision_maker).get(path).status_code == 403
    assert client_for(handler).get(path).status_code == 403


def test_the_office_reads_delivery_attempts(pushed, isms_office, receiver):
    row = pushed()
    delivery.notification_deliver(pk=row.pk)
    body = client_for(isms_office).get(f"/api/v1/delivery-attempts/?notification={row.pk}").json()
    (attempt,) = body["results"]
    assert attempt["outcome"] == "DELIVERED" and attempt["status_code"] == 200
    assert attempt["channel"] == "WEBHOOK" and attempt["duration_ms"] is not None


def test_an_api_key_has_no_alerts(organisation, isms_office):
    _key, raw = accounts.api_key_create(
        organisation=organisation, actor=isms_office, name="siem", scope="READ"
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    assert api.get("/api/v1/notifications/").status_code == 403


def test_the_list_costs_the_same_queries_for_one_or_many(
    open_decision, decision_maker, isms_office, django_assert_max_num_queries
):
    for _ in range(5):
        open_decision("ESTABLISH_IRT")
    api = client_for(isms_office)
    with django_assert_max_num_queries(6):
        body = api.get("/api/v1/notifications/").json()
    assert len(body["results"]) >= 10


def test_the_schema_lists_the_alert_endpoints(isms_office):
    schema = client_for(isms_office).get("/api/schema/?format=json").json()
    for path in (
        "/api/v1/notifications/",
        "/api/v1/notifications/{id}/acknowledge/",
        "/api/v1/alert-channels/",
        "/api/v1/alert-channels/{id}/rotate-secret/",
        "/api/v1/delivery-attempts/",
    ):
        assert path in schema["paths"], path
